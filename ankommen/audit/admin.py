from django.contrib import admin

from ankommen.admin_mixins import LARGE_TABLE_PAGE, ReadOnlyAdminMixin
from ankommen.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Readable by administrators, changeable by nobody."""

    list_per_page = LARGE_TABLE_PAGE
    list_display = ["at", "actor_id", "action", "subject_type", "subject_id"]
    list_filter = ["action", "subject_type", ("at", admin.DateFieldListFilter)]
    show_full_result_count = False  # the log only grows
    search_fields = ["=subject_id", "=actor_id"]
    readonly_fields = ["at", "actor_id", "action", "subject_type", "subject_id", "details"]
    can_delete = False
