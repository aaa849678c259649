"""Newsletter segments that only the volunteer side can answer: district and interests."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.messaging.models import Subscription
from ankommen.messaging.segments import Segment
from ankommen.vocabulary.models import District, Theme
from volunteers.models import Stage


def _current_volunteers() -> QuerySet[Subscription]:
    return Subscription.objects.filter(user__volunteer__isnull=False).exclude(
        user__volunteer__stage=Stage.WITHDRAWN
    )


def _in_district(value: str) -> QuerySet[Subscription]:
    return _current_volunteers().filter(user__volunteer__district__slug=value)


def _interested_in(value: str) -> QuerySet[Subscription]:
    return _current_volunteers().filter(user__volunteer__themes__slug=value).distinct()


VOLUNTEERS_IN_A_DISTRICT = Segment(
    "district",
    _("Volunteers in a district"),
    _in_district,
    values=lambda: [(d.slug, d.localized_name) for d in District.objects.offered()],
)
VOLUNTEERS_INTERESTED_IN_A_THEME = Segment(
    "theme",
    _("Volunteers interested in a theme"),
    _interested_in,
    values=lambda: [(t.slug, t.localized_name) for t in Theme.objects.offered()],
)
