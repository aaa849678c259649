from django.contrib import admin

from ankommen.admin_mixins import AuditedAdmin, NoAddAdminMixin
from workgroups.models import (
    EventResponse,
    MediatorRequest,
    Meeting,
    Membership,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Referral,
    Task,
    TaskSignup,
    WorkingGroup,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "state", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "is_permanent", "ends_on"]
    list_filter = ["theme", "is_permanent"]
    search_fields = ["name", "description"]
    list_select_related = ["theme"]
    inlines = [MembershipInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "place"]
    list_filter = ["group"]
    list_select_related = ["group"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["attendees"]


class TaskSignupInline(NoAddAdminMixin, admin.TabularInline):
    """Sign-ups go through the service, which guards the places."""

    model = TaskSignup
    extra = 0
    fields = ["user", "created_at", "cancelled_at"]
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "group",
        "theme",
        "starts_at",
        "helpers_needed",
        "signed_up_count",
        "is_open",
    ]
    list_filter = ["is_open", "kind", "theme", "group"]
    search_fields = ["title", "description", "organisation"]
    list_select_related = ["group", "theme"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["languages"]
    # Sign-ups, closing and reopening keep these (the task's page in the portal closes it).
    readonly_fields = ["signed_up_count", "is_open", "closed_at"]
    inlines = [TaskSignupInline]


class OfferInline(admin.StackedInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["languages"]


class PartnerNeedInline(admin.TabularInline):
    model = PartnerNeed
    extra = 0
    fields = ["theme", "district", "description", "is_open"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_name", "contact_email", "is_active"]
    list_filter = ["is_active", "kind", "districts", "themes"]
    search_fields = ["name", "contact_name", "contact_email", "address"]
    filter_horizontal = ["districts", "themes"]
    inlines = [OfferInline, PartnerNeedInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "theme", "district", "is_free", "is_active"]
    list_filter = ["is_active", "is_free", "theme", "district"]
    search_fields = ["title", "partner__name"]
    list_select_related = ["partner", "theme", "district"]
    autocomplete_fields = ["partner", "languages"]


@admin.register(Referral)
class ReferralAdmin(AuditedAdmin, admin.ModelAdmin):
    people_shown = ("newcomer",)
    list_display = ["newcomer", "offer", "outcome", "consent_on", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["newcomer", "offer__partner"]
    search_fields = ["newcomer__full_name", "offer__title"]
    raw_id_fields = ["newcomer", "offer", "referred_by"]
    date_hierarchy = "created_at"


class EventResponseInline(admin.TabularInline):
    """Partner contacts have no account: coordinators record their replies here."""

    model = EventResponse
    extra = 1
    fields = ["partner", "user", "answer"]
    autocomplete_fields = ["partner"]
    raw_id_fields = ["user"]


@admin.register(NetworkEvent)
class NetworkEventAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "place", "cancelled_at"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [EventResponseInline]


@admin.register(MediatorRequest)
class MediatorRequestAdmin(AuditedAdmin, admin.ModelAdmin):
    people_shown = ("newcomer",)
    list_display = ["language", "other_language", "starts_at", "place", "state", "mediator"]
    list_filter = ["state", "language"]
    list_select_related = ["language", "other_language", "mediator"]
    raw_id_fields = ["newcomer", "requested_by", "mediator"]
    date_hierarchy = "starts_at"
