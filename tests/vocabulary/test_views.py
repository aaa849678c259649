"""The coordinators' vocabulary pages: list with uses, add, rename with translations, retire
after a confirmation that counts the records, offer again; nobody else gets in."""

import pytest
from django.urls import reverse
from django.utils import translation

from ankommen.vocabulary.models import District, Language, Theme
from tests.factories import (
    LanguageSkillFactory,
    NeedFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def _en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def test_the_list_shows_each_entry_with_the_records_that_use_it(signed_in):
    mitte = District.objects.get(slug="mitte")
    VolunteerFactory(district=mitte)
    VolunteerFactory(district=mitte)
    NewcomerFactory(district=mitte)

    page = signed_in.get(_en("vocabulary:entry_list", "districts")).content.decode()

    assert "Volunteers: 2" in page
    assert "Newcomers: 1" in page
    assert "Not used by any record." in page  # the other districts


def test_languages_count_the_people_who_speak_them(signed_in):
    tigrinya = Language.objects.get(code="ti")
    volunteer = VolunteerFactory()
    LanguageSkillFactory(volunteer=volunteer, language=tigrinya)
    NewcomerLanguageFactory(newcomer=NewcomerFactory(), language=tigrinya)
    NewcomerLanguageFactory(newcomer=NewcomerFactory(), language=tigrinya)

    response = signed_in.get(_en("vocabulary:entry_list", "languages"))

    rows = {entry.code: uses for entry, uses, _total in response.context["rows"]}
    assert {use.kind: use.count for use in rows["ti"]} == {"Newcomers": 2, "Volunteers": 1}


def test_a_coordinator_adds_a_district_with_its_names_in_other_languages(signed_in):
    response = signed_in.post(
        _en("vocabulary:entry_add", "districts"),
        {"name": " Kronsberg  Süd ", "name_ar": "كرونسبرغ", "name_en": "", "name_uk": "Кронсберг"},
    )

    district = District.objects.get(name="Kronsberg Süd")
    assert response.status_code == 302
    assert district.translations == {"ar": "كرونسبرغ", "uk": "Кронсберг"}
    assert district.is_active


def test_renaming_shows_the_current_names_and_saves_the_new_ones(signed_in):
    theme = Theme.objects.get(slug="housing")
    url = _en("vocabulary:entry_edit", "themes", theme.pk)

    form = signed_in.get(url).context["form"]
    signed_in.post(url, {"name": "Wohnen und Umzug", "position": "3", "name_en": "Housing, moving"})

    theme.refresh_from_db()
    assert form.initial["name"] == "Wohnen"
    assert form.initial["name_en"] == "Housing"
    assert (theme.name, theme.position, theme.translations) == (
        "Wohnen und Umzug",
        3,
        {"en": "Housing, moving"},
    )


def test_renaming_keeps_names_in_languages_the_form_does_not_offer(signed_in):
    district = District.objects.get(slug="mitte")
    district.translations = {"prs": "مرکز", "de": "Alt-Mitte", "en": "Centre"}
    district.save()

    signed_in.post(_en("vocabulary:entry_edit", "districts", district.pk), {"name": "Mitte"})

    district.refresh_from_db()
    # Dari is kept; a German one would hide the name itself; English was emptied in the form.
    assert district.translations == {"prs": "مرکز"}


def test_a_duplicate_name_is_refused_with_a_message_and_the_input_kept(signed_in):
    response = signed_in.post(_en("vocabulary:entry_add", "districts"), {"name": "Mitte"})

    assert response.status_code == 400
    assert "There is already an entry called Mitte." in response.content.decode()
    assert 'value="Mitte"' in response.content.decode()


def test_the_retire_confirmation_says_how_many_records_use_the_entry(signed_in):
    mitte = District.objects.get(slug="mitte")
    for _ in range(3):
        VolunteerFactory(district=mitte)
    NewcomerFactory(district=mitte)

    page = signed_in.get(_en("vocabulary:entry_retire", "districts", mitte.pk)).content.decode()
    mitte.refresh_from_db()

    assert "Mitte is used by 4 records. They keep it, marked as no longer offered:" in page
    assert "Volunteers: 3" in page
    assert mitte.is_active  # asking changed nothing


def test_retiring_and_offering_again_from_the_list(signed_in):
    theme = Theme.objects.get(slug="housing")
    NeedFactory(theme=theme)

    signed_in.post(_en("vocabulary:entry_retire", "themes", theme.pk))
    theme.refresh_from_db()
    retired = theme.is_active
    listed = signed_in.get(_en("vocabulary:entry_list", "themes")).content.decode()
    signed_in.post(_en("vocabulary:entry_reactivate", "themes", theme.pk))
    theme.refresh_from_db()

    assert retired is False
    assert "Housing (no longer offered)" in listed
    assert "Offer again" in listed
    assert theme.is_active


def test_an_unknown_kind_or_entry_is_a_404(signed_in):
    assert signed_in.get("/en/vocabulary/planets/").status_code == 404
    assert signed_in.get(_en("vocabulary:entry_edit", "districts", 999_999)).status_code == 404
    assert signed_in.post(_en("vocabulary:entry_reactivate", "themes", 999_999)).status_code == 404


def test_volunteers_cannot_keep_the_vocabulary(client):
    mitte = District.objects.get(slug="mitte")
    client.force_login(VolunteerFactory().user)

    answers = {
        client.get(_en("vocabulary:entry_list", "districts")).status_code,
        client.post(_en("vocabulary:entry_add", "districts"), {"name": "X"}).status_code,
        client.post(_en("vocabulary:entry_edit", "districts", mitte.pk), {"name": "Y"}).status_code,
        client.post(_en("vocabulary:entry_retire", "districts", mitte.pk)).status_code,
        client.post(_en("vocabulary:entry_reactivate", "districts", mitte.pk)).status_code,
    }

    assert answers == {403}

    mitte.refresh_from_db()
    assert (mitte.name, mitte.is_active) == ("Mitte", True)
    assert not District.objects.filter(name="X").exists()


@pytest.mark.parametrize("kind", ["districts", "themes", "languages"])
@pytest.mark.parametrize("people", [1, 6])
def test_the_lists_cost_the_same_queries_at_any_size(
    signed_in, django_assert_max_num_queries, kind, people
):
    districts, themes = list(District.objects.all()), list(Theme.objects.all())
    languages = list(Language.objects.all())
    for number in range(people):
        volunteer = VolunteerFactory(district=districts[number % len(districts)])
        volunteer.themes.add(themes[number % len(themes)])
        LanguageSkillFactory(volunteer=volunteer, language=languages[number % len(languages)])
        NeedFactory(theme=themes[number % len(themes)])
        District.objects.create(name=f"Neu {number}", slug=f"neu-{number}")

    # Session and user, the entries, one count per kind of record that refers to them (nine
    # for themes: needs, courses, hours, volunteers, offers, partners, partner needs, tasks,
    # groups).
    with django_assert_max_num_queries(12):
        response = signed_in.get(_en("vocabulary:entry_list", kind))

    assert response.status_code == 200
