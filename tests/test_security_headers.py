"""Every response carries the hardening headers; scripts may only come from our own files."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/de/", "/de/accounts/login/", "/healthz"])
def test_pages_carry_a_strict_script_policy_and_switch_off_unused_features(client, path):
    response = client.get(path)

    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_an_inline_script_or_event_handler(client):
    client.force_login(UserFactory(role="coordinator"))

    html = client.get("/de/cockpit/").content.decode()

    assert "<script>" not in html
    assert " onclick=" not in html
    assert "<script src=" in html


def test_pages_for_people_with_a_session_are_not_stored_and_public_pages_may_be(client):
    assert "no-store" not in client.get("/de/").get("Cache-Control", "")

    client.force_login(UserFactory(role="volunteer"))

    assert "no-store" in client.get("/de/").get("Cache-Control", "")
