from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription

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
