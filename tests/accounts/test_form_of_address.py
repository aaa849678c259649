"""German pages say "Sie", allauth's sign-in pages included (its own German catalogue says "du")."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import pytest
from django.template.loader import render_to_string
from django.utils import translation

from ankommen.accounts import allauth_texts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
INFORMAL = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE)
PASSWORD = "ein-langes-passwort-9"


class VisibleText(HTMLParser):
    """What a reader sees: text outside <script>, <style> and <head>, and the texts of buttons,
    fields and images (value, placeholder, alt, title, aria-label)."""

    HIDDEN = frozenset({"script", "style", "head"})
    SHOWN_ATTRIBUTES = ("placeholder", "alt", "title", "aria-label")

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        attributes = dict(attrs)
        self.parts += [attributes[name] or "" for name in self.SHOWN_ATTRIBUTES if name in attrs]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _informal_words(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    parser = VisibleText()
    parser.feed(response.content.decode())
    text = " ".join(" ".join(parser.parts).split())
    assert len(text) > 40, text  # the control: there is a page to read
    return [
        text[max(match.start() - 40, 0) : match.end() + 40] for match in INFORMAL.finditer(text)
    ]


@pytest.fixture
def signed_in(client):
    user = UserFactory(role="volunteer", email="lena@example.org")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/de/accounts/login/", None),
        ("/de/accounts/login/", {"login": "lena@example.org", "password": "falsch"}),
        ("/de/accounts/signup/", None),
        (
            "/de/accounts/signup/",
            {"email": "neu@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
        ),
        ("/de/accounts/password/reset/", None),
        ("/de/accounts/password/reset/done/", None),
        ("/de/accounts/password/reset/key/1-ungueltig/", None),
        ("/de/accounts/confirm-email/", None),
        ("/de/accounts/confirm-email/ungueltig/", None),
    ],
)
def test_the_sign_in_pages_say_sie(client, path, data):
    response = client.post(path, data) if data else client.get(path)

    assert _informal_words(response) == []


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/de/accounts/email/", None),
        ("/de/accounts/email/", {"action_add": "", "email": "lena@example.org"}),
        ("/de/accounts/password/change/", None),
        (
            "/de/accounts/password/change/",
            {"oldpassword": "falsch", "password1": PASSWORD, "password2": PASSWORD + "x"},
        ),
        ("/de/accounts/logout/", None),
        ("/de/accounts/2fa/", None),
        ("/de/accounts/reauthenticate/", None),
    ],
)
def test_the_account_pages_say_sie(client, signed_in, path, data):
    response = client.post(path, data) if data else client.get(path)

    assert _informal_words(response) == []


def test_the_messages_after_signing_out_say_sie(client, signed_in):
    response = client.post("/de/accounts/logout/", follow=True)

    assert "abgemeldet" in response.content.decode()
    assert _informal_words(response) == []


def test_the_second_factor_notification_says_sie():
    with translation.override("de"):
        body = render_to_string(
            "mfa/email/totp_activated_message.txt", {"user_display": "Lena", "timestamp": ""}
        )

    assert "Authenticator-App aktiviert" in body
    assert INFORMAL.findall(body) == []


def _allauths_german() -> gettext.GNUTranslations:
    catalogue = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    with catalogue.open("rb") as file:
        return gettext.GNUTranslations(file)


def test_every_listed_text_is_one_allauth_translates_and_we_say_sie():
    """An allauth upgrade that rewords a text would leave our override unused: caught here."""
    theirs = _allauths_german()

    for text in allauth_texts.TEXTS:
        assert theirs.gettext(text) != text, text  # allauth still has this text
        with translation.override("de"):
            ours = translation.gettext(text)
        assert ours != theirs.gettext(text), text  # and ours wins
        assert not INFORMAL.search(ours), text
