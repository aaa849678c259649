from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services import dispatch_message


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "to_email", "language", "state", "attempts"]
    list_filter = ["state", "template", "language"]
    search_fields = ["to_email", "idempotency_key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    readonly_fields = [
        "recipient",
        "to_email",
        "template",
        "context",
        "language",
        "idempotency_key",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "updated_at",
        "sent_at",
    ]
    actions = ["retry_failed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send failed e-mails again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        failed_ids = list(
            queryset.filter(state=OutboxMessage.State.FAILED).values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=failed_ids).update(state=OutboxMessage.State.PENDING)
        for message_id in failed_ids:
            dispatch_message(message_id=message_id)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again.", "%(count)d e-mails queued again.", len(failed_ids)
            )
            % {"count": len(failed_ids)},
            messages.SUCCESS,
        )
