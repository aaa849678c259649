from datetime import timedelta

import pytest
from django.utils import timezone

from refugees.models import AccessLink
from refugees.services import issue_access_link, revoke_access_link

pytestmark = pytest.mark.django_db


def test_a_valid_link_signs_in_and_leaves_the_token_behind(client, card, newcomer):
    response = client.get(f"/n/{card.token}/")

    assert response.status_code == 302
    assert response["Location"] == "/ar/me/"
    assert card.token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.session["_auth_user_id"] == str(newcomer.user_id)
    assert AccessLink.objects.get().last_used_at is not None
    assert client.get("/ar/me/").status_code == 200


def test_only_a_hash_of_the_token_is_stored(card):
    link = AccessLink.objects.get()

    assert link.token_hash != card.token
    assert card.token not in str(AccessLink.objects.values_list())


def test_the_first_visit_asks_for_the_language(client, card, newcomer):
    newcomer.language_confirmed = False
    newcomer.save()

    response = client.get(f"/n/{card.token}/")

    assert response["Location"] == "/ar/me/language/"


def test_an_expired_link_explains_in_the_newcomers_language(client, card):
    AccessLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(f"/n/{card.token}/", headers={"accept-language": "de"})

    assert response.status_code == 410
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "_auth_user_id" not in client.session


def test_a_revoked_link_no_longer_signs_in(client, card):
    revoke_access_link(link=card.link)

    response = client.get(f"/n/{card.token}/")

    assert response.status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_new_card_stops_the_old_one(client, card, newcomer, coordinator):
    new_card = issue_access_link(newcomer=newcomer, by=coordinator)

    assert client.get(f"/n/{card.token}/").status_code == 410
    assert client.get(f"/n/{new_card.token}/").status_code == 302


def test_a_forged_link_explains_in_the_browsers_language(client, card):
    response = client.get(f"/n/{card.token}x/", headers={"accept-language": "fa"})

    assert response.status_code == 410
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


def test_revoking_a_card_ends_the_sessions_it_opened(signed_in, card):
    assert signed_in.get("/ar/me/").status_code == 200

    revoke_access_link(link=card.link)
    response = signed_in.get("/ar/me/")

    assert response.status_code == 410
    assert "_auth_user_id" not in signed_in.session


def test_a_closed_record_cannot_be_opened_with_its_card(client, card, newcomer):
    newcomer.closed_at = timezone.now()
    newcomer.save()

    assert client.get(f"/n/{card.token}/").status_code == 410


def test_the_newcomer_account_has_no_password_and_no_email(card, newcomer):
    newcomer.refresh_from_db()

    assert newcomer.user.email is None
    assert not newcomer.user.has_usable_password()
    assert newcomer.user.role == "newcomer"
