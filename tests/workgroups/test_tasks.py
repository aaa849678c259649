from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ankommen.vocabulary.models import District, Theme
from tests.concurrency import all_at_once
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TaskFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_second_factor,
)
from trainings.services import TrainingError, sign_up
from workgroups.models import TaskSignup
from workgroups.services import WorkgroupError, cancel_task_signup, sign_up_for_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _task(**fields):
    start = timezone.now() + timedelta(days=3)
    defaults = {
        "title": "Umzugshilfe",
        "helpers_needed": 2,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
    }
    return TaskFactory(**{**defaults, **fields})


def test_a_task_closes_when_full_and_reopens_when_someone_cancels():
    task = _task(helpers_needed=2)
    first, second, third = (VolunteerFactory().user for _ in range(3))

    sign_up_for_task(task=task, user=first)
    signup = sign_up_for_task(task=task, user=second)
    task.refresh_from_db()
    assert (task.signed_up_count, task.is_open) == (2, False)
    with pytest.raises(WorkgroupError):
        sign_up_for_task(task=task, user=third)

    cancel_task_signup(signup=signup)
    task.refresh_from_db()
    assert (task.signed_up_count, task.is_open) == (1, True)


def test_a_volunteer_who_left_takes_on_no_new_task_or_training():
    """One rule (volunteers.selectors.has_left) for every way in: the task list, the public
    board, the training catalogue."""
    left = VolunteerFactory(stage="withdrawn").user
    with pytest.raises(WorkgroupError, match="left the network"):
        sign_up_for_task(task=_task(), user=left)
    with pytest.raises(TrainingError, match="left the network"):
        sign_up(session=SessionFactory(course__audience="volunteers"), by=left, user=left)
    assert not TaskSignup.objects.exists()


def test_no_double_booking_at_overlapping_times_with_tasks_or_trainings():
    volunteer = VolunteerFactory().user
    first = _task()
    sign_up_for_task(task=first, user=volunteer)
    overlapping = _task(
        starts_at=first.starts_at + timedelta(hours=1), ends_at=first.ends_at + timedelta(hours=1)
    )
    afterwards = _task(starts_at=first.ends_at, ends_at=first.ends_at + timedelta(hours=2))

    with pytest.raises(WorkgroupError, match="something else"):
        sign_up_for_task(task=overlapping, user=volunteer)
    sign_up_for_task(task=afterwards, user=volunteer)

    training = SessionFactory(
        starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.starts_at + timedelta(days=1, hours=2),
    )
    sign_up(session=training, user=volunteer, by=volunteer)
    clashing = _task(starts_at=training.starts_at, ends_at=training.ends_at)
    with pytest.raises(WorkgroupError):
        sign_up_for_task(task=clashing, user=volunteer)


def test_leads_and_coordinators_see_who_signed_up_others_do_not(client, coordinator):

    group = WorkingGroupFactory(name="AG Alltag")
    lead = VolunteerFactory().user
    MembershipFactory(group=group, user=lead, lead=True)
    give_second_factor(lead)
    helper = VolunteerFactory(user__full_name="Hilde Helferin").user
    task = _task(group=group)
    sign_up_for_task(task=task, user=helper)

    for viewer, sees in ((lead, True), (coordinator, True), (VolunteerFactory().user, False)):
        client.force_login(viewer)
        assert (
            "Hilde Helferin" in client.get(f"/en/network/tasks/{task.pk}/").content.decode()
        ) == sees


def test_tasks_fitting_the_volunteers_profile_come_first(client):
    housing = Theme.objects.get(slug="housing")
    nord = District.objects.get(slug="nord")
    volunteer = VolunteerFactory(district=nord)
    volunteer.themes.add(housing)
    _task(title="Anything")
    _task(
        title="Fits",
        theme=housing,
        district=nord,
        starts_at=timezone.now() + timedelta(days=9),
        ends_at=timezone.now() + timedelta(days=9, hours=1),
    )
    client.force_login(volunteer.user)

    titles = [task.title for task in client.get("/en/network/tasks/").context["page"]]

    assert titles[0] == "Fits"


@pytest.mark.parametrize("count", [5, 80])
def test_task_list_uses_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    for number in range(count):
        _task(
            title=f"Task {number}",
            starts_at=timezone.now() + timedelta(days=2, hours=number),
            ends_at=timezone.now() + timedelta(days=2, hours=number + 1),
        )
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)

    with django_assert_max_num_queries(12):
        client.get("/en/network/tasks/")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_overfill_a_task():
    task = _task(helpers_needed=3)
    volunteers = [VolunteerFactory().user for _ in range(12)]

    errors = all_at_once(
        [lambda user=user: sign_up_for_task(task=task, user=user) for user in volunteers]
    )

    task.refresh_from_db()
    assert task.signed_up_count == 3
    assert TaskSignup.objects.filter(task=task, cancelled_at__isnull=True).count() == 3
    assert [type(error) for error in errors] == [WorkgroupError] * 9
    assert task.is_open is False
