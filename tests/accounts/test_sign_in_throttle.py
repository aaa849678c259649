"""Password guessing is slowed down per account and network: a stranger who guesses a
coordinator's password delays only themselves, never the coordinator's own sign-in."""

import time
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from ankommen.accounts import sign_in_throttle
from tests.factories import PASSWORD, UserFactory, current_totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/de/accounts/login/"
STRANGER = "198.51.100.7"
COORDINATOR = "203.0.113.20"


def wrong_password():
    with translation.override("de"):
        return gettext("The email address and/or password you specified are not correct.")


def throttled(minutes):
    with translation.override("de"):
        return ngettext(
            "Too many failed sign-ins from your network. Please try again in %(count)s minute.",
            "Too many failed sign-ins from your network. Please try again in %(count)s minutes.",
            minutes,
        ) % {"count": minutes}


def guess(client, email, network):
    response = client.post(LOGIN, {"login": email, "password": "guess"}, REMOTE_ADDR=network)
    assert response.status_code in (200, 429), response.status_code
    return response


def is_throttled(response):
    return (
        response.status_code == 429
        or "Too many" in response.text
        or (throttled(1).split(".")[0] in response.text)
    )


def signs_in_with_code(client, user, network):
    """The whole sign-in of a coordinator: password, then the authenticator's code."""
    after_password = client.post(
        LOGIN, {"login": user.email, "password": PASSWORD}, REMOTE_ADDR=network
    )
    assert after_password.status_code == 302, after_password.text
    assert after_password["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": current_totp_code()}, REMOTE_ADDR=network)
    return client.get("/de/cockpit/", REMOTE_ADDR=network).status_code == 200


def test_fifty_wrong_passwords_from_a_stranger_do_not_lock_the_coordinator_out():
    coordinator = UserFactory(role="coordinator", email="koordination@example.org")
    stranger = Client()

    answers = [guess(stranger, coordinator.email, STRANGER) for _try in range(50)]
    coordinator_signed_in = signs_in_with_code(Client(), coordinator, COORDINATOR)

    assert coordinator_signed_in
    assert all(wrong_password() in answer.text for answer in answers[:5])
    assert throttled(1) in answers[5].text
    assert all(is_throttled(answer) for answer in answers[5:])
    assert "_auth_user_id" not in stranger.session


def test_the_guessing_network_waits_longer_after_each_failure(monkeypatch):
    person = UserFactory(email="amal@example.org")
    now = [time.time()]
    clock = SimpleNamespace(time=lambda: now[0], monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(sign_in_throttle, "time", clock)
    client = Client()
    for _try in range(5):
        guess(client, person.email, STRANGER)

    answers = []
    for wait in (30, 60, 120, 240):
        answers.append(guess(client, person.email, STRANGER))
        now[0] += wait - 1
        answers.append(guess(client, person.email, STRANGER))
        now[0] += 1
        answers.append(guess(client, person.email, STRANGER))
    now[0] += 8 * 60
    right = client.post(LOGIN, {"login": person.email, "password": PASSWORD}, REMOTE_ADDR=STRANGER)

    minutes = [1, 1, 2, 4, 1, 1, 1, 1]
    for answer, minutes_left in zip(answers[0::3] + answers[1::3], minutes, strict=True):
        assert throttled(minutes_left) in answer.text
    assert all(wrong_password() in answer.text for answer in answers[2::3])
    assert right.status_code == 302
    assert "_auth_user_id" in client.session
    # Signed in: that network's failures for the account are forgotten.
    assert guess(Client(), person.email, STRANGER).status_code == 200
    assert wrong_password() in guess(Client(), person.email, STRANGER).text


def test_guessing_from_many_networks_gets_one_try_each_once_the_account_is_under_attack():
    coordinator = UserFactory(role="coordinator", email="koordination@example.org")
    networks = [f"192.0.2.{number}" for number in range(1, 61)]

    accepted = {
        network: sum(
            wrong_password() in guess(Client(), coordinator.email, network).text
            for _try in range(3)
        )
        for network in networks
    }

    # 16 networks with 3 tries and one with 2 reach the ceiling of 50 failures; after that
    # each new network has one try before it has to wait.
    assert sum(accepted.values()) == sign_in_throttle.ACCOUNT_CEILING + 43
    assert [accepted[network] for network in networks[17:]] == [1] * 43
    assert signs_in_with_code(Client(), coordinator, COORDINATOR)


def test_one_network_guessing_many_accounts_has_to_wait():
    client = Client()

    answers = [guess(client, f"person{number}@example.org", STRANGER) for number in range(21)]

    assert all(wrong_password() in answer.text for answer in answers[:20])
    assert throttled(1) in answers[20].text


def test_an_ipv6_network_counts_as_one_whatever_address_it_uses():
    person = UserFactory(email="amal@example.org")

    answers = [guess(Client(), person.email, f"2001:db8:1:2::{number:x}") for number in range(1, 7)]

    assert wrong_password() in answers[4].text
    assert throttled(1) in answers[5].text
