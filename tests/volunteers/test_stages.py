from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ankommen.messaging.models import OutboxMessage
from tests.factories import UserFactory, VolunteerFactory
from volunteers import services
from volunteers.models import Stage, StageChange
from volunteers.stages import allowed_moves, is_allowed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


ALL_STAGES = list(Stage)


def _legal_pairs():
    return {(a, b) for a in ALL_STAGES for b in ALL_STAGES if is_allowed(a, b)}


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [
        (a, b)
        for a in ALL_STAGES
        for b in ALL_STAGES
        if not is_allowed(a, b) and b != Stage.WITHDRAWN and a != b
    ],
)
def test_every_illegal_transition_is_refused_with_a_message(coordinator, from_stage, to_stage):
    volunteer = VolunteerFactory(stage=from_stage)

    with pytest.raises(services.StageTransitionError) as error:
        services.move_stage(volunteer=volunteer, to_stage=to_stage, by=coordinator)

    assert str(error.value)
    volunteer.refresh_from_db()
    assert volunteer.stage == from_stage
    assert not StageChange.objects.filter(volunteer=volunteer).exists()


def test_withdrawing_is_possible_from_every_stage_except_withdrawn():
    for stage in ALL_STAGES:
        assert is_allowed(stage, Stage.WITHDRAWN) == (stage != Stage.WITHDRAWN)


def test_the_whole_journey_is_recorded_step_by_step(coordinator):
    volunteer = VolunteerFactory(accepts_minors=True)
    when = timezone.now() + timedelta(days=3)

    services.move_stage(
        volunteer=volunteer,
        to_stage=Stage.CONVERSATION_SCHEDULED,
        by=coordinator,
        first_conversation_at=when,
    )
    services.move_stage(volunteer=volunteer, to_stage=Stage.CONVERSATION_DONE, by=coordinator)
    services.move_stage(volunteer=volunteer, to_stage=Stage.TRAINED, by=coordinator)
    services.record_clearance(
        volunteer=volunteer,
        seen_on=timezone.localdate(),
        issued_on=timezone.localdate() - timedelta(days=10),
        valid_until=timezone.localdate() + timedelta(days=1800),
        by=coordinator,
    )
    services.move_stage(volunteer=volunteer, to_stage=Stage.CLEARANCE_CHECKED, by=coordinator)
    services.move_stage(volunteer=volunteer, to_stage=Stage.READY, by=coordinator)
    services.move_stage(
        volunteer=volunteer, to_stage=Stage.ACTIVE, by=coordinator, reason="Matched with Amina"
    )
    services.move_stage(volunteer=volunteer, to_stage=Stage.PAUSED, by=volunteer.user)
    services.resume(volunteer=volunteer, by=volunteer.user)

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.ACTIVE
    assert volunteer.first_conversation_at == when
    history = list(
        StageChange.objects.filter(volunteer=volunteer)
        .order_by("pk")
        .values_list("from_stage", "to_stage", "changed_by")
    )
    assert [to for _from, to, _by in history] == [
        Stage.CONVERSATION_SCHEDULED,
        Stage.CONVERSATION_DONE,
        Stage.TRAINED,
        Stage.CLEARANCE_CHECKED,
        Stage.READY,
        Stage.ACTIVE,
        Stage.PAUSED,
        Stage.ACTIVE,
    ]
    assert history[5][2] == coordinator.pk
    assert StageChange.objects.get(to_stage=Stage.ACTIVE, from_stage=Stage.READY).reason == (
        "Matched with Amina"
    )


def test_scheduling_a_first_conversation_needs_a_date(coordinator):
    volunteer = VolunteerFactory()

    with pytest.raises(services.StageTransitionError, match="date"):
        services.move_stage(
            volunteer=volunteer, to_stage=Stage.CONVERSATION_SCHEDULED, by=coordinator
        )


def test_work_with_minors_needs_a_valid_clearance_before_ready(coordinator):
    volunteer = VolunteerFactory(stage=Stage.TRAINED, accepts_minors=True)

    with pytest.raises(services.StageTransitionError, match="clearance"):
        services.move_stage(volunteer=volunteer, to_stage=Stage.READY, by=coordinator)
    with pytest.raises(services.StageTransitionError, match="clearance"):
        services.move_stage(volunteer=volunteer, to_stage=Stage.CLEARANCE_CHECKED, by=coordinator)


def test_without_minors_a_trained_volunteer_is_ready_without_clearance(coordinator):
    volunteer = VolunteerFactory(stage=Stage.TRAINED, accepts_minors=False)

    services.move_stage(volunteer=volunteer, to_stage=Stage.READY, by=coordinator)

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.READY


def test_an_expired_clearance_does_not_count(coordinator):
    volunteer = VolunteerFactory(stage=Stage.TRAINED, accepts_minors=True)
    services.record_clearance(
        volunteer=volunteer,
        seen_on=timezone.localdate() - timedelta(days=2000),
        issued_on=timezone.localdate() - timedelta(days=2010),
        valid_until=timezone.localdate() - timedelta(days=1),
        by=coordinator,
    )

    with pytest.raises(services.StageTransitionError):
        services.move_stage(volunteer=volunteer, to_stage=Stage.READY, by=coordinator)


def test_resume_returns_to_the_stage_before_the_pause(coordinator):
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_DONE)

    services.move_stage(volunteer=volunteer, to_stage=Stage.PAUSED, by=volunteer.user)
    services.resume(volunteer=volunteer, by=volunteer.user)

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.CONVERSATION_DONE
    with pytest.raises(services.StageTransitionError):
        services.resume(volunteer=volunteer, by=volunteer.user)


def test_withdrawal_tells_coordinators_and_starts_the_clock(
    django_capture_on_commit_callbacks, mailoutbox
):
    """What it ends in the other apps: tests/test_withdrawal.py."""
    coordinators = [UserFactory(role="coordinator"), UserFactory(role="coordinator")]
    volunteer = VolunteerFactory(stage=Stage.ACTIVE)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(volunteer=volunteer, by=volunteer.user, reason="Moving to Leipzig")

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.WITHDRAWN
    assert volunteer.withdrawal_reason == "Moving to Leipzig"
    assert volunteer.retain_until == timezone.localdate() + timedelta(days=365)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(c.email for c in coordinators)
    assert "Moving to Leipzig" in mailoutbox[0].body
    assert OutboxMessage.objects.count() == 2
    with pytest.raises(services.StageTransitionError):
        services.withdraw(volunteer=volunteer, by=volunteer.user)


def test_allowed_moves_are_offered_in_journey_order():
    assert allowed_moves(Stage.TRAINED) == [
        Stage.CLEARANCE_CHECKED,
        Stage.READY,
        Stage.PAUSED,
        Stage.WITHDRAWN,
    ]
    assert allowed_moves(Stage.WITHDRAWN) == []
    assert len(_legal_pairs()) > 10
