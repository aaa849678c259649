"""A new access card is printed only after a page that says the old card stops at once;
opening that page changes nothing. The newcomer's page offers "match by hand"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.models import Mentorship
from refugees.models import AccessLink
from refugees.services import issue_access_link
from tests.factories import MentorshipFactory, NewcomerFactory, UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def test_the_confirmation_says_the_old_card_stops_and_changes_nothing(
    client, coordinator, newcomer, card
):
    client.force_login(coordinator)

    response = client.get(f"/en/newcomers/{newcomer.pk}/card/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "The card that works now stops working at once:" in html
    assert "Never used." in html
    assert "Stop the old card and print a new one" in html
    assert "/n/" not in html  # no card, no token
    assert response["Cache-Control"].startswith("max-age=0")
    assert AccessLink.objects.count() == 1
    assert AccessLink.objects.get().revoked_at is None
    client.logout()
    assert client.get(f"/n/{card.token}/").status_code == 302  # the old card still works


def test_confirming_prints_a_new_card_and_the_old_one_is_refused(
    client, coordinator, newcomer, card
):
    client.force_login(coordinator)

    printed = client.post(f"/en/newcomers/{newcomer.pk}/card/")
    client.logout()
    old = client.get(f"/n/{card.token}/")
    new_token = printed.content.decode().split("/n/", 1)[1].split("/", 1)[0]
    new = client.get(f"/n/{new_token}/")

    assert "<svg" in printed.content.decode()
    assert old.status_code == 410
    assert new.status_code == 302
    assert AccessLink.objects.filter(revoked_at__isnull=True).count() == 1


def test_without_a_working_card_the_confirmation_says_so(client, coordinator, newcomer):
    client.force_login(coordinator)

    html = client.get(f"/en/newcomers/{newcomer.pk}/card/").content.decode()

    assert "The newcomer has no working card at the moment." in html
    assert "Print the new card" in html
    assert not AccessLink.objects.exists()


def test_a_session_opened_with_the_old_card_ends_after_confirming(client, coordinator, newcomer):
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    phone = client.__class__()
    phone.get(f"/n/{card.token}/")
    assert phone.get("/ar/me/").status_code == 200
    client.force_login(coordinator)

    client.get(f"/en/newcomers/{newcomer.pk}/card/")
    still = phone.get("/ar/me/").status_code
    client.post(f"/en/newcomers/{newcomer.pk}/card/")

    assert still == 200
    assert phone.get("/ar/me/").status_code == 410


def test_only_coordinators_open_the_confirmation(client, newcomer):
    client.force_login(UserFactory(role="volunteer"))

    assert client.get(f"/en/newcomers/{newcomer.pk}/card/").status_code == 403
    assert client.post(f"/en/newcomers/{newcomer.pk}/card/").status_code == 403
    assert not AccessLink.objects.exists()


@pytest.mark.parametrize("cards", [1, 8])
def test_the_confirmation_costs_the_same_with_one_card_or_many(client, coordinator, cards):
    newcomer = NewcomerFactory()
    for _ in range(cards):
        link = issue_access_link(newcomer=newcomer, by=coordinator).link
    # Cards printed at once by two coordinators both work until the next one.
    AccessLink.objects.filter(newcomer=newcomer).exclude(pk=link.pk).update(revoked_at=None)
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/en/newcomers/{newcomer.pk}/card/")

    assert len(response.context["working_cards"]) == cards
    assert len(captured) <= 6


def test_the_newcomers_page_offers_match_by_hand_until_there_is_a_mentorship(
    client, coordinator, newcomer
):
    client.force_login(coordinator)
    manual = f"/en/matching/newcomers/{newcomer.pk}/match/"

    before = client.get(f"/en/newcomers/{newcomer.pk}/").content.decode()
    mentorship = MentorshipFactory(newcomer=newcomer, volunteer=VolunteerFactory())
    during = client.get(f"/en/newcomers/{newcomer.pk}/").content.decode()
    Mentorship.objects.filter(pk=mentorship.pk).update(state=Mentorship.State.ENDED)
    after = client.get(f"/en/newcomers/{newcomer.pk}/").content.decode()

    assert f'href="{manual}">Match by hand</a>' in before
    assert "Match by hand" not in during
    assert f'href="/en/matching/mentorships/{mentorship.pk}/">Open the mentorship</a>' in during
    assert f'href="{manual}">Match by hand</a>' in after


def test_a_closed_record_offers_no_match(client, coordinator, newcomer):
    newcomer.closed_at = timezone.now()
    newcomer.save()
    client.force_login(coordinator)

    html = client.get(f"/en/newcomers/{newcomer.pk}/").content.decode()

    assert "Match by hand" not in html
