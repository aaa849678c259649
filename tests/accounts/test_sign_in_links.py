"""Someone who shares a network with a password guesser (an office, a shelter's Wi-Fi) gets a
link by e-mail that lets their own browser sign in at once, with password and second factor;
the guesser, on the same network address, keeps waiting."""

import re
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from ankommen.accounts import sign_in_links
from ankommen.messaging.models import OutboxMessage
from tests.database_dump import dump
from tests.factories import PASSWORD, UserFactory, current_totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/de/accounts/login/"
ASK = "/de/accounts/sign-in-link/"
SHARED_NETWORK = "203.0.113.50"
TEMPLATE = "accounts/email/sign_in_link"


def german(text: str) -> str:
    with translation.override("de"):
        return gettext(text)


def throttled_text() -> str:
    with translation.override("de"):
        return ngettext(
            "Too many failed sign-ins from your network. Please try again in %(count)s minute.",
            "Too many failed sign-ins from your network. Please try again in %(count)s minutes.",
            2,
        ).split("%(count)s")[0]


def link_sent_text() -> str:
    with translation.override("de"):
        return ngettext(
            "If this address belongs to an account that signs in with a password, we have "
            "sent it a link. It works once, for %(minutes)s minute.",
            "If this address belongs to an account that signs in with a password, we have "
            "sent it a link. It works once, for %(minutes)s minutes.",
            30,
        ) % {"minutes": 30}


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=SHARED_NETWORK)


def is_throttled(response) -> bool:
    return response.status_code == 200 and throttled_text() in response.text


def guess_many(email, times=10) -> Client:
    guesser = Client()
    for _try in range(times):
        sign_in(guesser, email, "guess")
    return guesser


def ask_for_link(client, email, capture, network=SHARED_NETWORK):
    with capture(execute=True):
        return client.post(ASK, {"email": email}, REMOTE_ADDR=network, follow=True)


