"""Where matching plugs into the rest: capacity, "matched" flags, contact person, menu."""

from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext

from ankommen.accounts.permissions import is_coordinator, is_volunteer
from ankommen.navigation import MATCHING, NAVIGATION, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from matching import demo, privacy
from matching.models import ClosingFeedback, Mentorship
from matching.withdrawal import end_for_withdrawal, pause_with_volunteer, resume_with_volunteer
from refugees.hooks import (
    ACTIONS,
    CONTACT_PEOPLE,
    MATCHED,
    NOTICES,
    ContactPerson,
    NewcomerAction,
    Notice,
)
from refugees.models import Newcomer
from volunteers.hooks import CAPACITY_USAGE, PAUSE, RESUME, WITHDRAWAL
from volunteers.models import Volunteer

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


SHOWN_TO_NEWCOMER = [Mentorship.State.INTRODUCED, Mentorship.State.ACTIVE, Mentorship.State.PAUSED]
# How long after the end the newcomer's home page still asks how it went.
ASK_FEEDBACK_FOR = timedelta(days=60)


def _first_name(volunteer: Volunteer) -> str:
    return volunteer.user.given_name


def _contact_people(newcomer: Newcomer) -> list[ContactPerson]:
    """Only once the pair was introduced, and only the first name the volunteer goes by."""
    mentorships = Mentorship.objects.filter(
        newcomer=newcomer, state__in=SHOWN_TO_NEWCOMER
    ).select_related("volunteer__user", "language_mediator__user")
    return [
        ContactPerson(
            first_name=_first_name(mentorship.volunteer),
            first_meeting=mentorship.first_meeting_on,
            first_meeting_place=mentorship.first_meeting_place,
            mediator=_first_name(mentorship.language_mediator)
            if mentorship.language_mediator
            else "",
        )
        for mentorship in mentorships
    ]


def _notices(newcomer: Newcomer) -> list[Notice]:
    """A new contact person before the first meeting; after the end, "how was it?", or, when
    the volunteer withdrew, that a new contact person is being looked for (without a name)."""
    today = timezone.localdate()
    recent = (
        Mentorship.objects.filter(newcomer=newcomer)
        .select_related("volunteer__user")
        .filter(
            Q(state=Mentorship.State.INTRODUCED, first_meeting_on__gte=today)
            | Q(
                state=Mentorship.State.ENDED,
                state_changed_at__gte=timezone.now() - ASK_FEEDBACK_FOR,
            )
        )
    )
    not_answered = ~Exists(
        ClosingFeedback.objects.filter(
            mentorship=OuterRef("pk"), side=ClosingFeedback.Side.NEWCOMER
        )
    )
    notices = []
    for mentorship in recent.filter(Q(state=Mentorship.State.INTRODUCED) | not_answered):
        name = _first_name(mentorship.volunteer)
        if mentorship.state == Mentorship.State.INTRODUCED:
            text = pgettext("newcomer view", "You have a contact person: %(name)s.")
            notices.append(Notice(text % {"name": name}, reverse("newcomer:contact")))
        elif mentorship.end_reason == Mentorship.EndReason.VOLUNTEER_WITHDREW:
            if not Mentorship.objects.filter(OPEN, newcomer=newcomer).exists():
                notices.append(Notice(volunteer_left_notice(), reverse("newcomer:contact")))
        else:
            text = pgettext("newcomer view", "How was your time with %(name)s? Tell us.")
            url = reverse("matching:newcomer_feedback", kwargs={"pk": mentorship.pk})
            notices.append(Notice(text % {"name": name}, url))
    return notices


def _newcomer_actions(newcomer: Newcomer) -> list[NewcomerAction]:
    """Without an open mentorship: match by hand; with one: the way to it. One query."""
    if newcomer.closed_at is not None:
        return []
    current = Mentorship.objects.filter(OPEN, newcomer=newcomer).values_list("pk", flat=True)
    mentorship_pk = current.first()
    if mentorship_pk is None:
        url = reverse("matching:manual_match", kwargs={"pk": newcomer.pk})
        return [NewcomerAction(gettext("Match by hand"), url)]
    url = reverse("matching:mentorship_detail", kwargs={"pk": mentorship_pk})
    return [NewcomerAction(gettext("Open the mentorship"), url)]


def volunteer_left_notice() -> str:
    return pgettext(
        "newcomer view",
        "Your contact person can no longer accompany you. We are looking for someone new for "
        "you. The time you have already waited still counts.",
    )


def register() -> None:
    CAPACITY_USAGE.register(_open_mentorships_of_volunteer)
    MATCHED.register(_has_open_mentorship)
    CONTACT_PEOPLE.register(_contact_people)
    NOTICES.register(_notices)
    ACTIONS.register(_newcomer_actions)
    WITHDRAWAL.register(end_for_withdrawal)
    PAUSE.register(pause_with_volunteer)
    RESUME.register(resume_with_volunteer)
    NAVIGATION.register(
        NavItem(gettext_lazy("Matching runs"), "matching:runs", is_coordinator, 250, MATCHING)
    )
    NAVIGATION.register(
        NavItem(gettext_lazy("Mentorships"), "matching:mentorships", is_coordinator, 251, MATCHING)
    )
    NAVIGATION.register(
        NavItem(gettext_lazy("Matching weights"), "matching:weights", is_coordinator, 253, MATCHING)
    )
    NAVIGATION.register(
        NavItem(gettext_lazy("My mentorships"), "matching:my_mentorships", is_volunteer, 252)
    )
    privacy.register()
    DEMO_SEEDERS.register(demo.seed_matching)
