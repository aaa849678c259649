import re

import pytest
from django.test import Client

from ankommen.messaging.models import OutboxMessage, Subscription
from ankommen.messaging.services.subscriptions import (
    SubscriptionError,
    subscribe_account,
    unsubscribe_url,
)
from tests.factories import SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def _subscribe(client, email="reader@example.org", language="de", consent="on"):
    data = {"email": email, "full_name": "Mariam", "consent": consent}
    return client.post(f"/{language}/messages/newsletter/subscribe/", data)


def test_subscribing_records_the_consent_and_sends_only_a_confirmation_link(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, language="ar")

    assert response.status_code == 200
    subscription = Subscription.objects.get(email="reader@example.org")
    assert subscription.state == Subscription.State.PENDING
    assert subscription.language == "ar"
    assert subscription.consent_ip == "127.0.0.1"
    assert subscription.consented_at is not None
    assert "Ankommen" in subscription.consent_text
    assert len(mailoutbox) == 1
    assert "/ar/messages/newsletter/confirm/" in mailoutbox[0].body


def test_subscribing_without_consent_keeps_the_entries_and_explains(client):
    response = _subscribe(client, consent="")

    assert response.status_code == 200
    assert 'value="reader@example.org"' in response.content.decode()
    assert "consent" in response.context["form"].errors
    assert not Subscription.objects.exists()


def test_opening_the_confirmation_link_only_asks_and_posting_confirms(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client)
    link = _path(re.search(r"https?://\S+/confirm/\S+/", mailoutbox[0].body).group(0))

    opened = client.get(link)
    assert opened.status_code == 200
    assert Subscription.objects.get().state == Subscription.State.PENDING

    confirmed = client.post(link)
    assert confirmed.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.state == Subscription.State.CONFIRMED
    assert subscription.confirmed_at is not None


def test_a_forged_confirmation_link_is_refused(client):
    SubscriptionFactory(state=Subscription.State.PENDING, confirmed_at=None)

    response = client.post("/de/messages/newsletter/confirm/MQ:forged:signature/")

    assert response.status_code == 400
    assert Subscription.objects.get().state == Subscription.State.PENDING


def test_subscribing_a_confirmed_address_again_sends_nothing_and_says_the_same(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    SubscriptionFactory(email="reader@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client)

    assert response.status_code == 200
    assert "Please check your inbox" in response.content.decode() or response.templates
    assert mailoutbox == []


def test_the_unsubscribe_link_asks_first_and_works_without_login(client):
    subscription = SubscriptionFactory()
    link = _path(unsubscribe_url(subscription))

    opened = client.get(link)
    subscription.refresh_from_db()
    assert opened.status_code == 200
    assert subscription.state == Subscription.State.CONFIRMED

    response = client.post(link)
    subscription.refresh_from_db()
    assert response.status_code == 200
    assert subscription.state == Subscription.State.UNSUBSCRIBED
    assert subscription.unsubscribed_at is not None


def test_one_click_unsubscribe_works_without_cookies_or_csrf_token():
    subscription = SubscriptionFactory()
    mail_provider = Client(enforce_csrf_checks=True)

    response = mail_provider.post(
        _path(unsubscribe_url(subscription)), {"List-Unsubscribe": "One-Click"}
    )

    subscription.refresh_from_db()
    assert response.status_code == 200
    assert subscription.state == Subscription.State.UNSUBSCRIBED


def test_a_forged_unsubscribe_link_is_refused(client):
    subscription = SubscriptionFactory()
    forged = _path(unsubscribe_url(subscription)).replace("/unsubscribe/", "/unsubscribe/x")

    response = client.post(forged)

    subscription.refresh_from_db()
    assert response.status_code == 400
    assert subscription.state == Subscription.State.CONFIRMED


def test_unsubscribing_stops_newsletters_already_queued_but_not_account_mail(mailoutbox):
    subscription = SubscriptionFactory(email="reader@example.org")
    newsletter_mail = OutboxMessage.objects.create(
        to_email="reader@example.org",
        template="messaging/email/newsletter",
        category=OutboxMessage.Category.NEWSLETTER,
        language="de",
    )
    account_mail = OutboxMessage.objects.create(
        to_email="reader@example.org", template="account/email/password_changed", language="de"
    )

    Client().post(_path(unsubscribe_url(subscription)))

    newsletter_mail.refresh_from_db()
    account_mail.refresh_from_db()
    assert newsletter_mail.state == OutboxMessage.State.FAILED
    assert account_mail.state == OutboxMessage.State.PENDING


def test_a_signed_in_person_with_a_confirmed_address_subscribes_in_one_step(client, volunteer):
    client.force_login(volunteer)

    response = client.post("/de/messages/newsletter/", {"action": "subscribe"})

    assert response.status_code == 302
    subscription = Subscription.objects.get(user=volunteer)
    assert subscription.state == Subscription.State.CONFIRMED
    assert subscription.consent_ip == "127.0.0.1"


def test_an_unconfirmed_address_cannot_be_subscribed_from_the_account():
    user = UserFactory(verified_email=False)

    with pytest.raises(SubscriptionError):
        subscribe_account(user=user, ip=None)


def test_a_signed_in_person_unsubscribes_from_their_page(client, volunteer):
    subscribe_account(user=volunteer, ip=None)
    client.force_login(volunteer)

    client.post("/de/messages/newsletter/", {"action": "unsubscribe"})

    assert Subscription.objects.get(user=volunteer).state == Subscription.State.UNSUBSCRIBED


def test_the_public_form_is_rate_limited_per_address(client):
    statuses = [_subscribe(client, email="target@example.org").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_subscribing_again_after_changing_address_moves_the_account_link():
    user = UserFactory(email="old@example.org")
    old = subscribe_account(user=user, ip=None)
    user.email = "new@example.org"
    user.save()
    user.emailaddress_set.update(email="new@example.org")

    new = subscribe_account(user=user, ip=None)

    old.refresh_from_db()
    assert new.email == "new@example.org"
    assert new.user == user
    assert old.user is None
