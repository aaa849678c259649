"""Sending a newsletter starts with a summary: how many people get it, in which language and
version, a few names, then "send now" or "schedule". Opening the summary sends nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ankommen.messaging.models import Newsletter, NewsletterTranslation, OutboxMessage
from tests.factories import NewsletterFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def url(newsletter: Newsletter) -> str:
    return f"/en/messages/newsletters/{newsletter.pk}/send/"


@pytest.fixture
def newsletter():
    letter = NewsletterFactory(language="de")
    NewsletterTranslation.objects.create(newsletter=letter, language="ar", subject="S", body="B")
    return letter


def test_the_summary_counts_recipients_by_language_and_sends_nothing(
    client, coordinator, newsletter, django_capture_on_commit_callbacks
):
    SubscriptionFactory.create_batch(3, language="de")
    SubscriptionFactory.create_batch(2, language="ar")
    SubscriptionFactory(language="fa", full_name="Farid Example")
    SubscriptionFactory(language="de", state="unsubscribed", full_name="Gone Reader")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url(newsletter))

    summary = response.context["summary"]
    assert response.status_code == 200
    assert summary.total == 6
    assert [(s.language, s.count, s.version) for s in summary.by_language] == [
        ("de", 3, "de"),
        ("ar", 2, "ar"),
        ("fa", 1, "de"),  # no Farsi version: the main one
    ]
    assert len(summary.examples) == 3
    html = response.content.decode()
    assert "It goes to 6 people: All subscribers." in html
    assert "Deutsch (no version in their language)" in html
    assert "Gone Reader" not in html
    assert f'action="/en/messages/newsletters/{newsletter.pk}/schedule/"' in html
    newsletter.refresh_from_db()
    assert newsletter.state == Newsletter.State.DRAFT
    assert not OutboxMessage.objects.exists()


def test_send_now_on_the_summary_sends(
    client, coordinator, newsletter, django_capture_on_commit_callbacks, mailoutbox
):
    SubscriptionFactory.create_batch(2)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(newsletter))

    assert response.status_code == 302
    newsletter.refresh_from_db()
    assert newsletter.state in (Newsletter.State.SENDING, Newsletter.State.SENT)
    assert len(mailoutbox) == 2


def test_schedule_on_the_summary_schedules_and_a_bad_time_comes_back_to_it(
    client, coordinator, newsletter
):
    SubscriptionFactory()
    client.force_login(coordinator)
    schedule = f"/en/messages/newsletters/{newsletter.pk}/schedule/"
    later = timezone.localtime() + timedelta(days=2)

    past = client.post(schedule, {"send_at": "2001-01-01T10:00"})
    client.post(schedule, {"send_at": later.strftime("%Y-%m-%dT%H:%M")})

    assert past["Location"] == url(newsletter)
    newsletter.refresh_from_db()
    assert newsletter.state == Newsletter.State.SCHEDULED
    assert not OutboxMessage.objects.exists()
    again = client.get(url(newsletter)).content.decode()
    assert later.strftime("%Y-%m-%dT%H:%M") in again  # rescheduling starts from the time set


def test_without_recipients_the_summary_offers_nothing_to_send(client, coordinator, newsletter):
    client.force_login(coordinator)

    html = client.get(url(newsletter)).content.decode()

    assert "Nobody in this group has subscribed to the newsletter." in html
    assert "Send now to" not in html


def test_a_sent_newsletter_has_no_summary_to_send_again(client, coordinator):
    sent = NewsletterFactory(state=Newsletter.State.SENT, sent_at=timezone.now())
    client.force_login(coordinator)

    response = client.get(url(sent))

    assert response.status_code == 302
    assert response["Location"] == sent.get_absolute_url().replace("/de/", "/en/")


def test_the_newsletter_page_leads_to_the_summary_instead_of_sending(
    client, coordinator, newsletter
):
    client.force_login(coordinator)

    html = client.get(newsletter.get_absolute_url()).content.decode()

    assert f'href="/de/messages/newsletters/{newsletter.pk}/send/"' in html
    assert f'action="/de/messages/newsletters/{newsletter.pk}/send/"' not in html


def test_the_summary_costs_the_same_for_ten_or_a_hundred_recipients(
    client, coordinator, newsletter
):
    client.force_login(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(newsletter)).status_code == 200
        return len(captured)

    SubscriptionFactory.create_batch(10, language="de")
    few = queries()
    for language in ("ar", "fa", "uk"):
        SubscriptionFactory.create_batch(30, language=language)

    assert queries() == few
    assert few <= 10
