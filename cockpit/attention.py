"""What needs a coordinator now: flagged mentorships, overloaded or silent volunteers,
clearances and qualifications about to run out."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cockpit.figures import Figure, list_url
from matching.models import Mentorship
from matching.selectors import FLAGGED, mentorship_list
from trainings.models import Qualification
from volunteers.filters import CardFileFilter
from volunteers.selectors import card_file
from volunteers.stages import ACCOMPANYING_STAGES

AVAILABLE = [stage.value for stage in ACCOMPANYING_STAGES]
SHOWN = 5
QUALIFICATIONS_AHEAD = timedelta(days=60)

# Each figure is the card file with these filters: the number and its list cannot disagree.
VOLUNTEER_FIGURES = {
    "overload": {"stage": AVAILABLE, "accompanies": "true", "free_capacity": "false"},
    "silent": {"stage": AVAILABLE, "inactive_days": "30"},
    "clearance": {"clearance": "expiring"},
}


@dataclass(frozen=True)
class Attention:
    flagged: Figure
    flagged_mentorships: list[Mentorship]
    volunteers: list[Figure]
    qualifications: list[Qualification]


def attention(today: date) -> Attention:
    flagged = _flagged()
    labels = {
        "overload": _("At or over the number of people they offered to accompany"),
        "silent": _("Ready or active, but silent for a month or more"),
        "clearance": _("Police clearance runs out within 30 days"),
    }
    return Attention(
        flagged=Figure(
            _("Mentorships that need attention"),
            flagged.count(),
            list_url("matching:mentorships", state=FLAGGED),
        ),
        flagged_mentorships=list(flagged[:SHOWN]),
        volunteers=[
            Figure(
                labels[key],
                CardFileFilter(params, queryset=card_file()).qs.count(),
                list_url("volunteers:card_file", **params),
            )
            for key, params in VOLUNTEER_FIGURES.items()
        ],
        qualifications=list(
            Qualification.objects.filter(
                user__volunteer__isnull=False,
                valid_until__gte=today,
                valid_until__lte=today + QUALIFICATIONS_AHEAD,
            )
            .select_related("user__volunteer")
            .order_by("valid_until", "pk")[: SHOWN * 2]
        ),
    )


def _flagged() -> QuerySet[Mentorship]:
    return mentorship_list(FLAGGED)
