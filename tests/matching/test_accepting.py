"""Accepting a proposal (or choosing a runner-up) re-checks every hard rule at that moment:
a run can be days old, and nothing that stopped being true may become a mentorship."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from matching import services
from matching.engine import execute_run
from matching.models import Mentorship, Proposal
from tests.factories import ClearanceCheckFactory, HouseholdMemberFactory, MatchingRunFactory
from tests.matching.people import arabic_newcomer, arabic_speaker
from volunteers import services as volunteer_services
from volunteers.models import ClearanceCheck, Volunteer

pytestmark = pytest.mark.django_db


def proposed():
    run = execute_run(MatchingRunFactory(weights=services.current_weights()))
    return run.proposals.get()


def accept(client, proposal, **data):
    """Accept through the coordinators' page; the messages shown, in English."""
    with translation.override("en"):
        url = reverse("matching:proposal_accept", args=[proposal.pk])
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def assert_refused(proposal, messages, *words):
    assert not Mentorship.objects.filter(
        volunteer__in=[proposal.volunteer_id, *proposal.runner_ups],
        newcomer=proposal.newcomer_id,
    ).exists()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PROPOSED
    [message] = messages
    assert message.startswith("This pair can no longer be matched.")
    for word in words:
        assert word in message


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_still_valid_proposal_becomes_a_mentorship(signed_in):
    volunteer = arabic_speaker()
    newcomer = arabic_newcomer()

    messages = accept(signed_in, proposed())

    assert Mentorship.objects.get().volunteer == volunteer
    assert Mentorship.objects.get().newcomer == newcomer
    assert messages[0].startswith("Accepted.")


def test_a_volunteer_paused_since_the_run_is_refused(signed_in, coordinator):
    volunteer = arabic_speaker()
    arabic_newcomer()
    proposal = proposed()
    volunteer_services.move_stage(volunteer=volunteer, to_stage="paused", by=coordinator)

    messages = accept(signed_in, proposal)

    assert_refused(proposal, messages, "not ready to accompany anyone (stage: Paused)")


def test_a_volunteer_withdrawn_since_the_run_is_refused(signed_in, coordinator):
    volunteer = arabic_speaker()
    arabic_newcomer()
    proposal = proposed()
    volunteer_services.withdraw(volunteer=volunteer, by=volunteer.user, reason="Moving away")

    messages = accept(signed_in, proposal)

    assert not Mentorship.objects.exists()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.WITHDRAWN
    assert messages == ["The volunteer has left, so this proposal no longer stands."]


def test_a_runner_up_withdrawn_since_the_run_is_refused(signed_in):
    arabic_speaker()
    arabic_speaker()
    arabic_newcomer()
    proposal = proposed()
    [runner_up_id] = proposal.runner_ups
    runner_up = Volunteer.objects.get(pk=runner_up_id)
    volunteer_services.withdraw(volunteer=runner_up, by=runner_up.user, reason="Moving away")

    messages = accept(signed_in, proposal, runner_up=runner_up_id)

    assert_refused(proposal, messages, "not ready to accompany anyone (stage: Withdrawn)")


def _cleared_volunteer_and_family_with_a_child_by_year_of_birth():
    volunteer = arabic_speaker(accepts_minors=True, accepts_families=True)
    today = timezone.localdate()
    clearance = ClearanceCheckFactory(
        volunteer=volunteer,
        seen_on=today - timedelta(days=700),
        issued_on=today - timedelta(days=710),
        valid_until=today + timedelta(days=30),
    )
    family = arabic_newcomer(household="family", age_group="27-45")
    HouseholdMemberFactory(newcomer=family, relation="child", birth_year=today.year - 14)
    return clearance


def test_a_clearance_that_expired_since_the_run_is_refused_when_a_child_is_in_the_household(
    signed_in,
):
    clearance = _cleared_volunteer_and_family_with_a_child_by_year_of_birth()
    proposal = proposed()
    ClearanceCheck.objects.filter(pk=clearance.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1)
    )

    messages = accept(signed_in, proposal)

    assert_refused(proposal, messages, "no valid police clearance")


def test_a_clearance_removed_since_the_run_is_refused_when_a_child_is_in_the_household(
    signed_in,
):
    clearance = _cleared_volunteer_and_family_with_a_child_by_year_of_birth()
    proposal = proposed()
    clearance.delete()

    messages = accept(signed_in, proposal)

    assert_refused(proposal, messages, "no valid police clearance")


def test_a_place_taken_since_the_run_is_refused(signed_in, coordinator):
    volunteer = arabic_speaker()
    arabic_newcomer()
    proposal = proposed()
    services.match_manually(newcomer=arabic_newcomer(), volunteer=volunteer, by=coordinator)

    messages = accept(signed_in, proposal)

    assert_refused(proposal, messages, "no free place (1 of 1 taken)")
    assert Mentorship.objects.count() == 1


def test_a_newcomer_matched_since_the_run_is_refused(signed_in, coordinator):
    arabic_speaker()
    newcomer = arabic_newcomer()
    proposal = proposed()
    services.match_manually(newcomer=newcomer, volunteer=arabic_speaker(), by=coordinator)

    messages = accept(signed_in, proposal)

    assert messages == ["This newcomer already has a mentorship."]
    assert Mentorship.objects.get().volunteer != proposal.volunteer
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PROPOSED


def test_a_newcomer_whose_record_was_closed_since_the_run_is_refused(signed_in):
    arabic_speaker()
    newcomer = arabic_newcomer()
    proposal = proposed()
    newcomer.closed_at = timezone.now()
    newcomer.save()

    messages = accept(signed_in, proposal)

    assert messages == ["This newcomer's record is closed."]
    assert not Mentorship.objects.exists()


def test_a_volunteer_who_no_longer_wants_to_accompany_anyone_is_refused(signed_in):
    volunteer = arabic_speaker()
    arabic_newcomer()
    proposal = proposed()
    volunteer.wants_mentor = False
    volunteer.save()

    messages = accept(signed_in, proposal)

    assert_refused(proposal, messages, "does not want to accompany anyone")


def test_a_runner_up_paused_since_the_run_is_refused_and_the_proposal_stays_open(
    signed_in, coordinator
):
    arabic_speaker()
    arabic_speaker()
    arabic_newcomer()
    proposal = proposed()
    [runner_up_id] = proposal.runner_ups
    runner_up = Volunteer.objects.get(pk=runner_up_id)
    volunteer_services.move_stage(volunteer=runner_up, to_stage="paused", by=coordinator)

    messages = accept(signed_in, proposal, runner_up=runner_up_id)

    assert_refused(proposal, messages, "not ready to accompany anyone (stage: Paused)")
    accept(signed_in, proposal)
    assert Mentorship.objects.get().volunteer == proposal.volunteer


def test_a_runner_up_deleted_since_the_run_gets_a_message_not_an_error(signed_in):
    arabic_speaker()
    arabic_speaker()
    arabic_newcomer()
    proposal = proposed()
    [runner_up_id] = proposal.runner_ups
    Volunteer.objects.get(pk=runner_up_id).user.delete()

    messages = accept(signed_in, proposal, runner_up=runner_up_id)

    assert messages == ["This volunteer is no longer in the portal."]
    assert not Mentorship.objects.exists()
