from django.contrib import admin

from ankommen.admin_mixins import LARGE_TABLE_PAGE, AuditedAdmin, ReadOnlyInline
from volunteers.models import (
    ClearanceCheck,
    CoordinatorNote,
    HoursEntry,
    LanguageSkill,
    StageChange,
    Volunteer,
    VolunteerConsent,
)


class LanguageSkillInline(admin.TabularInline):
    model = LanguageSkill
    extra = 0
    autocomplete_fields = ["language"]


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ["from_stage", "to_stage", "changed_by", "reason", "created_at"]


class ConsentInline(ReadOnlyInline):
    model = VolunteerConsent
    fields = ["text_version", "text", "language", "agreed_at", "ip_address"]


@admin.register(Volunteer)
class VolunteerAdmin(AuditedAdmin, admin.ModelAdmin):
    list_per_page = LARGE_TABLE_PAGE
    list_display = ["__str__", "stage", "district", "last_activity_at", "created_at"]
    list_filter = [
        "stage",
        "district",
        "accepts_minors",
        "accepts_families",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["user__full_name", "user__email", "skills"]
    list_select_related = ["user", "district"]
    autocomplete_fields = ["user", "district"]
    inlines = [LanguageSkillInline, ConsentInline, StageChangeInline]
    # The journey is changed through its services, which record who, when and why.
    readonly_fields = [
        "stage",
        "stage_changed_at",
        "stage_before_pause",
        "withdrawn_at",
        "retain_until",
        "last_activity_at",
        "created_at",
    ]


@admin.register(HoursEntry)
class HoursEntryAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "worked_on", "hours", "hours_submitted", "theme", "state"]
    list_filter = ["state", "theme", ("worked_on", admin.DateFieldListFilter)]
    list_select_related = ["volunteer__user", "theme"]
    search_fields = ["volunteer__user__full_name"]
    raw_id_fields = ["volunteer", "reviewed_by"]


@admin.register(ClearanceCheck)
class ClearanceCheckAdmin(AuditedAdmin, admin.ModelAdmin):
    people_shown = ("volunteer",)
    list_shows_sensitive_fields = True  # valid until
    list_display = ["volunteer", "seen_on", "issued_on", "valid_until", "checked_by"]
    list_select_related = ["volunteer__user", "checked_by"]
    search_fields = ["volunteer__user__full_name"]
    date_hierarchy = "valid_until"
    raw_id_fields = ["volunteer", "checked_by"]


@admin.register(CoordinatorNote)
class CoordinatorNoteAdmin(AuditedAdmin, admin.ModelAdmin):
    people_shown = ("volunteer",)
    list_shows_sensitive_fields = True  # the notes themselves
    list_display = ["volunteer", "author", "created_at"]
    list_select_related = ["volunteer__user", "author"]
    search_fields = ["volunteer__user__full_name", "text"]
    raw_id_fields = ["volunteer", "author"]
