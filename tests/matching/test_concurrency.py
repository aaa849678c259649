"""Accepting proposals at the same moment, on PostgreSQL: the row locks decide, never a crash."""

import pytest
from django.utils import translation

from ankommen.vocabulary.models import Language
from matching import services
from matching.models import Mentorship, Proposal
from tests.concurrency import all_at_once
from tests.factories import (
    LanguageSkillFactory,
    MatchingRunFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    ProposalFactory,
    UserFactory,
    VolunteerFactory,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_vocabulary"),
]


def _speaking_arabic(person):
    language = Language.objects.get(code="ar")
    if isinstance(person, NewcomerFactory._meta.model):
        NewcomerLanguageFactory(newcomer=person, language=language, level="native")
    else:
        LanguageSkillFactory(volunteer=person, language=language, level="native")
    return person


def _accept(proposal, coordinator):
    with translation.override("en"):
        services.accept_proposal(proposal=proposal, by=coordinator)


def _proposals(pairs):
    run = MatchingRunFactory(weights=services.current_weights())
    return [
        ProposalFactory(run=run, volunteer=volunteer, newcomer=newcomer, score=50)
        for volunteer, newcomer in pairs
    ]


def test_proposals_of_one_newcomer_accepted_at_once_make_one_mentorship():
    newcomer = _speaking_arabic(NewcomerFactory())
    volunteers = [_speaking_arabic(VolunteerFactory(stage="ready")) for _ in range(6)]
    proposals = _proposals((volunteer, newcomer) for volunteer in volunteers)
    coordinator = UserFactory(role="coordinator")

    errors = all_at_once([lambda p=proposal: _accept(p, coordinator) for proposal in proposals])

    assert Mentorship.objects.filter(newcomer=newcomer).count() == 1
    assert len(errors) == 5
    assert all(str(error) == "This newcomer already has a mentorship." for error in errors), errors
    assert Proposal.objects.filter(state=Proposal.State.ACCEPTED).count() == 1


def test_proposals_for_one_place_accepted_at_once_fill_it_once():
    volunteer = _speaking_arabic(VolunteerFactory(stage="ready", max_mentorships=1))
    newcomers = [_speaking_arabic(NewcomerFactory()) for _ in range(6)]
    proposals = _proposals((volunteer, newcomer) for newcomer in newcomers)
    coordinator = UserFactory(role="coordinator")

    errors = all_at_once([lambda p=proposal: _accept(p, coordinator) for proposal in proposals])

    assert Mentorship.objects.filter(volunteer=volunteer).count() == 1
    assert len(errors) == 5
    assert all("no free place" in str(error) for error in errors), errors
