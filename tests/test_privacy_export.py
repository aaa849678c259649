"""The GDPR export holds the person's change history and read log (from the audit trail) and
what matching decided about them: proposals with their scores per criterion, rejections."""

import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from matching import services as matching
from matching.engine import execute_run
from matching.loader import Scope
from matching.models import Rejection
from tests.factories import (
    PASSWORD,
    LanguageSkillFactory,
    MatchingRunFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    UserFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db
NOTES_ARE_SHARED = (
    "The volunteer receives these notes, without your name, when they ask for their data. "
    "Write nothing about other people here."
)


def proposed_pair():
    """A run of the real engine proposes this volunteer for this newcomer."""
    volunteer = VolunteerFactory(stage="ready", max_mentorships=1)
    LanguageSkillFactory(volunteer=volunteer)
    newcomer = NewcomerFactory()
    NewcomerLanguageFactory(newcomer=newcomer)
    run = execute_run(
        MatchingRunFactory(weights=matching.current_weights(), scope=Scope().as_dict())
    )
    return run.proposals.get(newcomer=newcomer, volunteer=volunteer)


def fresh_client(client, user):
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def test_a_coordinators_export_holds_the_history_and_the_proposals_with_their_scores(client):
    coordinator = UserFactory(role="coordinator")
    proposal = proposed_pair()
    newcomer = proposal.newcomer
    fresh_client(client, coordinator)
    client.get(reverse("refugees:newcomer_detail", args=[newcomer.pk]))  # a read, logged
    newcomer.phone = "+4915100000001"
    newcomer.save()  # a change, logged

    response = client.get(reverse("privacy:newcomer_export_json", args=[newcomer.pk]))

    data = json.loads(response.content)
    history = data["history"]
    assert {"read", "change"} <= {entry["action"] for entry in history}
    assert {entry["by_account"] for entry in history if entry["action"] == "read"} == {
        coordinator.pk
    }
    assert any("phone" in entry["details"].get("fields", []) for entry in history)
    [exported] = data["matching"]["proposals"]
    assert exported["score"] == proposal.score
    assert exported["score_by_criterion"] == proposal.components
    assert sum(exported["score_by_criterion"].values()) == proposal.score
    # The other side of the pair is someone else: not named.
    assert proposal.volunteer.user.full_name not in response.content.decode()


def test_a_volunteer_downloads_their_history_proposals_rejections_and_the_notes_about_them(
    client,
):
    coordinator = UserFactory(role="coordinator")
    proposal = proposed_pair()
    volunteer = proposal.volunteer
    matching.reject_proposal(
        proposal=proposal, by=coordinator, reason="Andere Wohngegend gewünscht"
    )
    volunteer.phone = "+4917600000002"
    volunteer.save()
    volunteer.notes.create(author=coordinator, text="Sehr zuverlässig")

    response = fresh_client(client, volunteer.user).get(reverse("privacy:my_export"))

    data = json.loads(response.content)
    assert any("phone" in entry["details"].get("fields", []) for entry in data["history"])
    [exported] = data["matching"]["proposals"]
    assert (exported["score"], exported["score_by_criterion"], exported["state"]) == (
        proposal.score,
        proposal.components,
        "rejected",
    )
    assert data["matching"]["rejections"][0]["reason"] == "Andere Wohngegend gewünscht"
    assert Rejection.objects.get().volunteer == volunteer
    [note] = data["volunteer"]["coordinator_notes"]
    assert (note["text"], note["by_account"]) == ("Sehr zuverlässig", coordinator.pk)
    body = response.content.decode()
    assert coordinator.full_name not in body
    assert proposal.newcomer.full_name not in body


def test_the_note_form_tells_coordinators_that_the_volunteer_receives_the_notes(client):
    coordinator = UserFactory(role="coordinator")
    volunteer = VolunteerFactory()
    client.force_login(coordinator)

    page = client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk]))

    assert gettext(NOTES_ARE_SHARED) in page.content.decode()
