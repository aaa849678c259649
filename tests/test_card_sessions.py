"""A newcomer account is usable only through a card that still works, on every URL: stopping the
card ends every session it opened at once, and no page of a card's session adds another way in
(an e-mail address, a password, a second factor)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import User
from refugees.services import issue_access_link
from tests.factories import PASSWORD, NewcomerFactory, current_totp_code
from tests.test_url_policy import (
    URL_NAMES,
    _url,
    objects,  # noqa: F401 (the fixture: objects for every URL)
)

pytestmark = pytest.mark.django_db

# Pages a card's session opened before the card was stopped, besides the newcomer view.
ACCOUNT_PAGES = (
    "/de/accounts/settings/",
    "/de/accounts/email/",
    "/de/accounts/password/change/",
    "/de/accounts/password/set/",
    "/de/accounts/2fa/",
    "/de/trainings/me/",
    "/de/messages/newsletter/",
    "/de/me/",
)


@pytest.fixture
def newcomer(db):
    return NewcomerFactory(preferred_language="ar", language_confirmed=True)


@pytest.fixture
def card(newcomer, coordinator):
    return issue_access_link(newcomer=newcomer, by=coordinator)


def signed_in_with(card) -> Client:
    client = Client()
    assert client.get(reverse("newcomer_access", args=[card.token])).status_code == 302
    return client


def stop_through_the_coordinators_page(card, coordinator) -> None:
    staff = Client()
    staff.force_login(coordinator)
    url = reverse("refugees:access_revoke", args=[card.link.newcomer_id, card.link.pk])
    assert staff.post(url).status_code == 302


def test_a_card_session_opens_the_account_pages_while_the_card_works(card):
    client = signed_in_with(card)

    answers = {path: client.get(path, follow=True).status_code for path in ACCOUNT_PAGES}

    assert answers == {
        **dict.fromkeys(ACCOUNT_PAGES, 200),
        # Pages that would add a way in besides the card are refused.
        "/de/accounts/email/": 403,
        "/de/accounts/password/change/": 403,
        "/de/accounts/password/set/": 403,
        "/de/accounts/2fa/": 403,
    }


def test_a_stopped_card_ends_every_session_it_opened_on_every_url(card, coordinator, objects):  # noqa: F811
    # One session per URL, as on many phones and shared computers: each is still open.
    sessions = {name: signed_in_with(card) for name in URL_NAMES}
    assert all(client.get("/ar/me/").status_code == 200 for client in sessions.values())

    stop_through_the_coordinators_page(card, coordinator)

    answers = {name: client.get(_url(name, objects)) for name, client in sessions.items()}
    assert {name: r.status_code for name, r in answers.items() if r.status_code != 410} == {}
    assert all('<html lang="ar" dir="rtl">' in r.text for r in answers.values())
    assert [name for name, c in sessions.items() if "_auth_user_id" in c.session] == []


@pytest.mark.parametrize("path", ACCOUNT_PAGES)
def test_a_stopped_card_opens_no_account_page(card, coordinator, path):
    client = signed_in_with(card)

    stop_through_the_coordinators_page(card, coordinator)
    response = client.get(path)

    assert response.status_code == 410
    assert "_auth_user_id" not in client.session
    assert client.get(path)["Location"].startswith("/de/accounts/login/")


def test_a_new_card_ends_the_old_cards_sessions_and_signs_in_itself(card, newcomer, coordinator):
    client = signed_in_with(card)

    new_card = issue_access_link(newcomer=newcomer, by=coordinator)

    assert client.get("/de/accounts/settings/").status_code == 410
    assert client.get(reverse("newcomer_access", args=[new_card.token])).status_code == 302
    assert client.get("/de/accounts/settings/").status_code == 200


def test_closing_the_record_ends_its_card_sessions(card, newcomer):
    client = signed_in_with(card)

    newcomer.closed_at = timezone.now()
    newcomer.save()

    assert client.get("/de/trainings/me/").status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_card_session_cannot_add_an_email_set_a_password_or_set_up_a_second_factor(
    card, newcomer
):
    client = signed_in_with(card)

    posts = {
        "account_email": {"action_add": "", "email": "taken-over@example.org"},
        "account_set_password": {"password1": "a-new-password-1", "password2": "a-new-password-1"},
        "account_change_password": {
            "oldpassword": "",
            "password1": "a-new-password-1",
            "password2": "a-new-password-1",
        },
        "account_reauthenticate": {"password": ""},
        "mfa_activate_totp": {"code": current_totp_code()},
        "account_reset_password": {"email": "taken-over@example.org"},
    }
    answers = {name: client.post(reverse(name), data).status_code for name, data in posts.items()}

    assert answers == dict.fromkeys(posts, 403)
    account = User.objects.get(pk=newcomer.user_id)
    assert account.email is None
    assert not EmailAddress.objects.filter(user=account).exists()
    assert not account.has_usable_password()
    assert not Authenticator.objects.filter(user=account).exists()
    # The card itself still works.
    assert client.get("/ar/me/").status_code == 200


def test_a_newcomer_account_with_a_password_from_before_cannot_sign_in_by_password(
    client, card, newcomer
):
    account = User.objects.get(pk=newcomer.user_id)
    account.email = "amina@example.org"
    account.set_password(PASSWORD)
    account.save()
    EmailAddress.objects.create(user=account, email=account.email, verified=True, primary=True)

    response = client.post(
        "/en/accounts/login/", {"login": account.email, "password": PASSWORD}, follow=True
    )

    assert "_auth_user_id" not in client.session
    assert "This account signs in only with its personal card." in response.text
    assert client.get("/de/accounts/settings/")["Location"].startswith(reverse("account_login"))


def test_a_newcomer_session_opened_without_the_card_gets_nothing(client, card, newcomer):
    """E.g. a session signed in by password before passwords were refused to newcomers."""
    client.force_login(User.objects.get(pk=newcomer.user_id))

    response = client.get("/de/accounts/settings/")

    assert response.status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_refused_page_is_logged_by_name_never_with_its_secret_key(card, caplog):
    client = signed_in_with(card)

    response = client.get("/de/accounts/password/reset/key/zz-set-by-someone-else/")

    assert response.status_code == 403
    logged = [r.getMessage() for r in caplog.records if r.name == "ankommen.security"]
    assert logged == [
        f"newcomer account refused: user={card.link.newcomer.user_id} "
        "view=account_reset_password_from_key"
    ]
