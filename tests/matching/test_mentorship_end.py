"""Ending a mentorship asks first, saying who is told and what becomes of the check-ins;
opening that page, or choosing "Ended" in the move form, ends nothing."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ankommen.messaging.models import OutboxMessage
from ankommen.tokens import hash_token
from matching import checkins
from matching.models import CheckIn, Mentorship
from tests.factories import (
    CheckInFactory,
    MentorshipFactory,
    NewcomerFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship():
    return MentorshipFactory(
        volunteer=VolunteerFactory(stage="active", user__full_name="Leyla Demir"),
        newcomer=NewcomerFactory(full_name="Samir Haddad"),
        language_mediator=VolunteerFactory(stage="active", user__full_name="Omid Rahimi"),
        state=Mentorship.State.ACTIVE,
        state_changed_at=timezone.now() - timedelta(days=40),
    )


def end_url(mentorship: Mentorship) -> str:
    return f"/en/matching/mentorships/{mentorship.pk}/end/"


def test_the_confirmation_says_who_is_told_and_changes_nothing(client, coordinator, mentorship):
    CheckInFactory(mentorship=mentorship)
    CheckInFactory(mentorship=mentorship, answer="fine", answered_at=timezone.now())
    client.force_login(coordinator)

    response = client.get(end_url(mentorship), {"end_reason": "moved_away"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Leyla Demir gets an e-mail asking how it went." in html
    assert "The newcomer gets no e-mail." in html
    assert "Omid Rahimi, the language mediator, is not told." in html
    assert "No more check-ins are sent." in html
    assert "The link of 1 check-in not answered yet stops working." in html
    assert re.search(r'<option value="moved_away" selected>', html)
    mentorship.refresh_from_db()
    assert mentorship.state == Mentorship.State.ACTIVE
    assert not OutboxMessage.objects.exists()


def test_a_volunteer_without_an_address_is_named_as_not_told(client, coordinator):
    quiet = MentorshipFactory(
        volunteer=VolunteerFactory(user__full_name="No Mail", user__email=None),
        state=Mentorship.State.ACTIVE,
    )
    client.force_login(coordinator)

    html = client.get(end_url(quiet)).content.decode()

    assert "No Mail cannot be reached by e-mail and is not told." in html


def test_confirming_ends_it_tells_the_volunteer_and_closes_open_check_in_links(
    client, coordinator, mentorship, django_capture_on_commit_callbacks, mailoutbox
):
    token = "open-check-in-link"
    CheckInFactory(mentorship=mentorship, token_hash=hash_token(token))
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(end_url(mentorship), {"end_reason": "goal_reached"})

    assert response["Location"] == f"/en/matching/mentorships/{mentorship.pk}/"
    mentorship.refresh_from_db()
    assert mentorship.state == Mentorship.State.ENDED
    assert mentorship.end_reason == "goal_reached"
    assert [mail.to for mail in mailoutbox] == [[mentorship.volunteer.user.email]]
    client.logout()
    assert client.get(f"/en/matching/check-in/{token}/").status_code == 400
    assert checkins.due_mentorships(timezone.localdate() + timedelta(days=60)) == []
    assert CheckIn.objects.filter(mentorship=mentorship).count() == 1


def test_choosing_ended_in_the_move_form_leads_to_the_confirmation(client, coordinator, mentorship):
    client.force_login(coordinator)

    response = client.post(
        f"/en/matching/mentorships/{mentorship.pk}/move/",
        {"to_state": "ended", "end_reason": "conflict"},
    )

    assert response.status_code == 302
    assert response["Location"] == end_url(mentorship) + "?end_reason=conflict"
    mentorship.refresh_from_db()
    assert mentorship.state == Mentorship.State.ACTIVE


def test_ending_without_a_reason_is_refused_with_a_message(client, coordinator, mentorship):
    client.force_login(coordinator)

    response = client.post(end_url(mentorship), {"end_reason": "bored"})

    assert response.status_code == 200
    assert "end_reason" in response.context["form"].errors
    mentorship.refresh_from_db()
    assert mentorship.state == Mentorship.State.ACTIVE


def test_an_ended_mentorship_goes_back_to_its_page(client, coordinator, mentorship):
    Mentorship.objects.filter(pk=mentorship.pk).update(state=Mentorship.State.ENDED)
    client.force_login(coordinator)

    response = client.post(end_url(mentorship), {"end_reason": "other"})

    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()


def test_only_coordinators_end_mentorships(client, mentorship):
    client.force_login(mentorship.volunteer.user)

    assert client.get(end_url(mentorship)).status_code == 403
    assert client.post(end_url(mentorship), {"end_reason": "other"}).status_code == 403
    mentorship.refresh_from_db()
    assert mentorship.state == Mentorship.State.ACTIVE


@pytest.mark.parametrize("check_ins", [1, 12])
def test_the_confirmation_costs_the_same_whatever_the_number_of_check_ins(
    client, coordinator, mentorship, check_ins
):
    for _ in range(check_ins):
        CheckInFactory(mentorship=mentorship)
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(end_url(mentorship))

    assert response.context["ending"].unanswered_check_ins == check_ins
    assert len(captured) <= 7
