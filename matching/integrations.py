"""Where matching plugs into the rest: capacity, "matched" flags, contact person, menu."""

from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from ankommen.accounts.permissions import is_coordinator, is_volunteer
from ankommen.navigation import NavItem, register_nav_item
from matching.models import Mentorship
from refugees.extensions import (
    ContactPerson,
    register_contact_person_provider,
    register_matched_expression,
)
from volunteers.extensions import register_capacity_usage

OPEN = ~Q(state=Mentorship.State.ENDED)


def _open_mentorships_of_volunteer() -> Coalesce:
    counted = (
        Mentorship.objects.filter(OPEN, volunteer=OuterRef("pk"))
        .values("volunteer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _has_open_mentorship() -> Exists:
    return Exists(Mentorship.objects.filter(OPEN, newcomer=OuterRef("pk")))


def _contact_people(newcomer: Any) -> list[ContactPerson]:
    """Only once the pair was introduced, and only the first name the volunteer goes by."""
    shown = [Mentorship.State.INTRODUCED, Mentorship.State.ACTIVE, Mentorship.State.PAUSED]
    mentorships = Mentorship.objects.filter(newcomer=newcomer, state__in=shown).select_related(
        "volunteer__user"
    )
    return [
        ContactPerson(first_name=mentorship.volunteer.user.get_short_name().split(" ")[0])
        for mentorship in mentorships
    ]


def register() -> None:
    register_capacity_usage(_open_mentorships_of_volunteer)
    register_matched_expression(_has_open_mentorship)
    register_contact_person_provider(_contact_people)
    register_nav_item(NavItem(gettext_lazy("Matching"), "matching:runs", is_coordinator, 250))
    register_nav_item(
        NavItem(gettext_lazy("Mentorships"), "matching:mentorships", is_coordinator, 251)
    )
    register_nav_item(
        NavItem(gettext_lazy("My mentorships"), "matching:my_mentorships", is_volunteer, 252)
    )
