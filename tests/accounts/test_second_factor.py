"""The second factor: required for coordinators, admins and working-group leads, enforced on
every page including the Django admin, set up with an authenticator app and recovery codes."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from ankommen.accounts.second_factor import MISSING, STAFF_UNTIL
from tests.factories import PASSWORD, UserFactory, VolunteerFactory, current_totp_code
from workgroups.models import Membership, WorkingGroup

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )


def test_a_coordinator_without_a_second_factor_must_set_one_up_first(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    client.force_login(coordinator)

    blocked = [client.get(path) for path in ("/de/cockpit/", "/de/newcomers/", "/admin/")]

    setup = reverse("mfa_activate_totp")
    assert all(response["Location"] == setup for response in blocked)
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
    assert MISSING not in client.session


def _counter() -> int:
    return int(time.time()) // 30


def test_volunteers_are_not_asked_but_leads_are(client):
    volunteer = VolunteerFactory().user
    lead = VolunteerFactory().user
    Membership.objects.create(
        group=WorkingGroup.objects.create(name="AG Wohnen"), user=lead, role="lead", state="active"
    )

    client.force_login(volunteer)
    assert client.get("/de/volunteers/me/").status_code == 200
    client.force_login(lead)
    assert client.get("/de/volunteers/me/")["Location"] == reverse("mfa_activate_totp")


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
    session[STAFF_UNTIL] = time.time() - 1
    session.save()

    expired = client.get("/de/cockpit/")

    assert expired["Location"].startswith(reverse("account_login"))
    assert client.get("/de/cockpit/")["Location"].startswith(reverse("account_login"))
    client.force_login(VolunteerFactory().user)
    assert STAFF_UNTIL not in client.session


def test_the_admin_signs_in_through_the_portal_with_the_second_factor(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_demo_can_switch_it_off(client, settings):
    settings.REQUIRE_SECOND_FACTOR = False
    client.force_login(UserFactory(role="coordinator", second_factor=False))

    assert client.get("/de/cockpit/").status_code == 200