def link_path(mail) -> str:
    url = re.search(r"https?://\S+/sign-in-link/\S+?/", mail.body).group(0)
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def completes_sign_in_with_code(client, user) -> bool:
    """Password, then the authenticator's code, then a staff page opens."""
    after_password = sign_in(client, user.email)
    assert after_password.status_code == 302, after_password.text
    assert after_password["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    return client.get("/de/cockpit/").status_code == 200


@pytest.fixture
def coordinator():
    return UserFactory(role="coordinator", email="koordination@example.org")


def test_a_coordinator_on_the_guessers_network_signs_in_with_the_link_from_the_mail(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    guesser = guess_many(coordinator.email)
    browser = Client()
    refused = sign_in(browser, coordinator.email)
    assert is_throttled(refused)
    assert reverse("accounts:sign_in_link_request") in refused.text
    assert german("Send me a link to sign in anyway") in refused.text

    asked = ask_for_link(browser, coordinator.email, django_capture_on_commit_callbacks)

    assert link_sent_text() in asked.text
    [mail] = mailoutbox
    assert mail.to == [coordinator.email]
    path = link_path(mail)
    row = OutboxMessage.objects.get(template=TEMPLATE)
    assert row.state == OutboxMessage.State.SENT
    assert token_of(path) not in dump()
    assert "/sign-in-link/" not in dump()

    # Opening the link (as a mail scanner does) changes nothing.
    assert browser.get(path, REMOTE_ADDR=SHARED_NETWORK).status_code == 200
    assert is_throttled(sign_in(browser, coordinator.email))
    confirmed = browser.post(path, REMOTE_ADDR=SHARED_NETWORK)

    assert confirmed.status_code == 302
    assert "_auth_user_id" not in browser.session
    assert completes_sign_in_with_code(browser, coordinator)
    # The guesser and every other browser on that network keep waiting.
    assert is_throttled(sign_in(guesser, coordinator.email, "guess"))
    assert is_throttled(sign_in(Client(), coordinator.email))


def test_the_link_does_not_sign_in_without_password_and_gives_only_a_few_tries(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    guess_many(coordinator.email)
    browser = Client()
    ask_for_link(browser, coordinator.email, django_capture_on_commit_callbacks)
    browser.post(link_path(mailoutbox[0]), REMOTE_ADDR=SHARED_NETWORK)

    answers = [sign_in(browser, coordinator.email, "guess") for _try in range(6)]

    wrong = german("The email address and/or password you specified are not correct.")
    assert all(wrong in answer.text for answer in answers[:5])
    assert is_throttled(answers[5])
    assert "_auth_user_id" not in browser.session
    assert browser.get("/de/cockpit/").status_code == 302


def test_a_link_works_once(coordinator, mailoutbox, django_capture_on_commit_callbacks):
    guess_many(coordinator.email)
    ask_for_link(Client(), coordinator.email, django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[0])
    Client().post(path, REMOTE_ADDR=SHARED_NETWORK)
    second = Client()

    shown = second.get(path, REMOTE_ADDR=SHARED_NETWORK)
    used = second.post(path, REMOTE_ADDR=SHARED_NETWORK)

    message = german(
        "This sign-in link has already been used, or a newer one was sent. Please use the "
        "newest e-mail or ask for a new link."
    )
    assert shown.status_code == used.status_code == 400
    assert message in shown.text
    assert message in used.text
    assert is_throttled(sign_in(second, coordinator.email))


def test_an_expired_or_forged_link_is_refused_with_a_message(
    coordinator, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    guess_many(coordinator.email)
    browser = Client()
    ask_for_link(browser, coordinator.email, django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[0])
    token = token_of(path)
    forged = path.replace(token, token[:-3] + ("abc" if token[-3:] != "abc" else "xyz"))
    later = time.time() + sign_in_links.LINK_LIFETIME + 1
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))

    expired = browser.post(path, REMOTE_ADDR=SHARED_NETWORK)
    bad = browser.post(forged, REMOTE_ADDR=SHARED_NETWORK)

    assert expired.status_code == bad.status_code == 400
    assert german("This sign-in link has expired. Please ask for a new one.") in expired.text
    assert german("This sign-in link is not valid. Please ask for a new one.") in bad.text
    assert is_throttled(sign_in(browser, coordinator.email))


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    guess_many("niemand@example.org")
    refused = sign_in(Client(), "niemand@example.org")

    unknown = ask_for_link(Client(), "niemand@example.org", django_capture_on_commit_callbacks)
    known = ask_for_link(Client(), coordinator.email, django_capture_on_commit_callbacks)

    assert is_throttled(refused)
    assert german("Send me a link to sign in anyway") in refused.text
    assert unknown.redirect_chain == known.redirect_chain
    assert link_sent_text() in unknown.text
    assert link_sent_text() in known.text
    assert [mail.to for mail in mailoutbox] == [[coordinator.email]]


def test_accounts_without_a_password_sign_in_or_a_confirmed_address_get_no_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(role="newcomer", email="neu@example.org")
    UserFactory(email="unbestaetigt@example.org", verified_email=False)
    UserFactory(email="inaktiv@example.org", is_active=False)

    for email in ("neu@example.org", "unbestaetigt@example.org", "inaktiv@example.org"):
        answer = ask_for_link(Client(), email, django_capture_on_commit_callbacks)
        assert link_sent_text() in answer.text

    assert mailoutbox == []


def test_asking_again_and_again_sends_one_link_per_half_hour_and_three_a_day(
    coordinator, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    now = [time.time()]
    clock = SimpleNamespace(time=lambda: now[0], monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(sign_in_links, "time", clock)

    quickly = [ask_for_link(Client(), coordinator.email, django_capture_on_commit_callbacks)]
    quickly += [
        ask_for_link(Client(), coordinator.email, django_capture_on_commit_callbacks)
        for _ask in range(4)
    ]
    sent_quickly = len(mailoutbox)
    for half_hour in range(1, 7):
        now[0] += sign_in_links.LINK_INTERVAL + 1
        network = f"198.51.100.{half_hour}"
        ask_for_link(Client(), coordinator.email, django_capture_on_commit_callbacks, network)

    assert all(link_sent_text() in answer.text for answer in quickly)
    assert sent_quickly == 1
    assert len(mailoutbox) == sign_in_links.MAX_LINKS_PER_DAY


def test_one_network_may_ask_five_times_an_hour(mailoutbox, django_capture_on_commit_callbacks):
    answers = [
        ask_for_link(Client(), f"person{number}@example.org", django_capture_on_commit_callbacks)
        for number in range(6)
    ]

    assert all(link_sent_text() in answer.text for answer in answers[:5])
    assert answers[5].status_code == 429
    assert (
        german(
            "Too many sign-in links were asked for from your network. Please try again in an hour."
        )
        in answers[5].text
    )


def test_a_link_opens_only_its_own_account(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(role="coordinator", email="kollegin@example.org")
    guess_many(coordinator.email)
    guess_many(colleague.email)
    browser = Client()
    ask_for_link(browser, coordinator.email, django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[0])
    payload = signing.loads(token_of(path), salt=sign_in_links.SALT)
    for_colleague = signing.dumps({**payload, "account": colleague.pk}, salt="guessed-salt")

    browser.post(path, REMOTE_ADDR=SHARED_NETWORK)
    other = browser.post(path.replace(token_of(path), for_colleague), REMOTE_ADDR=SHARED_NETWORK)

    assert other.status_code == 400
    assert is_throttled(sign_in(browser, colleague.email))
    assert completes_sign_in_with_code(browser, coordinator)


def test_the_mail_is_written_in_the_recipients_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="english@example.org", preferred_language="en")
    UserFactory(email="deutsch@example.org", preferred_language="de")

    ask_for_link(Client(), "english@example.org", django_capture_on_commit_callbacks)
    ask_for_link(Client(), "deutsch@example.org", django_capture_on_commit_callbacks)

    english, german_mail = mailoutbox
    assert link_path(english).startswith("/en/accounts/sign-in-link/")
    assert "Kind regards," in english.body
    assert link_path(german_mail).startswith("/de/accounts/sign-in-link/")
    assert german("Kind regards,") in german_mail.body
    assert "Kind regards," not in german_mail.body
