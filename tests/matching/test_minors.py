"""Children are protected whether their age is known by age group or only by year of birth:
in the engine, the manual match, the explanations and the record."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.privacy.registry import NEWCOMER, erase_person
from ankommen.vocabulary.models import Language
from matching import pairs, services
from matching.engine import execute_run
from matching.explain import leftover_texts
from matching.models import Mentorship
from refugees.models import HouseholdMember, Newcomer, is_minor, with_minors
from tests.factories import (
    ClearanceCheckFactory,
    HouseholdMemberFactory,
    MatchingRunFactory,
    NewcomerFactory,
)
from tests.matching.people import arabic_newcomer, arabic_speaker

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def cleared(volunteer):
    today = timezone.localdate()
    ClearanceCheckFactory(
        volunteer=volunteer,
        seen_on=today,
        issued_on=today - timedelta(days=10),
        valid_until=today + timedelta(days=365),
    )
    return volunteer


def run():
    return execute_run(MatchingRunFactory(weights=services.current_weights()))


def family_with_child_born_in(year):
    family = arabic_newcomer(household="family", age_group="27-45")
    HouseholdMemberFactory(newcomer=family, relation="child", birth_year=year)
    return family


def test_a_newcomer_known_only_by_year_of_birth_is_not_proposed_without_clearance():
    volunteer = arabic_speaker(accepts_minors=True)
    arabic_newcomer(age_group="", birth_year=THIS_YEAR - 14)

    without = run()

    assert without.proposals.count() == 0
    leftover = without.leftovers.get()
    assert leftover.reason == "minors"
    with translation.override("en"):
        assert "valid police clearance" in leftover_texts([leftover])[leftover.pk]
    cleared(volunteer)
    assert run().proposals.get().volunteer == volunteer


def test_a_child_known_only_by_year_of_birth_keeps_the_family_from_uncleared_volunteers():
    volunteer = arabic_speaker(accepts_minors=True, accepts_families=True)
    family_with_child_born_in(THIS_YEAR - 14)

    without = run()

    assert without.proposals.count() == 0
    assert without.leftovers.get().reason == "minors"
    cleared(volunteer)
    assert run().proposals.get().volunteer == volunteer


def test_a_cleared_volunteer_who_does_not_work_with_minors_gets_no_child_by_year_of_birth():
    cleared(arabic_speaker(accepts_minors=False, accepts_families=True))
    family_with_child_born_in(THIS_YEAR - 12)

    assert run().proposals.count() == 0


@pytest.mark.parametrize(
    ("age_group", "birth_year"),
    [("18-26", THIS_YEAR - 14), ("14-17", 1990), ("", THIS_YEAR - 16), ("6-13", None)],
)
def test_whichever_of_age_group_and_year_of_birth_says_minor_counts(age_group, birth_year):
    arabic_speaker(accepts_minors=True)
    arabic_newcomer(age_group=age_group, birth_year=birth_year)

    assert run().proposals.count() == 0


@pytest.mark.parametrize(
    ("born", "proposed"),
    [(THIS_YEAR - 17, False), (THIS_YEAR - 18, False), (THIS_YEAR - 19, True)],
)
def test_whoever_turns_18_this_year_counts_as_a_minor_until_the_year_ends(born, proposed):
    arabic_speaker()
    arabic_newcomer(age_group="", birth_year=born)
    family_member = arabic_speaker(accepts_families=True)
    family_with_child_born_in(born)

    result = run()

    assert result.proposals.count() == (2 if proposed else 0)
    assert result.proposals.filter(volunteer=family_member).exists() == proposed


@pytest.mark.parametrize("today", [date(2026, 1, 1), date(2026, 12, 31)])
def test_the_rule_in_python_and_in_the_database_agree_around_the_18th_birthday_year(today):
    ages = {year: arabic_newcomer(age_group="", birth_year=year) for year in range(2005, 2011)}
    household = family_with_child_born_in(2008)
    HouseholdMember.objects.filter(newcomer=household).update(age_group="")

    in_sql = set(Newcomer.objects.filter(with_minors(today)).values_list("pk", flat=True))

    in_python = {
        newcomer.pk
        for newcomer in ages.values()
        if is_minor(age_group="", birth_year=newcomer.birth_year, today=today)
    }
    assert in_python == {ages[2008].pk, ages[2009].pk, ages[2010].pk}
    assert in_sql == in_python | {household.pk}
    assert is_minor(age_group="", birth_year=2007, today=today) is False
    assert is_minor(age_group="", birth_year=None, today=today) is False


def test_a_manual_match_names_the_clearance_rule_and_needs_a_reason(client, coordinator):
    uncleared = arabic_speaker(accepts_minors=True, accepts_families=True)
    family = family_with_child_born_in(THIS_YEAR - 14)
    client.force_login(coordinator)
    with translation.override("en"):
        url = reverse("matching:manual_match", args=[family.pk])
        [check] = pairs.check_pairs(
            family, [uncleared], services.current_weights(), timezone.localdate()
        )
        expected = [str(problem) for problem in check.problems]

    refused = client.post(url, {"volunteer": uncleared.pk}, follow=True)

    assert expected == ["The household has minors and the volunteer has no valid police clearance."]
    assert not Mentorship.objects.exists()
    [message] = [str(message) for message in refused.context["messages"]]
    assert "no valid police clearance" in message
    assert pairs.suggestions(family, services.current_weights(), timezone.localdate()) == []


def test_a_household_member_needs_an_age_group_or_a_year_of_birth(client, coordinator):
    family = NewcomerFactory(household="family", age_group="27-45", full_name="Rana Haddad")
    client.force_login(coordinator)
    with translation.override("en"):
        url = reverse("refugees:newcomer_edit", args=[family.pk])
    form = {
        "full_name": "Rana Haddad",
        "age_group": "27-45",
        "household": "family",
        "preferred_language": "ar",
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": Language.objects.get(code="ar").pk,
        "languages-0-level": "native",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-relation": "child",
    }

    neither = client.post(url, form)
    by_year = client.post(url, {**form, "members-0-birth_year": str(THIS_YEAR - 14)})

    assert neither.status_code == 200
    assert "Please give the age group or the year of birth." in neither.content.decode()
    assert by_year.status_code == 302
    member = HouseholdMember.objects.get(newcomer=family)
    assert (member.age_group, member.birth_year, member.is_minor) == ("", THIS_YEAR - 14, True)
    page = client.get(reverse("refugees:newcomer_detail", args=[family.pk])).content.decode()
    assert "Minor" in page


def test_erasing_a_record_keeps_a_child_known_by_year_of_birth_a_minor(coordinator):
    volunteer = arabic_speaker(accepts_minors=True, accepts_families=True)
    family = family_with_child_born_in(THIS_YEAR - 14)
    adult = arabic_newcomer(age_group="", birth_year=1970)

    erase_person(NEWCOMER, family, by=coordinator)
    erase_person(NEWCOMER, adult, by=coordinator)

    member = HouseholdMember.objects.get(newcomer=family)
    assert (member.birth_year, member.age_group) == (None, "6-13")
    adult.refresh_from_db()
    assert (adult.birth_year, adult.age_group) == (None, "46-64")
    assert not run().proposals.filter(volunteer=volunteer, newcomer=family).exists()
