"""Each newcomer's most urgent open need, stored on the newcomer.

The coordinators' list sorts everyone by it, most urgent first. Computed per row it cost 40 ms
of every list page at city scale (10,000 newcomers, 20,000 needs); stored and indexed together
with the waiting time, the first page is read straight off the index. Saving or deleting a need
keeps it right, through the admin too; code that writes needs in bulk calls `refresh`.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from refugees.models import Need, Newcomer, Urgency

URGENCY_RANK = {Urgency.LOW: 1, Urgency.MEDIUM: 2, Urgency.HIGH: 3, Urgency.URGENT: 4}


def _most_urgent_open_need() -> Coalesce:
    rank = Case(
        *[When(urgency=urgency, then=Value(rank)) for urgency, rank in URGENCY_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    most_urgent = (
        Need.objects.filter(newcomer=OuterRef("pk"), status=Need.Status.OPEN)
        .annotate(rank=rank)
        .order_by("-rank")
        .values("rank")[:1]
    )
    return Coalesce(Subquery(most_urgent), Value(0), output_field=IntegerField())


def refresh(newcomer_ids: Iterable[int] | None = None) -> int:
    """Recomputes the stored rank for these newcomers (all of them with None), in one UPDATE."""
    newcomers = Newcomer.objects.all()
    if newcomer_ids is not None:
        newcomers = newcomers.filter(pk__in=list(newcomer_ids))
    return newcomers.update(most_urgent_need=_most_urgent_open_need())


def _need_changed(sender: type[Need], instance: Need, **kwargs: Any) -> None:
    refresh([instance.newcomer_id])


def connect() -> None:
    post_save.connect(_need_changed, sender=Need, dispatch_uid="refugees.urgency")
    post_delete.connect(_need_changed, sender=Need, dispatch_uid="refugees.urgency")
