from datetime import timedelta
from smtplib import SMTPRecipientsRefused
from unittest import mock

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from ankommen.messaging.models import AddressHealth, Newsletter, OutboxMessage, Subscription
from ankommen.messaging.newsletter_content import markdown_to_safe_html
from ankommen.messaging.segments import recipients_for
from ankommen.messaging.selectors import newsletters_with_numbers
from ankommen.messaging.services.newsletters import (
    NewsletterStateError,
    cancel_schedule,
    fan_out_newsletter,
    schedule_newsletter,
    send_newsletter_now,
    send_scheduled_newsletters,
    send_test_newsletter,
)
from ankommen.messaging.services.outbox import TemporaryDeliveryError, deliver_messages
from tests.factories import NewsletterFactory, SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        '<p onclick="steal()">hi</p>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
        "[link](javascript:alert(1))",
    ],
)
def test_no_script_or_event_handler_survives_sanitising(attack):
    html = markdown_to_safe_html(f"Hello\n\n{attack}")

    lowered = html.lower()
    for danger in ("<script", "onerror", "onclick", "javascript:", "<style", "<iframe", "<img"):
        assert danger not in lowered


def test_markdown_formatting_and_safe_links_are_kept():
    html = markdown_to_safe_html("**Neu:** [Schulungen](https://example.org/kurse)\n\n- eins")

    assert "<strong>Neu:</strong>" in html
    assert 'href="https://example.org/kurse"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<li>eins</li>" in html


def test_segments_only_ever_reach_confirmed_subscribers_whose_address_works():
    volunteer = UserFactory(role="volunteer")
    coordinator = UserFactory(role="coordinator")
    SubscriptionFactory(email=volunteer.email, user=volunteer, language="fa")
    SubscriptionFactory(email=coordinator.email, user=coordinator)
    SubscriptionFactory(language="fa")
    SubscriptionFactory(state=Subscription.State.PENDING, confirmed_at=None)
    SubscriptionFactory(state=Subscription.State.UNSUBSCRIBED)
    bounced = SubscriptionFactory(language="fa")
    AddressHealth.objects.create(email=bounced.email, hard_failures=3, suppressed_at=timezone.now())

    assert recipients_for("all", "").count() == 3
    assert list(recipients_for("volunteers", "").values_list("user", flat=True)) == [volunteer.pk]
    assert recipients_for("language", "fa").count() == 2
    assert recipients_for("no-such-segment", "").count() == 0


def test_each_recipient_gets_the_newsletter_once_in_their_language(mailoutbox):
    SubscriptionFactory(language="ar", email="amira@example.org")
    SubscriptionFactory(language="uk", email="olena@example.org")
    newsletter = NewsletterFactory(subject="Rundbrief", body="Hallo zusammen")
    newsletter.translations.create(language="ar", subject="النشرة", body="مرحبا بالجميع")
    send_newsletter_now(newsletter=newsletter)

    fan_out_newsletter(newsletter_id=newsletter.pk)
    fan_out_newsletter(newsletter_id=newsletter.pk)  # run twice, as after a worker crash

    assert OutboxMessage.objects.filter(newsletter=newsletter).count() == 2
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert len(mailoutbox) == 2
    assert "النشرة" in by_address["amira@example.org"].subject
    assert "مرحبا بالجميع" in by_address["amira@example.org"].body
    assert 'dir="rtl"' in by_address["amira@example.org"].alternatives[0][0]
    assert "Rundbrief" in by_address["olena@example.org"].subject
    # No Ukrainian version: the German text is marked as German, and the reader is told so.
    olena = by_address["olena@example.org"].alternatives[0][0]
    assert '<div lang="de" dir="ltr">' in olena
    assert "Deutsch" in olena
    assert 'lang="de"' not in by_address["amira@example.org"].alternatives[0][0]


def test_every_newsletter_carries_one_click_unsubscribe_headers(mailoutbox):
    SubscriptionFactory()
    newsletter = NewsletterFactory()
    send_newsletter_now(newsletter=newsletter)

    fan_out_newsletter(newsletter_id=newsletter.pk)

    headers = mailoutbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http")
    assert "/newsletter/unsubscribe/" in headers["List-Unsubscribe"]
    assert headers["Message-ID"].startswith("<outbox.")
    assert "/newsletter/unsubscribe/" in mailoutbox[0].body


def test_a_newsletter_without_subscribers_in_its_segment_cannot_be_sent():
    SubscriptionFactory(language="de")
    newsletter = NewsletterFactory(segment_kind="language", segment_value="ti")

    with pytest.raises(NewsletterStateError):
        send_newsletter_now(newsletter=newsletter)


