from django.contrib import admin

from ankommen.admin_mixins import ChangedByAdminMixin, ReadOnlyAdminMixin
from cockpit.models import ImportJob, Target


@admin.register(Target)
class TargetAdmin(ChangedByAdminMixin, admin.ModelAdmin):
    list_display = ["metric", "value", "note", "changed_by", "changed_at"]
    list_select_related = ["changed_by"]
    readonly_fields = ["changed_by", "changed_at"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What was imported, by whom and when; the upload itself is never shown here."""

    list_display = ["file_name", "kind", "state", "created_count", "started_by", "started_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["started_by"]
    date_hierarchy = "started_at"
    search_fields = ["file_name"]
    exclude = ["content", "preview"]
    readonly_fields = [
        "kind", "file_name", "state", "total_rows", "processed_rows", "errors", "created_count",
        "started_by", "started_at", "finished_at",
    ]  # fmt: skip

    def get_queryset(self, request):  # noqa: ANN001, ANN201
        return super().get_queryset(request).defer("content", "preview")
