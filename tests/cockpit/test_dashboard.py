"""The dashboard's numbers against a hand-built network, the lists behind them, and its cost."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.vocabulary.models import Language, Theme
from cockpit import dashboard
from cockpit.models import Target
from tests.factories import (
    ClearanceCheckFactory,
    HoursEntryFactory,
    MentorshipFactory,
    NeedFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Qualification
from volunteers.services import withdraw

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def network():
    """Nine volunteers along the journey, four newcomers, two mentorships, one flagged."""
    stages = ["applied", "conversation_done", "trained", "ready", "ready", "active", "active"]
    people = [VolunteerFactory(stage=stage, max_mentorships=1) for stage in stages]
    VolunteerFactory(stage="withdrawn")
    invited = VolunteerFactory(stage="paused")
    invited.user.heard_via = "invited"
    invited.user.save()
    for person in people[:4]:
        person.user.heard_via = "press"
        person.user.save()
    # Silent for two months, ready: counts as silent.
    people[3].last_activity_at = timezone.now() - timedelta(days=60)
    people[3].save()
    ClearanceCheckFactory(
        volunteer=people[4], seen_on=TODAY, issued_on=TODAY, valid_until=TODAY + timedelta(days=10)
    )
    waiting = [NewcomerFactory(waiting_since=TODAY - timedelta(days=days)) for days in (5, 40, 200)]
    housing = Theme.objects.get(slug="housing")
    NeedFactory(newcomer=waiting[0], theme=housing)
    NeedFactory(newcomer=waiting[2], theme=housing)
    for newcomer in waiting[1:]:
        NewcomerLanguageFactory(
            newcomer=newcomer, language=Language.objects.get(code="ti"), level="native"
        )
    NewcomerFactory(closed_at=timezone.now())
    matched = [NewcomerFactory(), NewcomerFactory()]
    MentorshipFactory(volunteer=people[5], newcomer=matched[0], state="active")
    MentorshipFactory(volunteer=people[4], newcomer=matched[1], state="introduced", flag="help")
    Target.objects.create(metric="friendships", value=8)
    Target.objects.create(metric="ready", value=6)
    HoursEntryFactory(volunteer=people[5], hours=Decimal("3.5"), state="approved")
    SessionFactory(starts_at=timezone.now().replace(day=1, hour=12) + timedelta(days=0), capacity=4)
    Qualification.objects.create(
        user=people[6].user,
        course=SessionFactory().course,
        name="Erste Hilfe",
        granted_on=TODAY,
        valid_until=TODAY + timedelta(days=20),
    )
    return people


def test_the_numbers_equal_the_hand_built_network(network):
    with translation.override("en"):
        board = dashboard.build(TODAY)

    funnel = {figure.label: figure.value for figure in board.funnel}
    assert list(funnel.values()) == [8, 6, 5, 4, 2, 1]
    assert board.funnel[3].target == 6
    assert board.funnel[3].percent_of_target == 67
    assert (board.friendships.value, board.friendships.target) == (2, 8)
    assert board.waiting.total.value == 3
    assert [figure.value for figure in board.waiting.by_time] == [2, 1, 1]
    assert [figure.value for figure in board.waiting.by_need] == [2]
    assert [figure.value for figure in board.waiting.by_language] == [2]
    assert board.attention.flagged.value == 1
    assert [figure.value for figure in board.attention.volunteers] == [2, 1, 1]
    assert [q.name for q in board.attention.qualifications] == ["Erste Hilfe"]
    channels = {row.label: row for row in board.channels}
    assert channels["Newspaper, radio or TV"].registered.value == 4
    assert channels["Newspaper, radio or TV"].ready.value == 1
    assert channels["Invited by someone I know"].registered.value == 1
    hours = board.charts[2]
    assert hours.bars[-1].value == 3.5 or hours.bars[-2].value == 3.5


def test_every_number_leads_to_a_list_of_exactly_that_many(client, network):
    client.force_login(UserFactory(role="coordinator"))
    board = dashboard.build(TODAY)
    figures = [
        *board.funnel,
        board.friendships,
        board.waiting.total,
        *board.waiting.by_time,
        *board.waiting.by_need,
        *board.waiting.by_language,
        board.attention.flagged,
        *board.attention.volunteers,
        *[figure for row in board.channels for figure in (row.registered, row.ready, row.matched)],
    ]

    for figure in figures:
        page = client.get(figure.url)
        assert page.status_code == 200, figure
        assert page.context["page"].paginator.count == figure.value, figure


def test_coordinators_land_on_the_dashboard_and_volunteers_are_refused(client, network):
    coordinator = UserFactory(role="coordinator")
    client.force_login(coordinator)

    home = client.get(reverse("home"))
    page = client.get(reverse("cockpit:dashboard"))
    client.force_login(network[0].user)

    assert home["Location"] == reverse("cockpit:dashboard")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert client.get(reverse("cockpit:dashboard")).status_code == 403


def test_the_dashboard_renders_in_arabic_right_to_left(client, network):
    client.force_login(UserFactory(role="coordinator"))

    page = client.get("/ar/cockpit/")

    assert 'dir="rtl"' in page.content.decode()


def test_the_cached_dashboard_html_is_kept_per_language(client, network):
    client.force_login(UserFactory(role="coordinator"))
    title = "Volunteers: from registration to mentorship"
    with translation.override("de"):
        german = translation.gettext(title)
    with translation.override("ar"):
        arabic = translation.gettext(title)
    assert german != arabic

    client.get("/de/cockpit/")
    page = client.get("/ar/cockpit/").content.decode()

    assert arabic in page
    assert german not in page


@pytest.mark.parametrize("scale", [1, 4])
def test_the_dashboard_costs_the_same_number_of_queries_at_any_size(
    client, django_assert_num_queries, django_assert_max_num_queries, scale
):
    for _ in range(scale):
        volunteer = VolunteerFactory(stage="active")
        newcomer = NewcomerFactory()
        NeedFactory(newcomer=newcomer)
        NewcomerLanguageFactory(newcomer=NewcomerFactory())
        MentorshipFactory(volunteer=volunteer, newcomer=newcomer, flag="missed")
        SessionFactory(starts_at=timezone.now())
        left = VolunteerFactory(stage="active")
        MentorshipFactory(volunteer=left, newcomer=NewcomerFactory(), state="active")
        withdraw(volunteer=left, by=left.user)
    client.force_login(UserFactory(role="coordinator"))

    # Computing the figures: 30 queries, plus reading and writing the one-minute caches of
    # the figures and of their HTML.
    with django_assert_num_queries(QUERIES):
        client.get(reverse("cockpit:dashboard"))
    with django_assert_max_num_queries(CACHED):
        client.get(reverse("cockpit:dashboard"))


QUERIES = 43
CACHED = 6