def test_a_sent_newsletter_cannot_be_sent_again():
    SubscriptionFactory()
    newsletter = NewsletterFactory(state=Newsletter.State.SENT)

    with pytest.raises(NewsletterStateError):
        send_newsletter_now(newsletter=newsletter)


def test_a_scheduled_newsletter_goes_out_once_when_due(
    mailoutbox, django_capture_on_commit_callbacks
):
    SubscriptionFactory()
    newsletter = schedule_newsletter(
        newsletter=NewsletterFactory(), send_at=timezone.now() + timedelta(hours=1)
    )
    send_scheduled_newsletters()
    assert Newsletter.objects.get(pk=newsletter.pk).state == Newsletter.State.SCHEDULED

    Newsletter.objects.filter(pk=newsletter.pk).update(scheduled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        send_scheduled_newsletters()
        send_scheduled_newsletters()
    send_scheduled_newsletters()

    newsletter.refresh_from_db()
    assert len(mailoutbox) == 1
    assert newsletter.state == Newsletter.State.SENT
    assert newsletter.sent_at is not None


def test_scheduling_in_the_past_is_refused_and_a_schedule_can_be_cancelled():
    SubscriptionFactory()
    newsletter = NewsletterFactory()

    with pytest.raises(NewsletterStateError):
        schedule_newsletter(newsletter=newsletter, send_at=timezone.now() - timedelta(minutes=1))
    schedule_newsletter(newsletter=newsletter, send_at=timezone.now() + timedelta(days=1))
    cancel_schedule(newsletter=newsletter)

    newsletter.refresh_from_db()
    assert newsletter.state == Newsletter.State.DRAFT
    assert newsletter.scheduled_at is None


def test_a_test_send_reaches_only_the_writer_and_counts_for_nothing(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    SubscriptionFactory()
    newsletter = NewsletterFactory(body="**Test** text")

    with django_capture_on_commit_callbacks(execute=True):
        send_test_newsletter(newsletter=newsletter, to_user=coordinator)

    assert [mail.to for mail in mailoutbox] == [[coordinator.email]]
    assert "<strong>Test</strong>" in mailoutbox[0].alternatives[0][0]
    assert newsletters_with_numbers().get(pk=newsletter.pk).sent_count == 0


def test_the_numbers_count_sent_failed_and_unsubscribed(mailoutbox):
    SubscriptionFactory(email="good@example.org")
    SubscriptionFactory(email="gone@example.org")
    newsletter = NewsletterFactory()
    send_newsletter_now(newsletter=newsletter)
    refused = SMTPRecipientsRefused({"gone@example.org": (550, b"No such user")})
    real_send = EmailMultiAlternatives.send

    def send(self, *args, **kwargs):
        if self.to == ["gone@example.org"]:
            raise refused
        return real_send(self, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", send):
        fan_out_newsletter(newsletter_id=newsletter.pk)
    Subscription.objects.filter(email="good@example.org").update(
        state=Subscription.State.UNSUBSCRIBED, unsubscribed_via=newsletter
    )

    numbers = newsletters_with_numbers().get(pk=newsletter.pk)
    assert (numbers.recipients_total, numbers.sent_count, numbers.failed_count) == (2, 1, 1)
    assert numbers.unsubscribed_count == 1
    assert numbers.waiting_count == 0


def test_an_address_that_hard_fails_repeatedly_is_skipped_from_then_on(mailoutbox):
    refused = SMTPRecipientsRefused({"gone@example.org": (550, b"No such user")})
    rows = [
        OutboxMessage.objects.create(
            to_email="gone@example.org", template="account/email/password_changed", language="de"
        )
        for _ in range(4)
    ]

    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=refused) as send:
        deliver_messages(message_ids=[row.pk for row in rows])

    assert send.call_count == 3
    health = AddressHealth.objects.get(email="gone@example.org")
    assert health.suppressed_at is not None
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"failed"}
    assert "Skipped" in OutboxMessage.objects.get(pk=rows[-1].pk).last_error


def test_a_temporary_refusal_is_retried_not_counted_against_the_address():
    refused = SMTPRecipientsRefused({"busy@example.org": (451, b"Try again later")})
    row = OutboxMessage.objects.create(
        to_email="busy@example.org", template="account/email/password_changed", language="de"
    )

    with (
        mock.patch.object(EmailMultiAlternatives, "send", side_effect=refused),
        pytest.raises(TemporaryDeliveryError),
    ):
        deliver_messages(message_ids=[row.pk])

    row.refresh_from_db()
    assert row.state == OutboxMessage.State.PENDING
    assert not AddressHealth.objects.exists()
