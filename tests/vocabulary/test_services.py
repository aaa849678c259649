"""Keeping the vocabulary: entries are added, renamed, retired and offered again, never deleted,
and each change is audited with who made it and which fields."""

import pytest
from django.utils import translation

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary import services
from ankommen.vocabulary.models import District, Language, Theme

pytestmark = pytest.mark.django_db


def _entries(subject):
    return list(
        AuditEvent.objects.filter(
            subject_type=subject._meta.model_name, subject_id=subject.pk
        ).values_list("action", "actor_id", "details")
    )


def test_a_new_district_is_offered_with_a_slug_of_its_own_and_audited(coordinator):
    District.objects.create(name="Linden", slug="linden-nord")

    district = services.add_entry(
        model=District, values={"name": "Linden-Nord", "translations": {}}, by=coordinator
    )
    other = services.add_entry(
        model=District, values={"name": "Linden Nord!", "translations": {}}, by=coordinator
    )

    assert (district.slug, other.slug) == ("linden-nord-2", "linden-nord-3")
    assert district.is_active
    assert _entries(district) == [("create", coordinator.pk, {})]


def test_a_name_in_arabic_script_still_gets_a_slug(coordinator):
    theme = services.add_entry(
        model=Theme, values={"name": "السكن", "translations": {}, "position": 9}, by=coordinator
    )

    assert theme.slug == "entry"


@pytest.mark.parametrize("name", ["mitte", "MITTE"])
def test_a_second_entry_with_the_same_name_is_refused_whatever_its_case(coordinator, name):
    before = District.objects.count()

    with pytest.raises(services.VocabularyError):
        services.add_entry(
            model=District, values={"name": name, "translations": {}}, by=coordinator
        )

    assert District.objects.count() == before


def test_a_language_with_a_code_already_taken_is_refused(coordinator):
    with pytest.raises(services.VocabularyError, match="AR"), translation.override("en"):
        services.add_entry(
            model=Language,
            values={"code": "AR", "name_en": "Arabic 2", "name_native": "x", "direction": "rtl"},
            by=coordinator,
        )


def test_renaming_keeps_the_slug_and_records_which_fields_changed(coordinator):
    district = District.objects.get(slug="mitte")

    services.change_entry(
        entry=district,
        values={"name": "Mitte-Zentrum", "translations": {"ar": "المركز"}, "slug": "new"},
        by=coordinator,
    )

    district.refresh_from_db()
    assert (district.name, district.slug) == ("Mitte-Zentrum", "mitte")
    with translation.override("ar"):
        assert district.localized_name == "المركز"
    assert _entries(district) == [("change", coordinator.pk, {"fields": ["name", "translations"]})]


def test_a_language_keeps_its_code_when_renamed(coordinator):
    language = Language.objects.get(code="ti")

    services.change_entry(
        entry=language,
        values={"code": "xx", "name_en": "Tigrinya", "name_native": "ትግርኛ", "is_common": False},
        by=coordinator,
    )

    language.refresh_from_db()
    assert language.code == "ti"
    assert not language.is_common


def test_retiring_keeps_the_entry_and_marks_it_and_offering_again_undoes_it(coordinator):
    theme = Theme.objects.get(slug="housing")

    services.retire_entry(entry=theme, by=coordinator)
    retired = Theme.objects.get(pk=theme.pk)
    offered_while_retired = Theme.objects.offered().filter(pk=theme.pk).exists()
    services.reactivate_entry(entry=theme, by=coordinator)

    assert not retired.is_active
    assert not offered_while_retired
    with translation.override("en"):
        assert str(retired).endswith("(no longer offered)")
    assert Theme.objects.offered().filter(pk=theme.pk).exists()
    assert [action for action, *_rest in _entries(theme)] == ["change", "change"]
    assert {str(details) for *_rest, details in _entries(theme)} == {"{'fields': ['is_active']}"}


def test_the_last_offered_entry_of_a_kind_cannot_be_retired(coordinator):
    *others, last = list(District.objects.all())
    District.objects.filter(pk__in=[district.pk for district in others]).update(is_active=False)

    with pytest.raises(services.VocabularyError, match="last"), translation.override("en"):
        services.retire_entry(entry=last, by=coordinator)

    last.refresh_from_db()
    assert last.is_active


def test_retiring_twice_or_offering_an_offered_entry_again_is_refused(coordinator):
    district = District.objects.get(slug="mitte")
    services.retire_entry(entry=district, by=coordinator)

    with pytest.raises(services.VocabularyError):
        services.retire_entry(entry=district, by=coordinator)
    services.reactivate_entry(entry=district, by=coordinator)
    with pytest.raises(services.VocabularyError):
        services.reactivate_entry(entry=district, by=coordinator)
