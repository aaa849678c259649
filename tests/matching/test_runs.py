"""A run from the database: proposals, explanations, leftovers, review and permissions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.vocabulary.models import District, Language, Theme
from matching import services
from matching.engine import execute_run
from matching.explain import leftover_texts
from matching.loader import AGE_BIT, Scope, age_bit
from matching.models import Leftover, MatchingRun, Mentorship, Proposal, Rejection
from tests.factories import (
    ClearanceCheckFactory,
    HouseholdMemberFactory,
    LanguageSkillFactory,
    MatchingRunFactory,
    MentorshipFactory,
    NeedFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def speaker(code, level="native", **fields):
    volunteer = VolunteerFactory(stage="ready", max_mentorships=1, **fields)
    LanguageSkillFactory(volunteer=volunteer, language=Language.objects.get(code=code), level=level)
    return volunteer


def newcomer_speaking(code, level="native", **fields):
    newcomer = NewcomerFactory(**fields)
    NewcomerLanguageFactory(
        newcomer=newcomer, language=Language.objects.get(code=code), level=level
    )
    return newcomer


def run(scope=None):
    record = MatchingRunFactory(
        weights=services.current_weights(), scope=(scope or Scope()).as_dict()
    )
    return execute_run(record)


def test_a_run_proposes_pairs_that_share_a_language_and_explains_the_score():
    arabic = speaker("ar")
    newcomer = newcomer_speaking("ar")
    speaker("uk")

    result = run()

    proposal = result.proposals.get()
    assert (proposal.volunteer, proposal.newcomer) == (arabic, newcomer)
    assert sum(proposal.components.values()) == proposal.score
    assert proposal.components["language"] == result.weights["language"]
    assert result.state == "done"
    assert set(result.timings) == {"load", "score", "solve", "write"}


def test_leftovers_say_which_languages_nobody_speaks():
    speaker("ar")
    newcomer = newcomer_speaking("ti")

    result = run()

    leftover = Leftover.objects.get(run=result)
    assert leftover.newcomer == newcomer
    text = leftover_texts([leftover])[leftover.pk]
    assert str(Language.objects.get(code="ti")) in text
    assert result.unmatched_by_reason == {"language": 1}


def test_minors_need_a_volunteer_with_valid_clearance_who_works_with_minors():
    without = speaker("ar", accepts_minors=True, accepts_families=True)
    family = newcomer_speaking("ar", household="family")
    HouseholdMemberFactory(newcomer=family, relation="child", age_group="6-13")

    first = run()
    assert first.proposals.count() == 0
    assert first.leftovers.get().reason == "minors"

    today = timezone.localdate()
    ClearanceCheckFactory(
        volunteer=without, seen_on=today, issued_on=today, valid_until=today + timedelta(days=90)
    )
    assert run().proposals.get().volunteer == without


def test_same_gender_wish_is_a_hard_constraint():
    speaker("ar", gender="male")
    newcomer_speaking("ar", gender="female", wants_same_gender_contact=True)

    assert run().leftovers.get().reason == "gender"


def test_full_volunteers_and_matched_newcomers_are_left_out():
    busy = speaker("ar")
    matched = newcomer_speaking("ar")
    MentorshipFactory(volunteer=busy, newcomer=matched, state="active")
    newcomer_speaking("ar")

    result = run()

    assert result.newcomers_considered == 1
    assert result.proposals.count() == 0


def test_rejected_pairs_are_not_proposed_again():
    volunteer = speaker("ar")
    newcomer_speaking("ar")
    coordinator = UserFactory(role="coordinator")
    services.reject_proposal(
        proposal=run().proposals.get(), by=coordinator, reason="Did not get on at the café."
    )

    again = run()

    assert Rejection.objects.get().volunteer == volunteer
    assert again.proposals.count() == 0
    assert again.leftovers.get().reason == "rejected"


def test_accepting_makes_a_mentorship_and_uses_up_the_place():
    volunteer = speaker("ar")
    newcomer = newcomer_speaking("ar")
    coordinator = UserFactory(role="coordinator")
    proposal = run().proposals.get()

    mentorship = services.accept_proposal(proposal=proposal, by=coordinator)

    assert (mentorship.volunteer, mentorship.newcomer) == (volunteer, newcomer)
    with pytest.raises(services.MatchRefusedError):
        services.accept_proposal(proposal=proposal, by=coordinator)
    newcomer_speaking("ar")
    assert run().proposals.count() == 0


def test_an_old_proposal_is_refused_once_the_newcomer_has_a_mentorship():
    speaker("ar")
    other = speaker("ar")
    newcomer = newcomer_speaking("ar")
    proposal = run().proposals.get()
    MentorshipFactory(volunteer=other, newcomer=newcomer)

    with pytest.raises(services.MatchRefusedError):
        services.accept_proposal(proposal=proposal, by=UserFactory(role="coordinator"))


def test_the_scope_narrows_the_newcomers_considered():
    speaker("ar")
    housing = Theme.objects.get(slug="housing")
    with_need = newcomer_speaking("ar")
    NeedFactory(newcomer=with_need, theme=housing)
    newcomer_speaking("ar", waiting_since=timezone.localdate() - timedelta(weeks=20))

    assert run(Scope(theme_id=housing.pk)).newcomers_considered == 1
    assert run(Scope(waiting_weeks=10)).newcomers_considered == 1
    far = District.objects.exclude(pk=with_need.district_id).first()
    assert run(Scope(district_id=far.pk)).newcomers_considered == 0


def test_loading_takes_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(3):
        speaker("ar")
        newcomer_speaking("ar")
    newcomer_speaking("ti")
    record = MatchingRunFactory(weights=services.current_weights())
    with django_assert_max_num_queries(30) as small:
        execute_run(record)
    for _ in range(12):
        speaker("fa")
        newcomer_speaking("fa")
        newcomer_speaking("ti")
    record = MatchingRunFactory(weights=services.current_weights())
    with django_assert_max_num_queries(len(small.captured_queries)):
        execute_run(record)


def test_the_run_page_takes_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    def page():
        record = run()
        assert record.proposals.exists()
        assert record.leftovers.exists()
        return reverse("matching:run_detail", args=[record.pk])

    speaker("ar")
    speaker("ar")
    newcomer_speaking("ar")
    newcomer_speaking("ti")
    client.force_login(coordinator)
    url = page()
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for _ in range(10):
        speaker("fa")
        speaker("fa")
        newcomer_speaking("fa")
        newcomer_speaking("so")
    url = page()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_only_coordinators_run_matching_and_see_proposals(client, volunteer, coordinator):
    speaker("ar")
    newcomer_speaking("ar")
    result = run()
    proposal = result.proposals.get()

    client.force_login(volunteer)
    assert client.get(reverse("matching:runs")).status_code == 403
    assert client.get(reverse("matching:run_detail", args=[result.pk])).status_code == 403
    assert client.post(reverse("matching:proposal_accept", args=[proposal.pk])).status_code == 403
    assert not Mentorship.objects.exists()

    client.force_login(coordinator)
    page = client.get(reverse("matching:run_detail", args=[result.pk]))
    assert page.status_code == 200
    assert proposal.newcomer.full_name in page.content.decode()


def test_starting_a_run_from_the_browser_records_it(
    client, coordinator, django_capture_on_commit_callbacks
):
    speaker("ar")
    newcomer_speaking("ar")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:runs"), {"waiting_weeks": ""})

    record = MatchingRun.objects.get()
    assert response.url == reverse("matching:run_detail", args=[record.pk])
    assert record.started_by == coordinator


def test_a_bad_scope_is_explained_not_run(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("matching:runs"), {"waiting_weeks": "soon"})

    assert response.status_code == 200
    assert not MatchingRun.objects.exists()


def test_rejecting_without_a_reason_keeps_the_proposal(client, coordinator):
    speaker("ar")
    newcomer_speaking("ar")
    proposal = run().proposals.get()
    client.force_login(coordinator)

    client.post(reverse("matching:proposal_reject", args=[proposal.pk]), {"reason": ""})

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.PROPOSED


def test_a_volunteer_sees_only_their_own_mentorships(client):
    mine = speaker("ar")
    theirs = speaker("ar")
    MentorshipFactory(
        volunteer=mine, newcomer=newcomer_speaking("ar", full_name="Amal Mine"), state="active"
    )
    MentorshipFactory(
        volunteer=theirs,
        newcomer=newcomer_speaking("ar", full_name="Bashir Theirs"),
        state="active",
    )
    client.force_login(mine.user)

    page = client.get(reverse("matching:my_mentorships")).content.decode()

    assert "Amal" in page
    assert "Mine" not in page  # the first name is enough for the volunteer's own list
    assert "Bashir" not in page


def test_a_coordinator_can_choose_a_runner_up_but_nobody_else(client, coordinator):
    speaker("ar")
    second = speaker("ar")
    stranger = speaker("uk")
    newcomer = newcomer_speaking("ar")
    proposal = run().proposals.get()
    runner_up = (
        second
        if proposal.volunteer != second
        else Volunteer.objects.exclude(pk__in=[second.pk, stranger.pk]).get()
    )
    assert proposal.runner_ups == [runner_up.pk]
    client.force_login(coordinator)
    page = client.get(reverse("matching:run_detail", args=[proposal.run_id])).content.decode()
    form = page[page.index(reverse("matching:proposal_accept", args=[proposal.pk])) :]
    assert f'name="runner_up" value="{runner_up.pk}"' in form[: form.index("</form>")]

    client.post(reverse("matching:proposal_accept", args=[proposal.pk]), {"runner_up": stranger.pk})
    assert not Mentorship.objects.exists()

    client.post(
        reverse("matching:proposal_accept", args=[proposal.pk]), {"runner_up": runner_up.pk}
    )
    mentorship = Mentorship.objects.get()
    assert (mentorship.volunteer, mentorship.newcomer) == (runner_up, newcomer)


def test_a_newcomer_who_lost_the_only_place_is_told_it_was_taken():
    speaker("ar")
    newcomer_speaking("ar", waiting_since=timezone.localdate() - timedelta(days=200))
    later = newcomer_speaking("ar")

    leftover = run().leftovers.get()

    assert leftover.newcomer == later
    assert leftover.reason == "taken"
    assert leftover.details["volunteers"] == 1
    assert leftover_texts([leftover])[leftover.pk]


def test_age_groups_come_from_the_group_or_else_the_birth_year():
    today = date(2026, 11, 21)

    assert age_bit("6-13", None, today) == AGE_BIT["young"]
    assert age_bit("", 1950, today) == AGE_BIT["seniors"]
    assert age_bit("", 2004, today) == AGE_BIT["young_adults"]
    assert age_bit("", None, today) == -1
    assert age_bit("", 2030, today) == -1


def test_a_run_prefers_the_volunteer_who_would_like_to_accompany_older_people():
    indifferent = speaker("ar")
    likes_seniors = speaker("ar", age_preferences=["seniors"])
    Volunteer.objects.filter(pk__in=[indifferent.pk, likes_seniors.pk]).update(availability=0)
    senior = newcomer_speaking("ar", age_group="65+")

    proposal = run().proposals.get()

    assert (proposal.newcomer, proposal.volunteer) == (senior, likes_seniors)
    assert proposal.components["age"] == proposal.run.weights["age"]


def test_leftovers_are_paged_on_their_own_and_keep_the_proposals_page(client, coordinator):
    speaker("ar")
    newcomer_speaking("ar")
    stranded = [newcomer_speaking("ti", full_name=f"Tigrinya {n:02}") for n in range(30)]
    record = run()
    assert record.leftovers.count() == len(stranded)
    client.force_login(coordinator)
    url = reverse("matching:run_detail", args=[record.pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 1, "left": 2}).content.decode()

    shown_first = {n.full_name for n in stranded if n.full_name in first}
    shown_second = {n.full_name for n in stranded if n.full_name in second}
    assert len(shown_first) == 25
    assert len(shown_second) == 5
    assert shown_first.isdisjoint(shown_second)
    assert "left=2" in first
