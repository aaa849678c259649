"""Partner staff: a coordinator invites, the person accepts with a password and a second
factor, acts for that organisation only, and loses access on their next click when it ends."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ankommen.accounts.models import Role, User
from partners import services
from partners.models import PartnerStaff
from tests.factories import (
    PASSWORD,
    PartnerFactory,
    UserFactory,
    VolunteerFactory,
    current_totp_code,
    give_second_factor,
)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Tafel-Ausgabe-2026!"


def invitation_path(mail) -> str:
    return re.search(r"https?://\S+(/\w\w/partner/welcome/\S+?/)", mail.body).group(1)


def invite_by_page(client, partner, email, capture, name="Samira Haddad"):
    with capture(execute=True):
        return client.post(
            reverse("partners:staff_list", args=[partner.pk]),
            {"full_name": name, "email": email, "preferred_language": "de"},
        )


@pytest.fixture
def coordinator_client(coordinator):
    client = Client()
    client.force_login(coordinator)
    return client


def test_an_invited_person_chooses_a_password_sets_up_a_second_factor_and_acts_for_the_partner(
    coordinator_client, mailoutbox, django_capture_on_commit_callbacks
):
    partner = PartnerFactory(name="Tafel Nord")
    answer = invite_by_page(
        coordinator_client, partner, "Samira@Tafel.example", django_capture_on_commit_callbacks
    )
    assert answer.status_code == 302
    account = User.objects.get(email="samira@tafel.example")
    assert account.role == Role.PARTNER
    assert not account.has_usable_password()
    (mail,) = mailoutbox
    assert "Tafel Nord" in mail.subject

    person = Client()
    welcome = person.get(invitation_path(mail))
    assert welcome.status_code == 200
    assert "Tafel Nord" in welcome.text
    refused = person.post(invitation_path(mail), {"new_password1": "kurz", "new_password2": "kurz"})
    assert refused.status_code == 200
    assert not PartnerStaff.objects.get().accepted_at
    accepted = person.post(
        invitation_path(mail), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert accepted["Location"] == reverse("partners:home")
    # Partner staff see newcomers' data: nothing but setting up the factor opens before it.
    assert person.get(reverse("partners:home"))["Location"].startswith(reverse("mfa_index"))
    give_second_factor(account)
    home = person.get(reverse("partners:home"))
    assert home.status_code == 200
    assert "Tafel Nord" in home.text
    # The link works once.
    assert person.get(invitation_path(mail)).status_code == 400

    # Signing in later asks for the password and then the second factor.
    later = Client()
    signed = later.post(
        reverse("account_login"), {"login": account.email, "password": NEW_PASSWORD}
    )
    assert signed["Location"] == reverse("mfa_authenticate")
    later.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert later.get(reverse("home"))["Location"] == reverse("partners:home")


def test_ending_access_takes_effect_on_the_next_click(coordinator, coordinator_client):
    partner = PartnerFactory()
    account = UserFactory(role=Role.PARTNER, second_factor=True)
    staff = PartnerStaff.objects.create(
        partner=partner, user=account, accepted_at="2026-01-01T10:00Z"
    )
    person = Client()
    person.force_login(account)
    assert person.get(reverse("partners:home")).status_code == 200

    coordinator_client.post(reverse("partners:staff_end", args=[staff.pk]))

    refused = person.get(reverse("partners:home"))
    assert refused.status_code == 403
    assert partner.name not in refused.text
    assert reverse("partners:my_data") in refused.text  # what is left to them
    staff.refresh_from_db()
    assert staff.ended_by == coordinator
    assert staff.ended_at is not None


def test_a_volunteer_invited_keeps_their_account_and_accepts_after_signing_in(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    volunteer = VolunteerFactory().user
    partner = PartnerFactory(name="Caritas Mitte")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(
            by=coordinator,
            partner=partner,
            email=volunteer.email.upper(),
            full_name="x",
            preferred_language="de",
        )
    path = invitation_path(mailoutbox[0])
    anonymous = Client().get(path)
    assert "Sign in" in anonymous.text or "Anmelden" in anonymous.text
    person = Client()
    person.force_login(volunteer)
    give_second_factor(volunteer)
    person.post(path)
    volunteer.refresh_from_db()
    assert volunteer.role == Role.VOLUNTEER
    assert PartnerStaff.objects.active().filter(user=volunteer, partner=partner).exists()
    assert volunteer.check_password(PASSWORD)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NEWCOMER])
def test_coordinators_and_newcomers_cannot_be_invited(coordinator, role):
    other = UserFactory(role=role)
    with pytest.raises(services.PartnerStaffError):
        services.invite(
            by=coordinator,
            partner=PartnerFactory(),
            email=other.email,
            full_name="x",
            preferred_language="de",
        )
    assert not PartnerStaff.objects.exists()


def test_a_withdrawn_invitation_link_no_longer_works(
    coordinator, coordinator_client, mailoutbox, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    invite_by_page(
        coordinator_client, partner, "neu@example.org", django_capture_on_commit_callbacks
    )
    coordinator_client.post(reverse("partners:staff_end", args=[PartnerStaff.objects.get().pk]))
    answer = Client().get(invitation_path(mailoutbox[0]))
    assert answer.status_code == 400


def test_a_forged_link_is_refused_without_an_error_page():
    assert Client().get("/de/partner/welcome/forged-token/").status_code == 400


def test_the_same_person_is_not_invited_twice(
    coordinator_client, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    invite_by_page(coordinator_client, partner, "a@example.org", django_capture_on_commit_callbacks)
    again = invite_by_page(
        coordinator_client, partner, "a@example.org", django_capture_on_commit_callbacks
    )
    assert again.status_code == 200
    assert PartnerStaff.objects.count() == 1


def test_one_person_acts_for_two_organisations(coordinator):
    account = UserFactory(role=Role.PARTNER, second_factor=True)
    for name in ("Tafel", "Kleiderkammer"):
        staff = PartnerStaff.objects.create(partner=PartnerFactory(name=name), user=account)
        services.accept(staff=staff, user=account)
    client = Client()
    client.force_login(account)
    page = client.get(reverse("partners:home"))
    assert "Tafel" in page.text
    assert "Kleiderkammer" in page.text


def test_send_again_mails_a_fresh_link_and_is_refused_once_accepted(
    coordinator_client, mailoutbox, django_capture_on_commit_callbacks
):
    partner = PartnerFactory()
    invite_by_page(
        coordinator_client, partner, "neu@example.org", django_capture_on_commit_callbacks
    )
    staff = PartnerStaff.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("partners:staff_resend", args=[staff.pk]))
    assert len(mailoutbox) == 2
    assert Client().get(invitation_path(mailoutbox[1])).status_code == 200

    services.accept(staff=staff, user=staff.user, password=NEW_PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        refused = coordinator_client.post(
            reverse("partners:staff_resend", args=[staff.pk]), follow=True
        )
    assert len(mailoutbox) == 2
    assert "already accepted" in refused.text or "bereits angenommen" in refused.text
