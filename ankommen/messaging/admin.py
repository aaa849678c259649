from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ankommen.admin_mixins import LARGE_TABLE_PAGE, NoAddAdminMixin
from ankommen.messaging.models import (
    AddressHealth,
    Newsletter,
    NewsletterTranslation,
    OutboxMessage,
    Subscription,
)
from ankommen.messaging.services import dispatch_messages


@admin.register(OutboxMessage)
class OutboxMessageAdmin(NoAddAdminMixin, admin.ModelAdmin):
    list_per_page = LARGE_TABLE_PAGE
    list_display = ["created_at", "template", "to_email", "category", "state", "attempts"]
    # Large tables get a date filter instead of date_hierarchy, whose bar reads the date of
    # every row (92 ms for 100,000 e-mails), and no second count of all rows.
    list_filter = ["state", "category", "language", ("created_at", admin.DateFieldListFilter)]
    show_full_result_count = False
    search_fields = ["to_email", "idempotency_key"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "newsletter"]
    # One-time links act as passwords: nobody reads them here, not even before sending.
    exclude = ["secret_context"]
    readonly_fields = [
        field.name for field in OutboxMessage._meta.fields if field.name != "secret_context"
    ]
    actions = ["retry_failed"]

    @admin.action(description=_("Send failed e-mails again"))
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        failed = queryset.filter(state=OutboxMessage.State.FAILED)
        # Their links were dropped when they failed; the person asks for a new one instead.
        without_links = failed.filter(has_secrets=True).count()
        if without_links:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-mail held a one-time link that is gone; it is not sent again.",
                    "%(count)d e-mails held one-time links that are gone; they are not sent again.",
                    without_links,
                )
                % {"count": without_links},
                messages.WARNING,
            )
        failed_ids = list(failed.filter(has_secrets=False).values_list("pk", flat=True))
        OutboxMessage.objects.filter(pk__in=failed_ids).update(
            state=OutboxMessage.State.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        dispatch_messages(message_ids=failed_ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued again.", "%(count)d e-mails queued again.", len(failed_ids)
            )
            % {"count": len(failed_ids)},
            messages.SUCCESS,
        )


@admin.register(AddressHealth)
class AddressHealthAdmin(admin.ModelAdmin):
    list_display = ["email", "hard_failures", "last_failure_at", "suppressed_at"]
    list_filter = [("suppressed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "hard_failures", "last_error", "last_failure_at"]
    actions = ["allow_again"]

    @admin.action(description=_("Try these addresses again"))
    def allow_again(self, request: HttpRequest, queryset: QuerySet[AddressHealth]) -> None:
        queryset.update(suppressed_at=None, hard_failures=0)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "language", "state", "confirmed_at", "unsubscribed_at"]
    list_filter = ["state", "language", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["email", "full_name"]
    raw_id_fields = ["user", "unsubscribed_via"]
    # Consent is evidence: it is shown, never edited.
    readonly_fields = [
        "consent_text",
        "consent_ip",
        "consented_at",
        "confirmed_at",
        "unsubscribed_at",
        "unsubscribed_via",
        "created_at",
        "updated_at",
    ]


class NewsletterTranslationInline(admin.StackedInline):
    model = NewsletterTranslation
    extra = 0


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["subject", "state", "segment_kind", "recipients_total", "sent_at"]
    list_filter = ["state", "language", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["subject"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    inlines = [NewsletterTranslationInline]
    readonly_fields = [
        "recipients_total",
        "sending_started_at",
        "fanned_out_at",
        "sent_at",
        "created_at",
        "updated_at",
    ]
