from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.admin_mixins import LARGE_TABLE_PAGE


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["full_name"]
    list_per_page = LARGE_TABLE_PAGE
    list_display = ["full_name", "email", "role", "preferred_language", "is_active", "date_joined"]
    list_filter = [
        "role",
        "is_active",
        "is_staff",
        "preferred_language",
        ("date_joined", admin.DateFieldListFilter),
    ]
    search_fields = ["full_name", "preferred_name", "email"]
    readonly_fields = ["date_joined", "last_login", "updated_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_name", "preferred_language", "role"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["date_joined", "last_login", "updated_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "role", "password1", "password2"],
            },
        ),
    ]
