from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from refugees.extensions import matched_expression
from refugees.models import Need, Newcomer, NewcomerLanguage, Urgency

URGENCY_RANK = {Urgency.LOW: 1, Urgency.MEDIUM: 2, Urgency.HIGH: 3, Urgency.URGENT: 4}


def newcomers_visible_to(user: User) -> QuerySet[Newcomer]:
    """Coordinators see every record; a newcomer only their own; volunteers none here.

    Matched volunteers see a newcomer's first name and shared contacts through the
    matching app, never this record.
    """
    newcomers = Newcomer.objects.select_related("district")
    if is_coordinator(user):
        return newcomers
    if getattr(user, "is_authenticated", False) and user.is_newcomer:
        return newcomers.filter(user=user)
    return newcomers.none()


def _top_urgency() -> Coalesce:
    """The rank of the newcomer's most urgent open need, 0 without one. A subquery per row,
    not a GROUP BY over every need: at city scale the list's query went from 52 to N ms."""
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


def newcomer_list() -> QuerySet[Newcomer]:
    """The coordinators' list with what its columns and filters need, in fixed queries."""
    return (
        Newcomer.objects.select_related("district")
        .prefetch_related(
            Prefetch("languages", queryset=NewcomerLanguage.objects.select_related("language")),
            Prefetch(
                "needs",
                queryset=Need.objects.filter(status=Need.Status.OPEN).select_related("theme"),
                to_attr="open_needs",
            ),
        )
        .annotate(top_urgency=_top_urgency(), is_matched=matched_expression())
        # Most urgent first, then whoever has waited longest: the fairness rule of the network.
        .order_by("-top_urgency", "waiting_since", "pk")
    )


def newcomer_detail(user: User) -> QuerySet[Newcomer]:
    return newcomers_visible_to(user).prefetch_related(
        Prefetch("languages", queryset=NewcomerLanguage.objects.select_related("language")),
        "members",
        Prefetch("needs", queryset=Need.objects.select_related("theme", "created_by")),
        "consents__obtained_by",
        "access_links",
        "changes__changed_by",
    )


def open_needs() -> QuerySet[Need]:
    return Need.objects.filter(status=Need.Status.OPEN).select_related("newcomer", "theme")
