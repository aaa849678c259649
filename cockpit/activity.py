"""Trainings this month, the largest gaps of the theme x district matrix, and monthly trends."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _

from cockpit.figures import Figure
from matching.models import Mentorship
from trainings.models import Session
from volunteers.models import HoursEntry, Volunteer
from workgroups.gaps import gap_matrix

MONTHS = 12
GAPS_SHOWN = 5


@dataclass(frozen=True)
class SessionFill:
    session: Session
    percent: int


def trainings_this_month(today: date) -> list[SessionFill]:
    start = today.replace(day=1)
    sessions = (
        Session.objects.filter(starts_at__date__gte=start, starts_at__date__lt=_next_month(start))
        .exclude(status=Session.Status.CANCELLED)
        .select_related("course")
        .order_by("starts_at", "pk")
    )
    return [
        SessionFill(session, round(100 * session.confirmed_count / session.capacity))
        if session.capacity
        else SessionFill(session, 0)
        for session in sessions
    ]


def largest_gaps() -> list[Figure]:
    """The cells where demand exceeds supply the most; each links to the records behind it."""
    _themes, _districts, cells = gap_matrix()
    short = [cell for cell in cells.values() if cell.status in ("gap", "short")]
    short.sort(key=lambda cell: (cell.supply - cell.demand, cell.theme.pk, cell.district.pk))
    return [
        Figure(
            label=f"{cell.theme} · {cell.district}",
            value=cell.demand - cell.supply,
            url=reverse(
                "workgroups:gap_cell",
                kwargs={"theme": cell.theme.slug, "district": cell.district.slug},
            ),
        )
        for cell in short[:GAPS_SHOWN]
    ]


@dataclass(frozen=True)
class Series:
    """A figure per month: what is counted (the chart's value axis) and one value a month."""

    title: str
    unit: str
    points: list[tuple[date, float]]

    @property
    def peak(self) -> float:
        return max((value for _month, value in self.points), default=0)


def trends(today: date) -> list[Series]:
    months = _last_months(today)
    first = months[0]
    joined = dict(
        Volunteer.objects.filter(created_at__date__gte=first)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    hours = dict(
        HoursEntry.objects.filter(state=HoursEntry.State.APPROVED, worked_on__gte=first)
        .annotate(month=TruncMonth("worked_on"))
        .values_list("month")
        .annotate(total=Sum("hours"))
    )
    # Open at the end of each month: started by then and not ended by then, in one query.
    running = Mentorship.objects.exclude(state=Mentorship.State.PROPOSED)
    ends = [_next_month(month) for month in months]
    open_counts = running.aggregate(
        **{
            f"m{index}": Count(
                "pk",
                filter=Q(created_at__date__lt=end)
                & ~Q(state=Mentorship.State.ENDED, state_changed_at__date__lt=end),
            )
            for index, end in enumerate(ends)
        }
    )
    return [
        Series(
            _("New volunteers per month"),
            _("Volunteers"),
            [(month, _count_for(joined, month)) for month in months],
        ),
        Series(
            _("Mentorships running at the end of the month"),
            _("Mentorships"),
            [(month, open_counts[f"m{index}"]) for index, month in enumerate(months)],
        ),
        Series(
            _("Approved volunteer hours per month"),
            _("Hours"),
            [(month, float(_count_for(hours, month))) for month in months],
        ),
    ]


def _count_for(by_month: dict, month: date) -> float:
    """TruncMonth gives dates or aware datetimes depending on the field; match on year-month."""
    for key, value in by_month.items():
        if (key.year, key.month) == (month.year, month.month):
            return value or 0
    return 0


def _last_months(today: date) -> list[date]:
    months = [today.replace(day=1)]
    while len(months) < MONTHS:
        previous = months[-1]
        months.append(
            previous.replace(year=previous.year - 1, month=12)
            if previous.month == 1
            else previous.replace(month=previous.month - 1)
        )
    return list(reversed(months))


def _next_month(month: date) -> date:
    if month.month == 12:
        return month.replace(year=month.year + 1, month=1, day=1)
    return month.replace(month=month.month + 1, day=1)
