from django.contrib import admin

from matching.models import DistrictNeighbour, MatchingWeights, Mentorship, Rejection


@admin.register(DistrictNeighbour)
class DistrictNeighbourAdmin(admin.ModelAdmin):
    list_display = ["district", "neighbour"]
    list_filter = ["district"]


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "language", "district", "themes", "availability", "waiting"]
    readonly_fields = ["changed_by"]

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Rejection)
class RejectionAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "newcomer", "reason", "rejected_at"]
    raw_id_fields = ["volunteer", "newcomer"]
    readonly_fields = ["rejected_by"]


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "newcomer", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["volunteer", "newcomer"]
