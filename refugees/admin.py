from django.contrib import admin

from ankommen.admin_mixins import LARGE_TABLE_PAGE, AuditedAdmin, ReadOnlyInline
from refugees.models import (
    AccessLink,
    HouseholdMember,
    Need,
    Newcomer,
    NewcomerConsent,
    NewcomerLanguage,
)


class HouseholdMemberInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


class NewcomerLanguageInline(admin.TabularInline):
    model = NewcomerLanguage
    extra = 0
    autocomplete_fields = ["language"]


class NeedInline(admin.TabularInline):
    model = Need
    extra = 0
    fields = ["theme", "urgency", "status", "source", "note", "created_at"]
    readonly_fields = ["source", "created_at"]


class ConsentInline(admin.TabularInline):
    model = NewcomerConsent
    extra = 0
    raw_id_fields = ["obtained_by"]


class AccessLinkInline(ReadOnlyInline):
    """Links are issued on the newcomer page, which prints the card."""

    model = AccessLink
    fields = ["created_at", "expires_at", "revoked_at", "last_used_at", "created_by"]


@admin.register(Newcomer)
class NewcomerAdmin(AuditedAdmin, admin.ModelAdmin):
    list_per_page = LARGE_TABLE_PAGE
    list_display = ["full_name", "district", "household", "preferred_language", "waiting_since"]
    list_filter = [
        "household",
        "district",
        "preferred_language",
        "residence_status",
        ("waiting_since", admin.DateFieldListFilter),
    ]
    search_fields = ["full_name", "phone", "email"]
    list_select_related = ["district"]
    raw_id_fields = ["registered_by"]
    inlines = [
        HouseholdMemberInline,
        NewcomerLanguageInline,
        NeedInline,
        ConsentInline,
        AccessLinkInline,
    ]


@admin.register(Need)
class NeedAdmin(AuditedAdmin, admin.ModelAdmin):
    people_shown = ("newcomer",)
    list_display = ["newcomer", "theme", "urgency", "status", "source", "created_at"]
    list_filter = [
        "status",
        "urgency",
        "theme",
        "source",
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["newcomer", "theme"]
    search_fields = ["newcomer__full_name", "note"]
    raw_id_fields = ["newcomer", "created_by"]
