import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ankommen.vocabulary.models import District, Language, Theme
from tests.factories import (
    ClearanceCheckFactory,
    LanguageSkillFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers.availability import mask_for, slot
from volunteers.filters import CardFileFilter
from volunteers.models import Stage
from volunteers.selectors import card_file

pytestmark = pytest.mark.django_db


def _names(params):
    filterset = CardFileFilter(params, queryset=card_file())
    assert filterset.is_valid(), filterset.errors
    return sorted(volunteer.user.full_name for volunteer in filterset.qs)


def _volunteer(name, **fields):
    return VolunteerFactory(user__full_name=name, **fields)


def test_search_finds_name_email_and_skills():
    _volunteer("Leila Rahimi", skills="Fahrradreparatur")
    _volunteer("Jonas Weber", user__email="jonas.weber@example.org")
    _volunteer("Mehmet Demir")

    assert _names({"q": "rahimi"}) == ["Leila Rahimi"]
    assert _names({"q": "jonas.weber@"}) == ["Jonas Weber"]
    assert _names({"q": "fahrrad"}) == ["Leila Rahimi"]


def test_stage_filter_takes_several_stages():
    _volunteer("A", stage=Stage.APPLIED)
    _volunteer("B", stage=Stage.READY)
    _volunteer("C", stage=Stage.ACTIVE)

    assert _names({"stage": [Stage.READY, Stage.ACTIVE]}) == ["B", "C"]


def test_language_filter_respects_the_minimum_level():
    arabic = Language.objects.get(code="ar")
    native = _volunteer("Native")
    basic = _volunteer("Basic")
    _volunteer("None")
    LanguageSkillFactory(volunteer=native, language=arabic, level="native")
    LanguageSkillFactory(volunteer=basic, language=arabic, level="basic")

    assert _names({"language": [arabic.pk]}) == ["Basic", "Native"]
    assert _names({"language": [arabic.pk], "min_level": "conversational"}) == ["Native"]


def test_several_languages_find_who_speaks_any_of_them_at_the_level_once_each():
    arabic, farsi = Language.objects.get(code="ar"), Language.objects.get(code="fa")
    both, only_farsi, basic_farsi = _volunteer("Both"), _volunteer("Farsi"), _volunteer("Basic")
    _volunteer("Neither")
    LanguageSkillFactory(volunteer=both, language=arabic, level="native")
    LanguageSkillFactory(volunteer=both, language=farsi, level="fluent")
    LanguageSkillFactory(volunteer=only_farsi, language=farsi, level="native")
    LanguageSkillFactory(volunteer=basic_farsi, language=farsi, level="basic")

    assert _names({"language": [arabic.pk, farsi.pk]}) == ["Basic", "Both", "Farsi"]
    assert _names({"language": [arabic.pk, farsi.pk], "min_level": "fluent"}) == ["Both", "Farsi"]


def test_district_theme_and_role_filters():
    mitte, nord = District.objects.get(slug="mitte"), District.objects.get(slug="nord")
    housing = Theme.objects.get(slug="housing")
    in_mitte = _volunteer("Mitte", district=mitte, wants_mentor=False, wants_guide=True)
    _volunteer("Nord", district=nord)
    in_mitte.themes.add(housing)

    assert _names({"district": [mitte.pk]}) == ["Mitte"]
    assert _names({"theme": [housing.pk]}) == ["Mitte"]
    assert _names({"role": ["guide"]}) == ["Mitte"]
    assert _names({"role": ["mentor"]}) == ["Nord"]


def test_several_values_of_a_filter_find_anyone_with_one_of_them_once():
    mitte, nord = District.objects.get(slug="mitte"), District.objects.get(slug="nord")
    housing, health = Theme.objects.get(slug="housing"), Theme.objects.get(slug="health")
    guide = _volunteer("Guide", district=mitte, wants_mentor=False, wants_guide=True)
    mentor = _volunteer("Mentor", district=nord)
    _volunteer("Trainer", district=None, wants_mentor=False, wants_trainer=True)
    guide.themes.add(housing, health)
    mentor.themes.add(health)

    assert _names({"district": [mitte.pk, nord.pk]}) == ["Guide", "Mentor"]
    assert _names({"theme": [housing.pk, health.pk]}) == ["Guide", "Mentor"]
    assert _names({"role": ["guide", "mentor"]}) == ["Guide", "Mentor"]


def test_availability_filter_needs_every_chosen_slot():
    monday_evening, friday_morning = slot(0, 2), slot(4, 0)
    _volunteer("Both", availability=mask_for([monday_evening, friday_morning]))
    _volunteer("Monday", availability=mask_for([monday_evening]))

    assert _names({"available": [str(monday_evening)]}) == ["Both", "Monday"]
    assert _names({"available": [str(monday_evening), str(friday_morning)]}) == ["Both"]


def test_training_filter_counts_a_paused_trained_volunteer_as_trained():
    _volunteer("Ready", stage=Stage.READY)
    _volunteer("Paused", stage=Stage.PAUSED, stage_before_pause=Stage.ACTIVE)
    _volunteer("New", stage=Stage.APPLIED)

    assert _names({"training": "done"}) == ["Paused", "Ready"]
    assert _names({"training": "open"}) == ["New"]


def test_clearance_filter_knows_valid_expiring_expired_and_none():
    today = timezone.localdate()
    for name, days in (("Valid", 400), ("Expiring", 10), ("Expired", -5)):
        ClearanceCheckFactory(
            volunteer=_volunteer(name),
            issued_on=today - timedelta(days=1000),
            seen_on=today - timedelta(days=990),
            valid_until=today + timedelta(days=days),
        )
    _volunteer("None")

    assert _names({"clearance": "valid"}) == ["Valid"]
    assert _names({"clearance": "expiring"}) == ["Expiring"]
    assert _names({"clearance": "expired"}) == ["Expired"]
    assert _names({"clearance": "none"}) == ["None"]


def test_free_capacity_and_last_activity_filters():
    _volunteer("Free", max_mentorships=2)
    _volunteer("Full", max_mentorships=0, last_activity_at=timezone.now() - timedelta(days=100))

    assert _names({"free_capacity": "true"}) == ["Free"]
    assert _names({"free_capacity": "false"}) == ["Full"]
    assert _names({"inactive_days": "90"}) == ["Full"]


def test_referred_by_filter():
    multiplier = UserFactory(full_name="Greta Multiplikatorin")
    _volunteer("Recruit", user__referred_by=multiplier)
    _volunteer("Walk-in")

    assert _names({"referred_by": "multipli"}) == ["Recruit"]


def test_sorting_by_last_activity():
    _volunteer("Old", last_activity_at=timezone.now() - timedelta(days=50))
    _volunteer("Recent", last_activity_at=timezone.now())

    filterset = CardFileFilter({"ordering": "-activity"}, queryset=card_file())
    assert [v.user.full_name for v in filterset.qs] == ["Recent", "Old"]


def test_a_malformed_filter_value_is_reported_not_crashed_on():
    filterset = CardFileFilter({"district": ["not-a-number"]}, queryset=card_file())

    assert not filterset.is_valid()
    assert "district" in filterset.errors


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_contains_exactly_the_filtered_set_across_all_pages(
    client, coordinator, file_format
):
    for number in range(60):  # more than one page of 50
        _volunteer(f"Ready {number:02d}", stage=Stage.READY)
    _volunteer("=HYPERLINK(1)", stage=Stage.READY)
    _volunteer("Applied one", stage=Stage.APPLIED)
    client.force_login(coordinator)

    response = client.get(f"/de/volunteers/export.{file_format}", {"stage": "ready"})

    assert response.status_code == 200
    if file_format == "csv":
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(content), delimiter=";"))  # German Excel
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    expected = [f"Ready {number:02d}" for number in range(60)]
    expected.append("'=HYPERLINK(1)")  # a formula from someone's input is defused
    assert rows[0][0] == "Name"
    assert sorted(row[0] for row in rows[1:]) == sorted(expected)
