from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ankommen.admin_mixins import (
    LARGE_TABLE_PAGE,
    AuditedAdmin,
    ChangedByAdminMixin,
    NoAddAdminMixin,
    ReadOnlyAdminMixin,
)
from matching.models import (
    CheckIn,
    ClosingFeedback,
    DistrictNeighbour,
    Leftover,
    MatchingRun,
    MatchingWeights,
    Mentorship,
    Proposal,
    Rejection,
)


@admin.register(DistrictNeighbour)
class DistrictNeighbourAdmin(admin.ModelAdmin):
    list_display = ["district", "neighbour"]
    list_filter = ["district"]
    list_select_related = ["district", "neighbour"]


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(ChangedByAdminMixin, admin.ModelAdmin):
    list_display = [
        "changed_at", "changed_by", "language", "district", "themes", "availability", "waiting",
        "age",
    ]  # fmt: skip
    list_select_related = ["changed_by"]
    readonly_fields = ["changed_by", "changed_at"]


@admin.register(Rejection)
class RejectionAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "newcomer", "reason", "rejected_by", "rejected_at"]
    list_select_related = ["volunteer__user", "newcomer", "rejected_by"]
    search_fields = ["volunteer__user__full_name", "newcomer__full_name", "reason"]
    date_hierarchy = "rejected_at"
    autocomplete_fields = ["volunteer", "newcomer"]
    readonly_fields = ["rejected_by", "rejected_at"]


class CheckInInline(admin.TabularInline):
    model = CheckIn
    fields = ["due_on", "answer", "note", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class FeedbackInline(admin.TabularInline):
    model = ClosingFeedback
    fields = ["side", "rating", "comment", "given_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Mentorship)
class MentorshipAdmin(AuditedAdmin, admin.ModelAdmin):
    people_shown = ("newcomer", "volunteer")
    list_per_page = LARGE_TABLE_PAGE
    list_display = ["volunteer", "newcomer", "state", "flag", "first_meeting_on", "created_at"]
    list_filter = [
        "state",
        "flag",
        "end_reason",
        "meeting_frequency",
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["volunteer__user", "newcomer"]
    search_fields = ["volunteer__user__full_name", "newcomer__full_name"]
    autocomplete_fields = ["volunteer", "newcomer", "language_mediator"]
    readonly_fields = ["matched_by", "override_reason", "state_changed_at", "created_at"]
    inlines = [CheckInInline, FeedbackInline]
    actions = ["clear_flags"]

    @admin.action(description=_("Mark the selected mentorships as taken care of"))
    def clear_flags(self, request, queryset) -> None:  # noqa: ANN001
        cleared = queryset.exclude(flag="").update(flag="")
        self.message_user(request, _("%(count)s flags cleared.") % {"count": cleared})


class ProposalInline(admin.TabularInline):
    model = Proposal
    fields = ["newcomer", "volunteer", "score", "state"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        return super().get_queryset(request).select_related("newcomer", "volunteer__user")


@admin.register(MatchingRun)
class MatchingRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A run is a record of what happened: read only."""

    list_display = [
        "started_at", "started_by", "state", "newcomers_considered", "proposals_made",
        "total_score",
    ]  # fmt: skip
    list_filter = ["state"]
    list_select_related = ["started_by"]
    date_hierarchy = "started_at"
    readonly_fields = [field.name for field in MatchingRun._meta.fields]


@admin.register(Proposal)
class ProposalAdmin(NoAddAdminMixin, admin.ModelAdmin):
    list_display = ["run", "newcomer", "volunteer", "score", "state"]
    list_filter = ["state"]
    list_select_related = ["run", "newcomer", "volunteer__user"]
    search_fields = ["newcomer__full_name", "volunteer__user__full_name"]
    readonly_fields = ["run", "newcomer", "volunteer", "score", "components", "runner_ups"]


@admin.register(Leftover)
class LeftoverAdmin(NoAddAdminMixin, admin.ModelAdmin):
    list_display = ["run", "newcomer", "reason"]
    list_filter = ["reason"]
    list_select_related = ["run", "newcomer"]
    search_fields = ["newcomer__full_name"]
    readonly_fields = ["run", "newcomer", "reason", "details"]


@admin.register(CheckIn)
class CheckInAdmin(NoAddAdminMixin, AuditedAdmin, admin.ModelAdmin):
    people_shown = ("mentorship__newcomer", "mentorship__volunteer")
    list_display = ["mentorship", "due_on", "answer", "answered_at"]
    list_filter = ["answer", ("due_on", admin.DateFieldListFilter)]
    list_select_related = ["mentorship__volunteer__user", "mentorship__newcomer"]
    search_fields = ["mentorship__newcomer__full_name", "mentorship__volunteer__user__full_name"]
    # The token hash is a secret's fingerprint: never shown, never edited.
    exclude = ["token_hash"]
    readonly_fields = ["mentorship", "due_on", "answer", "note", "answered_at"]
