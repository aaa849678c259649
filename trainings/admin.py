from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from ankommen.admin_mixins import LARGE_TABLE_PAGE, NoAddAdminMixin
from trainings.models import CalendarFeed, Course, Qualification, Registration, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1
    fields = ["starts_at", "ends_at", "place", "capacity", "status", "confirmed_count"]
    readonly_fields = ["confirmed_count"]
    show_change_link = True


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "theme", "is_basic_training", "qualification"]
    list_filter = ["audience", "theme", "is_basic_training"]
    search_fields = ["title", "description"]
    list_select_related = ["theme"]
    autocomplete_fields = ["languages", "prerequisites"]
    inlines = [SessionInline]


class RegistrationInline(NoAddAdminMixin, admin.TabularInline):
    """Sign-ups go through the services, which guard the places; attendance is ticked here."""

    model = Registration
    extra = 0
    fields = ["user", "newcomer", "state", "attended", "created_at"]
    readonly_fields = ["user", "newcomer", "state", "created_at"]
    can_delete = False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    # An online link typed without its scheme is taken to be https, as on the portal's form.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_per_page = LARGE_TABLE_PAGE
    list_display = ["course", "starts_at", "place", "capacity", "confirmed_count", "status"]
    list_filter = ["status", "course__audience", "course"]
    search_fields = ["course__title", "place"]
    list_select_related = ["course"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["course", "trainers"]
    readonly_fields = ["confirmed_count"]
    inlines = [RegistrationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Session]:
        return super().get_queryset(request).select_related("course")


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "newcomer", "granted_on", "valid_until"]
    list_filter = ["course"]
    list_select_related = ["user", "newcomer", "course"]
    search_fields = ["name", "user__full_name", "newcomer__full_name"]
    date_hierarchy = "granted_on"
    raw_id_fields = ["user", "newcomer", "session"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "token_hash", "created_at"]
