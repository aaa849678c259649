import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from ankommen.accounts.models import Role, User
from ankommen.accounts.services import invite_code_for
from ankommen.messaging.models import OutboxMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ein-langes-passwort-9"


def _sign_up(client, email="leila@example.org", language="de", **extra):
    return client.post(
        f"/{language}/accounts/signup/",
        {
            "full_name": "  Leila   Rahimi ",
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **extra,
        },
    )


def test_sign_up_creates_an_unverified_volunteer_in_the_page_language(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, language="fa")

    assert response.status_code == 302
    user = User.objects.get(email="leila@example.org")
    assert user.full_name == "Leila Rahimi"
    assert user.role == Role.VOLUNTEER
    assert user.preferred_language == "fa"
    assert not EmailAddress.objects.get(user=user).verified
    message = OutboxMessage.objects.get(to_email="leila@example.org")
    assert message.template == "account/email/email_confirmation_signup"
    assert message.language == "fa"
    assert message.state == OutboxMessage.State.SENT
    assert len(mailoutbox) == 1
    assert 'dir="rtl"' in mailoutbox[0].alternatives[0][0]


def test_sign_up_records_how_the_person_heard_of_us_and_an_invite_wins(client):
    _sign_up(client, heard_via="press")
    inviter = UserFactory()
    client.logout()
    client.get(reverse("accounts:invite", args=[invite_code_for(inviter)]))
    _sign_up(client, email="omid@example.org", heard_via="press")
    client.logout()
    bogus = _sign_up(client, email="sara@example.org", heard_via="<script>")

    assert User.objects.get(email="leila@example.org").heard_via == "press"
    assert User.objects.get(email="omid@example.org").heard_via == "invited"
    assert bogus.status_code == 200
    assert not User.objects.filter(email="sara@example.org").exists()


def test_unverified_volunteer_cannot_sign_in_until_the_link_is_opened(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client)
    client.logout()

    response = client.post(
        "/de/accounts/login/", {"login": "leila@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/confirm-email/")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    response = client.post(f"/{path}")
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="leila@example.org").verified
    assert client.session["_auth_user_id"] == str(User.objects.get(email="leila@example.org").pk)


def test_sign_up_with_bad_input_shows_messages_and_keeps_the_entries(client):
    response = client.post(
        "/de/accounts/signup/",
        {"full_name": "Leila", "email": "not-an-address", "password1": "a", "password2": "b"},
    )

    assert response.status_code == 200
    assert 'value="Leila"' in response.content.decode()
    assert response.context["form"].errors
    assert not User.objects.exists()


def test_password_reset_does_not_reveal_whether_an_account_exists(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/de/accounts/password/reset/", {"email": "known@example.org"})
        unknown = client.post("/de/accounts/password/reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_after_five_failed_logins_from_one_network_it_waits_even_with_the_right_password(
    client,
):
    UserFactory(email="target@example.org")
    for _attempt in range(5):
        client.post("/en/accounts/login/", {"login": "target@example.org", "password": "guess"})

    response = client.post(
        "/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "Too many failed sign-ins from your network" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_demo_style_login_works_for_a_verified_user(client):
    user = UserFactory(email="volunteer@example.org")

    response = client.post(
        "/de/accounts/login/", {"login": "Volunteer@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_settings_page_requires_sign_in(client):
    response = client.get(reverse("accounts:account_settings"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_settings_change_name_and_language_but_never_the_role(client, volunteer):
    client.force_login(volunteer)

    response = client.post(
        "/de/accounts/settings/",
        {
            "full_name": "Jonas Weber",
            "preferred_name": "Joni",
            "preferred_language": "ar",
            "role": Role.COORDINATOR,
            "is_staff": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/settings/"
    volunteer.refresh_from_db()
    assert (volunteer.full_name, volunteer.preferred_name) == ("Jonas Weber", "Joni")
    assert volunteer.preferred_language == "ar"
    assert volunteer.role == Role.VOLUNTEER
    assert not volunteer.is_staff


def test_settings_with_an_empty_name_show_an_error_and_change_nothing(client, volunteer):
    client.force_login(volunteer)
    name_before = volunteer.full_name

    response = client.post(
        "/de/accounts/settings/",
        {"full_name": "   ", "preferred_name": "", "preferred_language": "xx"},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "preferred_language"}
    volunteer.refresh_from_db()
    assert volunteer.full_name == name_before
