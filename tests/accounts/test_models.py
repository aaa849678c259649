import pytest
from django.db import IntegrityError

from ankommen.accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_stored_in_lower_case_and_unique_without_case():
    user = User.objects.create_user(email=" Amina.Haddad@Example.org ", full_name="Amina Haddad")

    assert user.email == "amina.haddad@example.org"
    with pytest.raises(IntegrityError):
        User.objects.create(email="AMINA.HADDAD@example.org", full_name="Someone else")


def test_login_lookup_ignores_case():
    user = UserFactory(email="dawit@example.org")

    assert User.objects.get_by_natural_key("Dawit@Example.ORG") == user


def test_several_newcomers_may_have_no_email():
    UserFactory(role=Role.NEWCOMER, email=None)
    UserFactory(role=Role.NEWCOMER, email=None)

    assert User.objects.filter(email__isnull=True).count() == 2


def test_superuser_gets_the_admin_role():
    user = User.objects.create_superuser(email="root@example.org", full_name="Root")

    assert user.role == Role.ADMIN
    assert user.is_admin
    assert user.is_coordinator


@pytest.mark.parametrize(
    ("role", "coordinator", "volunteer", "newcomer"),
    [
        (Role.ADMIN, True, False, False),
        (Role.COORDINATOR, True, False, False),
        (Role.VOLUNTEER, False, True, False),
        (Role.NEWCOMER, False, False, True),
    ],
)
def test_role_properties(role, coordinator, volunteer, newcomer):
    user = User(role=role)

    assert (user.is_coordinator, user.is_volunteer, user.is_newcomer) == (
        coordinator,
        volunteer,
        newcomer,
    )


def test_display_name_prefers_the_preferred_name():
    assert User(full_name="Mohammad Reza Ahmadi", preferred_name="Reza").display_name == "Reza"
    assert User(full_name="Olena Kovalenko").display_name == "Olena Kovalenko"
