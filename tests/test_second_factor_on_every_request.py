"""The second factor and the staff session limit follow what holds now, on the next request of
every session: a promotion, new lead duties, a removed factor, the requirement switched on."""

import time
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.accounts.models import Role, User
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    NewcomerFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
)
from workgroups.services import set_lead

pytestmark = pytest.mark.django_db

SETUP = reverse("mfa_index")


def sign_in(user: User) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


def promote_in_the_admin(user: User, role: Role) -> None:
    """As an administrator does it: the user's change form in the Django admin."""
    admin = Client()
    admin.force_login(UserFactory(admin=True))
    response = admin.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_name": "",
            "preferred_language": user.preferred_language,
            "role": role,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(pk=user.pk).role == role


def newcomers_data_pages() -> list[str]:
    newcomer = NewcomerFactory()
    return [
        reverse("cockpit:dashboard"),
        reverse("refugees:newcomer_list"),
        reverse("refugees:newcomer_detail", args=[newcomer.pk]),
        reverse("privacy:newcomer_export", args=[newcomer.pk]),
        reverse("volunteers:card_file_export", args=["csv"]),
    ]


def test_a_volunteer_made_coordinator_sets_up_a_factor_before_seeing_newcomers():
    volunteer = VolunteerFactory().user
    client = sign_in(volunteer)
    assert client.get(reverse("volunteers:my_profile")).status_code == 200

    promote_in_the_admin(volunteer, Role.COORDINATOR)

    answers = [client.get(path) for path in newcomers_data_pages()]
    assert [response["Location"] for response in answers] == [SETUP] * len(answers)


def test_a_volunteer_made_lead_sets_up_a_factor_on_the_next_request():
    volunteer = VolunteerFactory().user
    group = WorkingGroupFactory(name="AG Wohnen")
    membership = MembershipFactory(group=group, user=volunteer, state="active")
    client = sign_in(volunteer)
    group_page = reverse("workgroups:group_detail", args=[group.pk])
    assert client.get(group_page).status_code == 200

    set_lead(membership=membership, is_lead=True)

    assert client.get(group_page)["Location"] == SETUP
    assert client.get(reverse("volunteers:my_profile"))["Location"] == SETUP


def test_switching_the_requirement_on_reaches_sessions_signed_in_without_it(settings):
    settings.REQUIRE_SECOND_FACTOR = False
    coordinator = UserFactory(role=Role.COORDINATOR, second_factor=False)
    client = sign_in(coordinator)
    assert client.get(reverse("cockpit:dashboard")).status_code == 200

    settings.REQUIRE_SECOND_FACTOR = True

    assert client.get(reverse("cockpit:dashboard"))["Location"] == SETUP


def test_a_removed_factor_is_asked_for_again_on_the_next_request():
    coordinator = UserFactory(role=Role.COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    assert client.get(reverse("cockpit:dashboard")).status_code == 200

    Authenticator.objects.filter(user=coordinator).delete()

    assert client.get(reverse("cockpit:dashboard"))["Location"] == SETUP


def test_a_session_signed_in_ten_hours_ago_ends_when_its_volunteer_becomes_coordinator():
    volunteer = VolunteerFactory().user
    with mock.patch("ankommen.accounts.second_factor.time") as clock:
        clock.time.return_value = time.time() - 10 * 3600
        client = sign_in(volunteer)
    # Volunteers keep their sessions for two weeks.
    assert client.get(reverse("volunteers:my_profile")).status_code == 200

    promote_in_the_admin(volunteer, Role.COORDINATOR)
    response = client.get(reverse("cockpit:dashboard"))

    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_factor_once_found_costs_no_query_until_the_account_changes():
    coordinator = UserFactory(role=Role.COORDINATOR)
    client = Client()
    client.force_login(coordinator)
    client.get(reverse("cockpit:dashboard"))

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cockpit:dashboard")).status_code == 200

    assert not [query for query in queries if "mfa_authenticator" in query["sql"]]
