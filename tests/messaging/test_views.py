import pytest
from django.urls import reverse
from django.utils import translation

from ankommen.messaging.models import Newsletter, OutboxMessage
from tests.factories import NewsletterFactory, OutboxMessageFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_writes_previews_and_sends_a_newsletter(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    SubscriptionFactory.create_batch(3)
    client.force_login(coordinator)

    created = client.post(
        "/en/messages/newsletters/new/",
        {
            "subject": "November",
            "language": "de",
            "body": "**Hallo**<script>x()</script>",
            "audience": "all",
        },
    )
    newsletter = Newsletter.objects.get()
    detail = client.get(created["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("messaging:newsletter_send", args=[newsletter.pk]))
    progress = client.get(reverse("messaging:newsletter_progress", args=[newsletter.pk]))

    assert created.status_code == 302
    assert "<strong>Hallo</strong>" in detail
    assert "<script>x()" not in detail
    assert "3 subscribers now" in detail
    assert sent.status_code == 302
    assert len(mailoutbox) == 3
    assert "3 of 3 handled: 3 sent, 0 failed." in progress.content.decode()


def test_a_language_choice_segment_is_stored_and_shown(client, coordinator):
    client.force_login(coordinator)

    client.post(
        "/en/messages/newsletters/new/",
        {"subject": "S", "language": "de", "body": "B", "audience": "language:ar"},
    )

    newsletter = Newsletter.objects.get()
    assert (newsletter.segment_kind, newsletter.segment_value) == ("language", "ar")
    assert (
        "Subscribers reading a language: العربية"
        in client.get(newsletter.get_absolute_url()).content.decode()
    )


def test_an_unknown_audience_is_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        "/en/messages/newsletters/new/",
        {"subject": "S", "language": "de", "body": "B", "audience": "everyone-on-earth"},
    )

    assert response.status_code == 200
    assert "audience" in response.context["form"].errors
    assert not Newsletter.objects.exists()


def test_sending_without_subscribers_explains_instead_of_failing(client, coordinator):
    newsletter = NewsletterFactory()
    client.force_login(coordinator)

    with translation.override("en"):
        url = reverse("messaging:newsletter_send", args=[newsletter.pk])
    response = client.post(url, follow=True)

    assert "Nobody in this group has subscribed" in response.content.decode()
    assert Newsletter.objects.get().state == Newsletter.State.DRAFT


def test_a_bad_schedule_time_is_answered_with_a_message(client, coordinator):
    newsletter = NewsletterFactory()
    client.force_login(coordinator)

    with translation.override("en"):
        url = reverse("messaging:newsletter_schedule", args=[newsletter.pk])
    response = client.post(url, {"send_at": "tomorrow-ish"}, follow=True)

    assert response.status_code == 200
    assert "Please enter a valid date and time." in response.content.decode()


def test_a_sent_newsletter_cannot_be_edited(client, coordinator):
    newsletter = NewsletterFactory(state=Newsletter.State.SENT)
    client.force_login(coordinator)

    response = client.post(
        reverse("messaging:newsletter_edit", args=[newsletter.pk]),
        {"subject": "Changed", "language": "de", "body": "B", "audience": "all"},
    )

    assert response.status_code == 302
    assert Newsletter.objects.get().subject == newsletter.subject


def test_volunteers_read_the_archive_but_never_drafts(client, volunteer):
    sent = NewsletterFactory(subject="Sent one", state=Newsletter.State.SENT)
    draft = NewsletterFactory(subject="Secret draft")
    client.force_login(volunteer)

    archive = client.get(reverse("messaging:newsletter_archive")).content.decode()

    assert "Sent one" in archive
    assert "Secret draft" not in archive
    assert (
        client.get(reverse("messaging:newsletter_archive_detail", args=[sent.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("messaging:newsletter_archive_detail", args=[draft.pk])).status_code
        == 404
    )
    assert client.get(reverse("messaging:newsletter_detail", args=[draft.pk])).status_code == 403


def test_delivery_log_filters_by_state_and_address(client, coordinator):
    OutboxMessageFactory(to_email="ok@example.org", state=OutboxMessage.State.PENDING)
    OutboxMessageFactory(to_email="broken@example.org", state=OutboxMessage.State.FAILED)
    client.force_login(coordinator)

    response = client.get(
        reverse("messaging:delivery_log"), {"state": "failed", "to_email": "brok"}
    )

    html = response.content.decode()
    assert "broken@example.org" in html
    assert "ok@example.org" not in html


def test_delivery_log_shows_a_clear_message_for_a_bad_filter(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("messaging:delivery_log"), {"created_after": "not-a-date"})

    assert response.status_code == 200
    assert response.context["filter"].errors


@pytest.mark.parametrize("rows", [3, 30])
def test_list_pages_need_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        newsletter = NewsletterFactory(state=Newsletter.State.SENT)
        OutboxMessageFactory(newsletter=newsletter, category="newsletter")
    client.force_login(coordinator)

    with django_assert_max_num_queries(8):
        client.get(reverse("messaging:newsletter_list"))
    with django_assert_max_num_queries(8):
        client.get(reverse("messaging:delivery_log"))
    with django_assert_max_num_queries(8):
        client.get(reverse("messaging:newsletter_archive"))
