from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription
from ankommen.messaging.segments import recipients_for, segment_label

STATE = OutboxMessage.State


def _count(queryset: QuerySet[OutboxMessage]) -> Coalesce:
    """A correlated count: joining messages and unsubscriptions at once would multiply rows."""
    counted = (
        queryset.order_by().values("newsletter_id").annotate(total=Count("pk")).values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def newsletters_with_numbers() -> QuerySet[Newsletter]:
    """Each newsletter with its delivery figures, in one query for any number of them."""
    messages = OutboxMessage.objects.filter(newsletter_id=OuterRef("pk"))
    return Newsletter.objects.select_related("created_by").annotate(
        sent_count=_count(messages.filter(state=STATE.SENT)),
        failed_count=_count(messages.filter(state=STATE.FAILED)),
        waiting_count=_count(messages.filter(state__in=[STATE.PENDING, STATE.SENDING])),
        unsubscribed_count=Coalesce(
            Subquery(
                Subscription.objects.filter(unsubscribed_via_id=OuterRef("pk"))
                .order_by()
                .values("unsubscribed_via_id")
                .annotate(total=Count("pk"))
                .values("total"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )


def sent_newsletters() -> QuerySet[Newsletter]:
    return Newsletter.objects.filter(state=Newsletter.State.SENT).order_by("-sent_at")


def delivery_log() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.select_related("newsletter").defer(
        "context", "secret_context", "headers"
    )


# Enough to recognise the audience ("ah, the volunteers"); the page is no address list.
EXAMPLE_RECIPIENTS = 3


@dataclass(frozen=True)
class LanguageShare:
    """The recipients reading one language, and which version of the newsletter they get."""

    language: str
    count: int
    # The language of the version they get: their own when there is one, else the main one.
    version: str

    @property
    def name(self) -> str:
        return dict(settings.LANGUAGES).get(self.language, self.language)

    @property
    def version_name(self) -> str:
        return dict(settings.LANGUAGES).get(self.version, self.version)

    @property
    def gets_own_version(self) -> bool:
        return self.language == self.version


@dataclass(frozen=True)
class RecipientSummary:
    audience: str
    total: int
    by_language: list[LanguageShare]
    examples: list[str]


def recipient_summary(newsletter: Newsletter) -> RecipientSummary:
    """Who would get the newsletter if it went out now, by language, with a few names: in
    three queries, whatever the number of recipients."""
    recipients = recipients_for(newsletter.segment_kind, newsletter.segment_value)
    versions = set(newsletter.translations.values_list("language", flat=True))
    counts = (
        recipients.order_by()
        .values_list("language")
        .annotate(total=Count("pk"))
        .order_by("-total", "language")
    )
    by_language = [
        LanguageShare(
            language=language,
            count=total,
            version=language if language in versions else newsletter.language,
        )
        for language, total in counts
    ]
    examples = [
        name or email
        for name, email in recipients.order_by("pk").values_list("full_name", "email")[
            :EXAMPLE_RECIPIENTS
        ]
    ]
    return RecipientSummary(
        audience=segment_label(newsletter.segment_kind, newsletter.segment_value),
        total=sum(share.count for share in by_language),
        by_language=by_language,
        examples=examples,
    )
