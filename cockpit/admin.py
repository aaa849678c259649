from typing import Any

from django.contrib import admin
from django.db import transaction

from ankommen.admin_mixins import ChangedByAdminMixin, ReadOnlyAdminMixin
from ankommen.audit import services as audit
from cockpit import dashboard
from cockpit.models import ImportJob, Target


@admin.register(Target)
class TargetAdmin(ChangedByAdminMixin, admin.ModelAdmin):
    """Coordinators set targets on their own page (cockpit.services); saves here leave the
    same audit entries and refresh the dashboard too."""

    list_display = ["metric", "value", "note", "changed_by", "changed_at"]
    list_select_related = ["changed_by"]
    readonly_fields = ["changed_by", "changed_at"]

    def save_model(self, request: Any, obj: Target, form: Any, change: bool) -> None:
        with transaction.atomic(), audit.recorded_by(request.user) as trail:
            super().save_model(request, obj, form, change)
            if change:
                trail.changed(obj, form.changed_data)
            else:
                trail.created(obj)
        transaction.on_commit(dashboard.forget)

    def delete_model(self, request: Any, obj: Target) -> None:
        self.delete_queryset(request, Target.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        with transaction.atomic(), audit.recorded_by(request.user) as trail:
            for target in queryset:
                trail.deleted(target)
            super().delete_queryset(request, queryset)
        transaction.on_commit(dashboard.forget)


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
