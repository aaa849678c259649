"""Every newcomer page, in every language: direction, a complete translation, a light weight."""

import gettext
import html as html_module
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
RTL = {"ar", "fa", "ps"}
CONTEXT = "newcomer view"
PAGES = ["", "contact/", "appointments/", "offers/", "help/", "help/sent/", "language/"]
BUDGET_BYTES = 200 * 1024
FONTS = {  # what the stylesheet's unicode-range makes a browser download, by script
    "vendor/fonts/noto-naskh-arabic-arabic-400-normal.woff2": re.compile("[\u0600-\u06ff]"),
    "vendor/fonts/noto-sans-ethiopic-ethiopic-400-normal.woff2": re.compile("[\u1200-\u137f]"),
}


def _catalog(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def _po_strings(block: str, keyword: str) -> str | None:
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block, re.MULTILINE)
    if match is None:
        return None
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()


def _newcomer_msgids():
    """From the .po source: a compiled .mo leaves out what nobody has translated yet."""
    source = (Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po").read_text()
    msgids = set()
    for block in source.split("\n\n"):
        if _po_strings(block, "msgctxt") == CONTEXT:
            msgids.add(_po_strings(block, "msgid"))
    return msgids


def test_the_newcomer_view_has_its_own_strings():
    assert len(_newcomer_msgids()) >= 20


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_newcomer_string_is_translated_in_the_catalogue(language):
    catalog = _catalog(language)

    missing = [msgid for msgid in _newcomer_msgids() if not catalog.get(f"{CONTEXT}\x04{msgid}")]

    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_in_the_language_with_direction_and_no_english_left(signed_in, language):
    catalog = _catalog(language)
    untranslated_if_seen = {
        msgid
        for msgid in _newcomer_msgids()
        if language != "en" and catalog.get(f"{CONTEXT}\x04{msgid}") != msgid and len(msgid) > 4
    }
    direction = "rtl" if language in RTL else "ltr"

    for page in PAGES:
        response = signed_in.get(f"/{language}/me/{page}")
        text = html_module.unescape(response.content.decode())

        assert response.status_code == 200, page
        assert f'<html lang="{language}" dir="{direction}">' in text, page
        leaked = [msgid for msgid in untranslated_if_seen if msgid in text]
        assert leaked == [], (page, leaked)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_stays_under_the_weight_budget(signed_in, language):
    stylesheet = Path(finders.find("css/newcomer.css")).stat().st_size

    for page in PAGES:
        body = signed_in.get(f"/{language}/me/{page}").content
        text = body.decode()
        fonts = sum(
            Path(finders.find(font)).stat().st_size
            for font, script in FONTS.items()
            if script.search(text)
        )
        assert len(body) + stylesheet + fonts < BUDGET_BYTES, (page, len(body), fonts)
