"""After the wizard a volunteer sees what lies ahead, from their real stage and bookings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ClearanceCheckFactory,
    CourseFactory,
    RegistrationFactory,
    SessionFactory,
    VolunteerFactory,
)
from trainings.models import Registration
from volunteers.availability import slot
from volunteers.models import Stage
from volunteers.selectors import Step, next_steps_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def basic_course():
    return CourseFactory(title="Grundlagenschulung Ehrenamt", is_basic_training=True)


def _dates(course, count, *, first_in_days=5):
    return [
        SessionFactory(course=course, starts_at=timezone.now() + timedelta(days=first_in_days + n))
        for n in range(count)
    ]


def test_a_new_volunteer_waits_for_the_first_conversation_and_is_offered_training_dates(
    basic_course,
):
    volunteer = VolunteerFactory(stage=Stage.APPLIED)
    sessions = _dates(basic_course, 4)
    SessionFactory(course=CourseFactory(title="Erste Hilfe"))  # not a basic training
    SessionFactory(course=basic_course, starts_at=timezone.now() - timedelta(days=2))  # past

    steps = next_steps_for(volunteer)

    assert steps.conversation == Step.NOW
    assert steps.conversation_at is None
    assert steps.training == Step.LATER
    assert steps.basic_training.booked is None
    assert [date.url for date in steps.basic_training.upcoming] == [
        session.get_absolute_url() for session in sessions[:3]
    ]
    assert steps.clearance is None  # wants_mentor only, no minors
    assert steps.ready == Step.LATER


def test_a_scheduled_conversation_gives_its_date():
    when = timezone.now() + timedelta(days=3)
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_SCHEDULED, first_conversation_at=when)

    steps = next_steps_for(volunteer)

    assert steps.conversation == Step.NOW
    assert steps.conversation_at == when


def test_after_the_conversation_the_training_is_next_and_a_booking_is_shown(basic_course):
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_DONE)
    [soon, later] = _dates(basic_course, 2)
    RegistrationFactory(session=later, user=volunteer.user)
    RegistrationFactory(session=soon, user=VolunteerFactory().user)  # someone else's

    steps = next_steps_for(volunteer)

    assert steps.conversation == Step.DONE
    assert steps.training == Step.NOW
    assert steps.basic_training.booked.url == later.get_absolute_url()
    assert not steps.basic_training.is_waiting
    assert steps.basic_training.upcoming == []


def test_a_place_on_the_waiting_list_is_shown_as_waiting(basic_course):
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_DONE)
    [session] = _dates(basic_course, 1)
    RegistrationFactory(session=session, user=volunteer.user, state=Registration.State.WAITLISTED)

    steps = next_steps_for(volunteer)

    assert steps.basic_training.booked.title == "Grundlagenschulung Ehrenamt"
    assert steps.basic_training.is_waiting


def test_a_cancelled_place_offers_the_dates_again(basic_course):
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_DONE)
    [session] = _dates(basic_course, 1)
    RegistrationFactory(session=session, user=volunteer.user, state=Registration.State.CANCELLED)

    steps = next_steps_for(volunteer)

    assert steps.basic_training.booked is None
    assert [date.title for date in steps.basic_training.upcoming] == ["Grundlagenschulung Ehrenamt"]


def test_someone_working_with_minors_needs_the_clearance_after_the_training():
    volunteer = VolunteerFactory(stage=Stage.TRAINED, accepts_minors=True)

    steps = next_steps_for(volunteer)

    assert steps.training == Step.DONE
    assert steps.basic_training is None
    assert steps.clearance == Step.NOW
    ClearanceCheckFactory(volunteer=volunteer)
    assert next_steps_for(volunteer).clearance == Step.DONE


def test_a_ready_volunteer_waits_for_the_first_assignment():
    steps = next_steps_for(VolunteerFactory(stage=Stage.READY, accepts_minors=True))

    assert (steps.conversation, steps.training, steps.clearance, steps.ready) == (
        Step.DONE,
        Step.DONE,
        Step.DONE,
        Step.NOW,
    )


@pytest.mark.parametrize("stage", [Stage.ACTIVE, Stage.PAUSED, Stage.WITHDRAWN])
def test_nothing_lies_ahead_once_active_or_while_away(stage):
    assert next_steps_for(VolunteerFactory(stage=stage)) is None


def test_the_last_wizard_step_leads_to_what_happens_next(client, basic_course):
    volunteer = VolunteerFactory(wizard_step=3, profile_completed_at=None)
    [session] = _dates(basic_course, 1)
    client.force_login(volunteer.user)

    response = client.post(
        reverse("volunteers:wizard", args=[4]), {"slots": [str(slot(0, 2))]}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("volunteers:my_profile")
    assert "Wie es weitergeht" in html
    assert "Erstgespräch" in html
    assert f'href="{session.get_absolute_url()}"' in html
    assert html.index("Wie es weitergeht") < html.index("Über Sie")


def test_an_active_volunteers_profile_has_no_next_steps(client):
    volunteer = VolunteerFactory(stage=Stage.ACTIVE)
    client.force_login(volunteer.user)

    html = client.get(reverse("volunteers:my_profile")).content.decode()

    assert "Wie es weitergeht" not in html


def test_the_profile_costs_the_same_whatever_the_number_of_dates(
    client, basic_course, django_assert_max_num_queries
):
    volunteer = VolunteerFactory(stage=Stage.APPLIED)
    _dates(basic_course, 1)
    client.force_login(volunteer.user)
    url = reverse("volunteers:my_profile")
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for session in _dates(basic_course, 12, first_in_days=2):
        for _ in range(3):
            RegistrationFactory(session=session, user=VolunteerFactory().user)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert len(response.context["next_steps"].basic_training.upcoming) == 3
