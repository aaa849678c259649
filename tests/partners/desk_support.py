"""People and organisations for the partner desk's tests (test_desk, test_partner_tasks)."""

from django.test import Client
from django.utils import timezone

from ankommen.accounts.models import Role
from partners.models import PartnerStaff
from tests.factories import UserFactory


def acting_for(*partners, **user_fields):
    """A partner staff account, with its second factor, acting for these organisations."""
    user = UserFactory(role=Role.PARTNER, second_factor=True, **user_fields)
    for partner in partners:
        PartnerStaff.objects.create(partner=partner, user=user, accepted_at=timezone.now())
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client
