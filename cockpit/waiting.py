"""Newcomers still waiting for a contact person: by open need, by language, by waiting time."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ankommen.vocabulary.models import Language, Theme
from cockpit.figures import Figure, list_url
from matching.loader import Scope, waiting_newcomers
from refugees.models import Need, Newcomer, NewcomerLanguage

SHOWN = 8
# Waiting at least this many days; each links to the list of those waiting since before then.
WAITING_STEPS = (28, 91, 182)
LIST = "refugees:newcomer_list"
WAITING = {"matched": "false", "open": "true"}


@dataclass(frozen=True)
class Waiting:
    total: Figure
    by_need: list[Figure]
    by_language: list[Figure]
    by_time: list[Figure]


def waiting(today: date) -> Waiting:
    newcomers = waiting_newcomers(Scope(), today)
    cutoffs = {days: today - timedelta(days=days) for days in WAITING_STEPS}
    counts = newcomers.aggregate(
        total=Count("pk"),
        **{
            f"over_{days}": Count("pk", filter=Q(waiting_since__lt=cutoff))
            for days, cutoff in cutoffs.items()
        },
    )
    by_time = [
        Figure(
            label=_waited(days),
            value=counts[f"over_{days}"],
            url=list_url(LIST, waiting_before=cutoff.isoformat(), **WAITING),
        )
        for days, cutoff in cutoffs.items()
    ]
    return Waiting(
        total=Figure(_("Waiting for a contact person"), counts["total"], list_url(LIST, **WAITING)),
        by_need=_by_need(newcomers),
        by_language=_by_language(newcomers),
        by_time=by_time,
    )


def _waited(days: int) -> str:
    weeks = days // 7
    if weeks < 8:
        return ngettext("%(count)s week or longer", "%(count)s weeks or longer", weeks) % {
            "count": weeks
        }
    months = round(days / 30.4)
    return ngettext("%(count)s month or longer", "%(count)s months or longer", months) % {
        "count": months
    }


def _by_need(newcomers: QuerySet[Newcomer]) -> list[Figure]:
    rows = (
        Need.objects.filter(status=Need.Status.OPEN, newcomer__in=newcomers.values("pk"))
        .values("theme")
        .annotate(people=Count("newcomer", distinct=True))
        .order_by("-people", "theme")[:SHOWN]
    )
    rows = list(rows)
    themes = Theme.objects.in_bulk([row["theme"] for row in rows])
    return [
        Figure(
            label=themes[row["theme"]].localized_name,
            value=row["people"],
            url=list_url(LIST, theme=str(row["theme"]), **WAITING),
        )
        for row in rows
    ]


def _by_language(newcomers: QuerySet[Newcomer]) -> list[Figure]:
    rows = list(
        NewcomerLanguage.objects.filter(newcomer__in=newcomers.values("pk"))
        .values("language")
        .annotate(people=Count("newcomer", distinct=True))
        .order_by("-people", "language")[:SHOWN]
    )
    languages = Language.objects.in_bulk([row["language"] for row in rows])
    return [
        Figure(
            label=str(languages[row["language"]]),
            value=row["people"],
            url=list_url(LIST, language=str(row["language"]), **WAITING),
        )
        for row in rows
    ]
