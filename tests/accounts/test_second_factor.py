"""The second factor: required for coordinators, admins and working-group leads, enforced on
every page including the Django admin, set up with an authenticator app or a security key, and
recovery codes."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from ankommen.accounts.second_factor import FACTOR_SEEN, SIGNED_IN_AT
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    current_totp_code,
    give_security_key,
)
from tests.security_key import SoftwareSecurityKey, page_options

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )


def test_a_coordinator_without_a_second_factor_must_set_one_up_first(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    client.force_login(coordinator)

    blocked = [client.get(path) for path in ("/de/cockpit/", "/de/newcomers/", "/admin/")]

    # The overview offers both kinds: an authenticator app and a security key.
    setup = reverse("mfa_index")
    assert all(response["Location"] == setup for response in blocked)
    overview = client.get(setup)
    assert overview.status_code == 200
    assert reverse("mfa_activate_totp") in overview.text
    assert reverse("mfa_add_webauthn") in overview.text
    assert client.get(reverse("account_logout")).status_code == 200


def test_setting_up_the_authenticator_opens_the_portal(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    sign_in(client, coordinator)
    # Setting up a factor needs the password once more, as allauth asks for any such change.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/de/cockpit/").status_code == 302

    code = format_hotp_value(hotp_value(secret, _counter()))
    client.post(reverse("mfa_activate_totp"), {"code": code})

    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    assert client.get("/de/cockpit/").status_code == 200
    assert FACTOR_SEEN in client.session


def test_a_security_key_can_be_added_while_the_portal_is_closed(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    sign_in(client, coordinator)
    # As for the authenticator app, allauth asks for the password once more first.
    assert client.get(reverse("mfa_add_webauthn"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = client.get(reverse("mfa_add_webauthn"))

    assert page.status_code == 200
    # allauth's scripts are static files and its data is JSON: the CSP needs no inline script.
    assert 'data-allauth-onload="allauth.webauthn.forms.addForm"' in page.text
    assert client.get("/de/cockpit/")["Location"] == reverse("mfa_index")


def test_a_security_key_counts_as_the_second_factor(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    client.force_login(coordinator)
    assert client.get("/de/cockpit/").status_code == 302

    give_security_key(coordinator)

    assert client.get("/de/cockpit/").status_code == 200
    assert FACTOR_SEEN in client.session


def test_recovery_codes_alone_are_not_a_second_factor(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    Authenticator.objects.create(user=coordinator, type="recovery_codes", data={"seed": "00"})
    client.force_login(coordinator)

    assert client.get("/de/cockpit/")["Location"] == reverse("mfa_index")


def test_signing_in_with_only_a_security_key_asks_for_the_key(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    give_security_key(coordinator)

    after_password = sign_in(client, coordinator)

    assert after_password.redirect_chain[-1][0].endswith(reverse("mfa_authenticate"))
    assert 'id="mfa_webauthn_authenticate"' in after_password.text
    assert client.get("/de/cockpit/")["Location"].startswith(reverse("account_login"))


def test_a_coordinator_registers_a_security_key_and_signs_in_with_it(client):
    """The whole WebAuthn ceremony, signatures verified by the server, with a software key."""
    client.defaults["HTTP_HOST"] = "localhost"  # WebAuthn over http only on localhost
    coordinator = UserFactory(role="coordinator", second_factor=False)
    key = SoftwareSecurityKey("http://localhost")
    sign_in(client, coordinator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    options = page_options(client.get(reverse("mfa_add_webauthn")).text)["creation_options"]
    added = client.post(
        reverse("mfa_add_webauthn"),
        {"name": "Schlüssel am Bund", "credential": key.register(options)},
    )

    assert added.status_code == 302
    stored = Authenticator.objects.get(user=coordinator, type="webauthn")
    assert stored.data["name"] == "Schlüssel am Bund"
    assert Authenticator.objects.filter(user=coordinator, type="recovery_codes").exists()
    assert client.get("/de/cockpit/").status_code == 200

    client.post(reverse("account_logout"))
    login_page = sign_in(client, coordinator)
    request_options = page_options(login_page.text)["request_options"]
    assert client.get("/de/cockpit/")["Location"].startswith(reverse("account_login"))

    forged = SoftwareSecurityKey("http://localhost")
    forged.credential_id = key.credential_id  # the right id, signed with another key
    refused = client.post(
        reverse("mfa_authenticate"), {"credential": forged.sign_in(request_options)}
    )
    assert refused.status_code == 200
    assert "Falscher Code." in refused.text
    assert client.get("/de/cockpit/")["Location"].startswith(reverse("account_login"))

    request_options = page_options(refused.text)["request_options"]
    done = client.post(
        reverse("mfa_authenticate"), {"credential": key.sign_in(request_options)}, follow=True
    )
    assert done.redirect_chain[-1][0].endswith(reverse("cockpit:dashboard"))
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_nobody_sees_renames_or_removes_someone_elses_security_key(client):
    owner = UserFactory(role="coordinator", second_factor=False)
    key = give_security_key(owner, name="Annas Schlüssel")
    other = UserFactory(role="coordinator")
    client.force_login(other)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    assert "Annas Schlüssel" not in client.get(reverse("mfa_list_webauthn")).text
    for name in ("mfa_edit_webauthn", "mfa_remove_webauthn"):
        url = reverse(name, kwargs={"pk": key.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "taken over"}).status_code == 404
    key.refresh_from_db()
    assert key.data["name"] == "Annas Schlüssel"


def test_a_key_name_is_at_most_100_characters(client):
    coordinator = UserFactory(role="coordinator")
    key = give_security_key(coordinator, name="Alt")
    client.force_login(coordinator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    url = reverse("mfa_edit_webauthn", kwargs={"pk": key.pk})

    refused = client.post(url, {"name": "x" * 101})
    assert refused.status_code == 200
    assert "höchstens 100 Zeichen" in refused.text
    key.refresh_from_db()
    assert key.data["name"] == "Alt"

    assert client.post(url, {"name": "y" * 100}).status_code == 302
    key.refresh_from_db()
    assert key.data["name"] == "y" * 100


def _counter() -> int:
    return int(time.time()) // 30


def test_volunteers_are_not_asked_but_leads_are(client):
    volunteer = VolunteerFactory().user
    lead = VolunteerFactory().user
    MembershipFactory(group=WorkingGroupFactory(name="AG Wohnen"), user=lead, lead=True)

    client.force_login(volunteer)
    assert client.get("/de/volunteers/me/").status_code == 200
    client.force_login(lead)
    assert client.get("/de/volunteers/me/")["Location"] == reverse("mfa_index")


def test_signing_in_asks_for_the_code_after_the_password(client):
    coordinator = UserFactory(role="coordinator")

    after_password = sign_in(client, coordinator)
    assert after_password.redirect_chain[-1][0].endswith(reverse("mfa_authenticate"))
    assert client.get("/de/cockpit/")["Location"].startswith(reverse("account_login"))

    refused = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert refused.status_code == 200
    done = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()}, follow=True)

    assert done.redirect_chain[-1][0].endswith(reverse("cockpit:dashboard"))


def test_a_staff_session_ends_after_a_working_day_and_a_volunteers_does_not(client):
    coordinator = UserFactory(role="coordinator")
    client.force_login(coordinator)
    assert client.get("/de/cockpit/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 9 * 3600 - 1
    session.save()

    expired = client.get("/de/cockpit/")

    assert expired["Location"].startswith(reverse("account_login"))
    assert client.get("/de/cockpit/")["Location"].startswith(reverse("account_login"))
    client.force_login(VolunteerFactory().user)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 9 * 3600 - 1
    session.save()
    assert client.get("/de/volunteers/me/").status_code != 302


def test_the_admin_signs_in_through_the_portal_with_the_second_factor(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_demo_can_switch_it_off(client, settings):
    settings.REQUIRE_SECOND_FACTOR = False
    client.force_login(UserFactory(role="coordinator", second_factor=False))

    assert client.get("/de/cockpit/").status_code == 200
