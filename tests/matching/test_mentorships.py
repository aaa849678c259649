"""A mentorship's lifecycle: allowed moves, refused moves, and who may move it."""

import itertools
from datetime import date

import pytest
from django.urls import reverse

from matching import services
from matching.lifecycle import TRANSITIONS
from matching.models import Mentorship
from refugees.models import NewcomerConsent
from tests.factories import MentorshipFactory, NewcomerFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
State = Mentorship.State


def mentorship(state=State.PROPOSED):
    return MentorshipFactory(
        volunteer=VolunteerFactory(stage="active"), newcomer=NewcomerFactory(), state=state
    )


FACTS = {"first_meeting_on": date(2026, 11, 1), "end_reason": "goal_reached"}


@pytest.mark.parametrize(("start", "target"), list(itertools.product(State.values, repeat=2)))
def test_only_the_moves_of_the_lifecycle_are_allowed(start, target):
    record = mentorship(start)

    if target in TRANSITIONS[start]:
        assert services.move_mentorship(mentorship=record, to_state=target, **FACTS).state == target
    else:
        with pytest.raises(services.MatchRefusedError):
            services.move_mentorship(mentorship=record, to_state=target, **FACTS)
        record.refresh_from_db()
        assert record.state == start


def test_introducing_needs_the_first_meeting_and_ending_needs_a_reason():
    record = mentorship()
    with pytest.raises(services.MatchRefusedError):
        services.move_mentorship(mentorship=record, to_state=State.INTRODUCED)
    with pytest.raises(services.MatchRefusedError):
        services.move_mentorship(mentorship=record, to_state=State.ENDED, end_reason="bored")

    introduced = services.move_mentorship(
        mentorship=record, to_state=State.INTRODUCED, first_meeting_on=date(2026, 11, 3)
    )
    ended = services.move_mentorship(
        mentorship=introduced, to_state=State.ENDED, end_reason="moved_away"
    )

    assert introduced.first_meeting_on == date(2026, 11, 3)
    assert ended.end_reason == "moved_away"


def test_an_ended_mentorship_frees_the_newcomer_for_a_new_one():
    record = mentorship(State.ACTIVE)
    services.move_mentorship(mentorship=record, to_state=State.ENDED, end_reason="no_contact")

    again = MentorshipFactory(volunteer=record.volunteer, newcomer=record.newcomer)

    assert again.state == State.PROPOSED


def test_a_coordinator_moves_a_mentorship_in_the_browser(client, coordinator):
    record = mentorship(State.INTRODUCED)
    client.force_login(coordinator)

    client.post(reverse("matching:mentorship_move", args=[record.pk]), {"to_state": "active"})
    refused = client.post(
        reverse("matching:mentorship_move", args=[record.pk]), {"to_state": "proposed"}, follow=True
    )

    record.refresh_from_db()
    assert record.state == State.ACTIVE
    assert refused.status_code == 200
    message = list(refused.context["messages"])[-1]
    assert message.level_tag == "error"
    assert "Aktiv" in message.message


def test_volunteers_cannot_move_mentorships_not_even_their_own(client):
    record = mentorship(State.INTRODUCED)
    client.force_login(record.volunteer.user)

    response = client.post(
        reverse("matching:mentorship_move", args=[record.pk]), {"to_state": "active"}
    )

    assert response.status_code == 403
    record.refresh_from_db()
    assert record.state == State.INTRODUCED


def test_the_list_takes_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    for state in [State.PROPOSED, State.ACTIVE, State.PAUSED]:
        mentorship(state)
    client.force_login(coordinator)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("matching:mentorships"))
    for _ in range(15):
        mentorship(State.ACTIVE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("matching:mentorships"), {"state": "active"})
    assert page.status_code == 200


def test_introducing_tells_the_volunteer_with_only_the_contacts_the_newcomer_shared(
    mailoutbox, django_capture_on_commit_callbacks
):
    record = mentorship()
    record.newcomer.full_name = "Amal Haddad"
    record.newcomer.phone, record.newcomer.share_phone = "0511 123456", True
    record.newcomer.email, record.newcomer.share_email = "amal@example.org", False
    record.newcomer.save()
    record.newcomer.consents.create(
        purpose=NewcomerConsent.Purpose.SHARE_CONTACT, language="ar", obtained_on=date(2026, 11, 1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.move_mentorship(
            mentorship=record, to_state=State.INTRODUCED, first_meeting_on=date(2026, 12, 2)
        )

    [mail] = mailoutbox
    assert mail.to == [record.volunteer.user.email]
    assert "Amal" in mail.subject
    assert "Haddad" not in mail.body
    assert "0511 123456" in mail.body
    assert "amal@example.org" not in mail.body
    assert "/matching/mine/" in mail.body


def test_the_introduction_carries_no_contact_without_a_documented_consent_to_hand_it_over(
    mailoutbox, django_capture_on_commit_callbacks
):
    record = mentorship()
    record.newcomer.phone, record.newcomer.share_phone = "0511 123456", True
    record.newcomer.save()
    record.newcomer.consents.create(
        purpose=NewcomerConsent.Purpose.SHARE_CONTACT,
        language="ar",
        obtained_on=date(2026, 11, 1),
        withdrawn_on=date(2026, 11, 20),
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.move_mentorship(
            mentorship=record, to_state=State.INTRODUCED, first_meeting_on=date(2026, 12, 2)
        )

    [mail] = mailoutbox
    assert "0511 123456" not in mail.body
