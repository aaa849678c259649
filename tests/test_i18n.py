"""Every language the portal offers is served, in the right direction, with its own catalogue."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import check_for_language, get_language_info

pytestmark = pytest.mark.django_db

RTL = {"ar", "fa", "ps"}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def test_the_required_languages_are_offered():
    assert {"de", "en", "ar", "fa", "ps", "uk", "tr", "ru", "ku", "ti", "so", "fr"} <= set(
        LANGUAGE_CODES
    )


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_language_has_a_compiled_catalogue_and_locale_data(code):
    assert check_for_language(code)
    assert get_language_info(code)["bidi"] == (code in RTL)


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_start_page_is_served_in_every_language_with_lang_and_direction(client, code):
    response = client.get(f"/{code}/")

    html = response.content.decode()
    assert response.status_code == 200
    direction = "rtl" if code in RTL else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html
    stylesheet = "bootstrap.rtl.min.css" if code in RTL else "bootstrap.min.css"
    assert stylesheet in html


def test_german_is_the_default_and_english_is_really_english(client):
    german = client.get("/de/").content.decode()
    english = client.get("/en/").content.decode()

    assert "Ehrenamtlich" in german or "Anmelden" in german
    assert "Sign in" in english
    assert "Anmelden" not in english


def test_browser_language_picks_the_page_language(client):
    response = client.get("/", headers={"accept-language": "fa-IR,fa;q=0.9"})

    assert response.status_code == 302
    assert response["Location"] == "/fa/"


def test_language_switcher_names_each_language_in_its_own_script(client):
    html = client.get("/de/").content.decode()

    assert re.search(r'value="ar" lang="ar"\s+dir="rtl"', html)
    assert "العربيّة" in html
    assert "ትግርኛ" in html
    assert "Українська" in html


def test_switching_language_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/de/accounts/login/"})

    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/login/"


@pytest.mark.parametrize("code", LANGUAGE_CODES)
def test_every_catalogue_is_complete(code):
    catalogue = Path(settings.BASE_DIR) / "locale" / code / "LC_MESSAGES" / "django.po"

    statistics = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr

    assert "untranslated" not in statistics, statistics
    assert "fuzzy" not in statistics, statistics
