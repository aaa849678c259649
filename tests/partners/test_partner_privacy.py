"""People who only act for partner organisations have the same rights as everyone: a full
export of what the portal holds about them, and an erasure that leaves nobody recognisable."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from ankommen.audit.models import AuditEvent
from ankommen.messaging.models import OutboxMessage
from partners import services
from partners.models import PartnerStaff
from tests.factories import (
    PASSWORD,
    PartnerFactory,
    UserFactory,
    VolunteerFactory,
    give_second_factor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(coordinator, django_capture_on_commit_callbacks):
    partner = PartnerFactory(name="Tafel Nord")
    with django_capture_on_commit_callbacks(execute=True):
        staff = services.invite(
            by=coordinator,
            partner=partner,
            email="samira@tafel.example",
            full_name="Samira Haddad",
            preferred_language="ar",
        )
    account = staff.user
    account.set_password(PASSWORD)
    account.save()
    give_second_factor(account)
    services.accept(staff=staff, user=account)
    return staff


def fresh(client, user):
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def test_a_partner_downloads_their_own_data_after_giving_the_password_again(invited):
    client = Client()
    client.force_login(invited.user)
    asked = client.get(reverse("partners:my_data"))
    assert reverse("account_reauthenticate") in asked["Location"]

    data = json.loads(fresh(client, invited.user).get(reverse("partners:my_data")).content)

    assert data["account"]["account"]["email"] == "samira@tafel.example"
    assert data["partner_organisations"][0]["organisation"] == "Tafel Nord"
    assert data["messages"], "the invitation sent to them is theirs"
    assert AuditEvent.objects.filter(action="export", subject_id=invited.user.pk).exists()


def test_erasure_ends_access_and_leaves_nobody_recognisable(coordinator, invited):
    client = fresh(Client(), coordinator)
    page = client.get(reverse("partners:account_erase", args=[invited.user.pk]))
    assert page.status_code == 200

    unconfirmed = client.post(reverse("partners:account_erase", args=[invited.user.pk]), {})
    assert unconfirmed.status_code == 200
    client.post(reverse("partners:account_erase", args=[invited.user.pk]), {"confirm": "on"})

    account = invited.user
    account.refresh_from_db()
    assert account.full_name == "—"
    assert account.email is None
    assert not account.is_active
    assert not account.has_usable_password()
    staff = PartnerStaff.objects.get(pk=invited.pk)
    assert staff.ended_at is not None
    assert not OutboxMessage.objects.filter(to_email="samira@tafel.example").exists()
    assert AuditEvent.objects.filter(action="erase", subject_id=account.pk).exists()
    assert not Client().login(email="samira@tafel.example", password=PASSWORD)


def test_only_accounts_that_exist_for_partner_work_are_erased_here(coordinator):
    """A volunteer who acts for an organisation is erased as a volunteer (the volunteer's
    parts include the organisations they act for): here their account is not found."""
    volunteer = VolunteerFactory().user
    PartnerStaff.objects.create(
        partner=PartnerFactory(), user=volunteer, accepted_at=timezone.now()
    )
    client = fresh(Client(), coordinator)
    for name in ("partners:account_erase", "partners:account_export"):
        assert client.get(reverse(name, args=[volunteer.pk])).status_code == 404
    coordinator_account = UserFactory(role=Role.COORDINATOR)
    assert (
        client.get(reverse("partners:account_export", args=[coordinator_account.pk])).status_code
        == 404
    )
