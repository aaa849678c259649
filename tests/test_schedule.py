"""Nobody is in two places: every app that gives volunteers a time says who is taken then."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ankommen.vocabulary.models import Language
from matching.loader import available_volunteers
from tests.factories import (
    LanguageSkillFactory,
    MediatorRequestFactory,
    SessionFactory,
    TaskFactory,
    VolunteerFactory,
)
from trainings.services import sign_up
from volunteers.availability import mask_for, slot
from volunteers.hooks import BUSY
from volunteers.models import Stage, Volunteer
from volunteers.schedule import busy_among, is_busy
from volunteers.stages import ACCOMPANYING_STAGES
from workgroups.network import mediators_for
from workgroups.services import sign_up_for_task

pytestmark = pytest.mark.django_db

MONDAY_MORNING = timezone.make_aware(timezone.datetime(2031, 3, 3, 9, 0))


def _arabic_mediator():
    volunteer = VolunteerFactory(
        stage=Stage.ACTIVE, wants_language_mediator=True, availability=mask_for([slot(0, 0)])
    )
    LanguageSkillFactory(volunteer=volunteer)
    return volunteer.user


def _in_training(user, starts_at):
    session = SessionFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    sign_up(session=session, user=user, by=user)


def _on_task(user, starts_at):
    task = TaskFactory(
        title="Umzugshilfe",
        helpers_needed=2,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    sign_up_for_task(task=task, user=user)


def _request(starts_at):
    return MediatorRequestFactory(
        language=Language.objects.get(code="ar"),
        other_language=Language.objects.get(code="de"),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        place="Ausländerbehörde",
    )


def test_trainings_and_tasks_each_say_who_is_taken_and_the_point_is_required():
    apps = sorted(provider.__module__.split(".")[0] for provider in BUSY.providers())

    assert apps == ["trainings", "workgroups"]
    assert BUSY.required


def test_a_volunteer_in_a_training_or_on_a_task_is_taken_then_and_free_afterwards():
    training, task, free = (VolunteerFactory().user for _ in range(3))
    _in_training(training, MONDAY_MORNING)
    _on_task(task, MONDAY_MORNING)
    later = MONDAY_MORNING + timedelta(hours=2)

    assert is_busy(training, MONDAY_MORNING, MONDAY_MORNING + timedelta(hours=1))
    assert is_busy(task, MONDAY_MORNING + timedelta(minutes=90), later + timedelta(hours=1))
    assert not is_busy(free, MONDAY_MORNING, later)
    assert not is_busy(training, later, later + timedelta(hours=1))
    assert busy_among([training.pk, task.pk, free.pk], MONDAY_MORNING, later) == {
        training.pk,
        task.pk,
    }


def test_a_mediator_in_a_training_or_on_a_task_then_is_not_offered(
    django_assert_max_num_queries,
):
    free, in_training, on_task = (_arabic_mediator() for _ in range(3))
    _in_training(in_training, MONDAY_MORNING - timedelta(minutes=30))
    _on_task(on_task, MONDAY_MORNING + timedelta(minutes=30))
    # Many more who are free: the number of queries must not grow with them.
    others = [_arabic_mediator() for _ in range(8)]

    request = _request(MONDAY_MORNING)

    # The candidates, then who is taken: one query per app that gives times.
    with django_assert_max_num_queries(3):
        offered = mediators_for(request)

    assert sorted(user.pk for user in offered) == sorted(user.pk for user in [free, *others])


@pytest.mark.parametrize("stage", list(Stage))
def test_the_engine_and_the_mediator_offer_agree_on_who_can_accompany(stage):
    user = _arabic_mediator()
    Volunteer.objects.filter(user=user).update(
        stage=stage,
        wants_mentor=True,
        withdrawn_at=timezone.now() if stage == Stage.WITHDRAWN else None,
    )
    can = stage in ACCOMPANYING_STAGES

    assert available_volunteers().filter(user=user).exists() == can
    assert (user in mediators_for(_request(MONDAY_MORNING))) == can
    assert ACCOMPANYING_STAGES == (Stage.READY, Stage.ACTIVE)
