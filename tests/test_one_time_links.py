"""Links that work without a password (password reset, check-in, newsletter confirmation and
unsubscribe) reach the mailbox and work there, but once the outbox row is sent or given up,
no table of the database and no admin page holds them: a copy of the database opens nothing."""

import importlib
import re
from datetime import timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.contrib.messages import SUCCESS, WARNING
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ankommen.messaging.models import OutboxMessage, Subscription
from ankommen.messaging.services.newsletters import fan_out_newsletter, send_newsletter_now
from ankommen.messaging.services.outbox import (
    TemporaryDeliveryError,
    deliver_messages,
    dispatch_due_messages,
    enqueue_mail,
)
from ankommen.messaging.services.subscriptions import unsubscribe
from matching import checkins
from matching.models import CheckIn, Mentorship
from tests.database_dump import dump
from tests.factories import (
    PASSWORD,
    MentorshipFactory,
    NewcomerFactory,
    NewsletterFactory,
    OutboxMessageFactory,
    SubscriptionFactory,
    UserFactory,
    VolunteerFactory,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Ein-neues-langes-Passwort-2026"


def path_of(url: str) -> str:
    return "/" + url.split("//", 1)[1].split("/", 1)[1]


def fresh_row(**lookup) -> OutboxMessage:
    return OutboxMessage.objects.get(**lookup)


def shown_in_admin(row: OutboxMessage) -> str:
    admin = Client()
    admin.force_login(UserFactory(admin=True))
    page = admin.get(reverse("admin:messaging_outboxmessage_change", args=[row.pk]))
    assert page.status_code == 200
    return page.content.decode()


def request_password_reset(client, email, capture) -> str:
    with capture(execute=True):
        response = client.post("/de/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    return response


def reset_link(mail) -> str:
    return re.search(r"https?://\S+/password/reset/key/\S+?/", mail.body).group(0)


def test_a_password_reset_link_works_from_the_mail_but_is_gone_from_the_database_and_admin(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="amina@example.org")

    request_password_reset(client, "amina@example.org", django_capture_on_commit_callbacks)

    [mail] = mailoutbox
    link = reset_link(mail)
    key = link.rstrip("/").rsplit("/", 1)[1]
    row = fresh_row(template="account/email/password_reset_key")
    assert row.state == OutboxMessage.State.SENT
    assert key not in str(row.context)
    assert key not in dump()
    assert "/password/reset/key/" not in dump()
    assert key not in shown_in_admin(row)

    form = client.get(path_of(link), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_check_in_link_works_from_the_mail_but_is_gone_from_the_database_and_admin(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    MentorshipFactory(
        volunteer=VolunteerFactory(stage="active"),
        newcomer=NewcomerFactory(),
        state=Mentorship.State.ACTIVE,
        state_changed_at=timezone.now() - timedelta(days=30),
    )

    with django_capture_on_commit_callbacks(execute=True):
        checkins.send_check_ins(timezone.localdate())

    [mail] = mailoutbox
    link = re.search(r"https?://\S+/check-in/(\S+)/\?answer=good", mail.body)
    token = link.group(1)
    row = fresh_row(template="matching/email/check_in")
    assert row.state == OutboxMessage.State.SENT
    assert token not in str(row.context)
    assert token not in dump()
    assert "/check-in/" not in dump()
    assert token not in shown_in_admin(row)

    answered = client.post(path_of(link.group(0)).split("?")[0], {"answer": "good"})
    assert answered.status_code == 200
    assert CheckIn.objects.get().answer == CheckIn.Answer.GOOD


def test_newsletter_confirmation_and_unsubscribe_links_work_but_are_not_kept(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/de/messages/newsletter/subscribe/",
            {"email": "mariam@example.org", "full_name": "Mariam", "consent": "on"},
        )
    confirm = re.search(r"https?://\S+/newsletter/confirm/\S+?/", mailoutbox[0].body).group(0)
    assert client.post(path_of(confirm)).status_code in (200, 302)
    assert Subscription.objects.get().state == Subscription.State.CONFIRMED
    newsletter = NewsletterFactory()
    send_newsletter_now(newsletter=newsletter)

    fan_out_newsletter(newsletter_id=newsletter.pk)

    letter = mailoutbox[-1]
    unsubscribe = letter.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe in letter.body
    stored = dump()
    assert path_of(confirm) not in stored
    assert path_of(unsubscribe) not in stored
    assert "/newsletter/unsubscribe/" not in stored
    row = fresh_row(newsletter=newsletter)
    assert row.state == OutboxMessage.State.SENT
    assert path_of(unsubscribe) not in shown_in_admin(row)

    client.post(path_of(unsubscribe))
    assert Subscription.objects.get().state == Subscription.State.UNSUBSCRIBED


def test_with_only_a_database_copy_nobody_can_take_over_an_account(
    mailoutbox, django_capture_on_commit_callbacks
):
    """The attack that worked before: read a reset link out of the outbox table, follow it."""
    victim = UserFactory(email="coordinator@example.org", role="coordinator")
    request_password_reset(Client(), "coordinator@example.org", django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1

    stolen = dump()

    candidates = re.findall(r"/password/reset/key/([^/\s\"']+)/", stolen)
    keys_in_mail = {reset_link(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]}
    assert candidates == []
    assert not any(key in stolen for key in keys_in_mail)
    attacker = Client()
    for key in candidates:
        attacker.get(f"/de/accounts/password/reset/key/{key}/", follow=True)
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)


def test_a_row_that_fails_for_good_drops_its_links(mailoutbox, django_capture_on_commit_callbacks):
    refused = SMTPRecipientsRefused({"gone@example.org": (550, b"No such user")})

    with (
        mock.patch.object(EmailMultiAlternatives, "send", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = enqueue_mail(
            to_email="gone@example.org",
            template="account/email/password_reset_key",
            context={},
            secret_context={"password_reset_url": "https://portal.example/reset/SECRET-KEY/"},
            language="de",
        )

    row = fresh_row(pk=message.pk)
    assert row.state == OutboxMessage.State.FAILED
    assert row.secret_context == {}
    assert "SECRET-KEY" not in dump()


def test_a_row_with_links_still_unsent_after_three_days_expires_and_drops_them():
    with mock.patch("ankommen.messaging.services.outbox.dispatch_messages"):
        message = enqueue_mail(
            to_email="late@example.org",
            template="account/email/password_reset_key",
            context={},
            secret_context={"password_reset_url": "https://portal.example/reset/OLD-KEY/"},
            language="de",
        )
        OutboxMessage.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(days=3, minutes=1)
        )

        dispatch_due_messages()

    row = fresh_row(pk=message.pk)
    assert row.state == OutboxMessage.State.FAILED
    assert "OLD-KEY" not in dump()
    assert deliver_messages(message_ids=[message.pk]) == 0


def test_the_migration_drops_links_from_sent_rows_and_moves_those_of_waiting_rows():
    migration = importlib.import_module(
        "ankommen.messaging.migrations.0006_move_one_time_links_out_of_context"
    )
    sent = OutboxMessageFactory(
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now(),
        context={"user_display": "Amina", "password_reset_url": "https://p.example/key/SENT/"},
    )
    waiting = OutboxMessageFactory(
        context={"recipient_name": "Olena", "unsubscribe_url": "https://p.example/u/WAIT/"},
        headers={"List-Unsubscribe": "<https://p.example/u/WAIT/>"},
    )

    migration.move_links(django_apps, None)

    sent.refresh_from_db()
    waiting.refresh_from_db()
    assert (sent.context, sent.secret_context, sent.has_secrets) == (
        {"user_display": "Amina"},
        {},
        True,
    )
    assert waiting.context == {"recipient_name": "Olena"}
    assert waiting.headers == {}
    assert waiting.secret_context == {"unsubscribe_url": "https://p.example/u/WAIT/"}
    assert "SENT/" not in dump()


def test_unsubscribing_drops_the_links_of_newsletters_still_waiting():
    subscription = SubscriptionFactory()
    newsletter = NewsletterFactory()
    send_newsletter_now(newsletter=newsletter)
    with mock.patch("ankommen.messaging.services.newsletters.dispatch_messages"):
        fan_out_newsletter(newsletter_id=newsletter.pk)
    row = fresh_row(newsletter=newsletter)
    unsubscribe_link = row.secret_context["unsubscribe_url"]

    unsubscribe(subscription=subscription)

    row = fresh_row(newsletter=newsletter)
    assert row.state == OutboxMessage.State.FAILED
    assert path_of(unsubscribe_link) not in dump()


def test_the_admin_does_not_send_again_a_failed_row_whose_links_are_gone(mailoutbox):
    with_links = OutboxMessageFactory(
        state=OutboxMessage.State.FAILED,
        template="account/email/password_reset_key",
        has_secrets=True,
    )
    plain = OutboxMessageFactory(state=OutboxMessage.State.FAILED)
    admin = Client()
    admin.force_login(UserFactory(admin=True))

    page = admin.post(
        reverse("admin:messaging_outboxmessage_changelist"),
        {"action": "retry_failed", "_selected_action": [with_links.pk, plain.pk]},
        follow=True,
    )

    assert [message.level for message in page.context["messages"]] == [WARNING, SUCCESS]
    assert fresh_row(pk=with_links.pk).state == OutboxMessage.State.FAILED
    assert fresh_row(pk=plain.pk).state == OutboxMessage.State.SENT
    assert [mail.to for mail in mailoutbox] == [[plain.to_email]]


def test_an_address_confirmation_link_works_from_the_mail_but_is_not_kept(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/de/accounts/signup/",
            {
                "full_name": "Leila Rahimi",
                "email": "leila@example.org",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

    [mail] = mailoutbox
    link = re.search(r"https?://\S+/confirm-email/\S+?/", mail.body).group(0)
    key = link.rstrip("/").rsplit("/", 1)[1]
    row = fresh_row(template="account/email/email_confirmation_signup")
    assert row.state == OutboxMessage.State.SENT
    assert key not in dump()
    assert key not in shown_in_admin(row)

    confirmed = client.post(path_of(link))
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="leila@example.org").verified


def test_a_mail_server_echoing_the_link_leaves_it_in_no_error_text():
    link = "https://portal.example/de/accounts/password/reset/key/1-ECHOED-KEY/"
    echo = SMTPDataError(451, f"Try again later: cannot scan {link}".encode())
    with mock.patch("ankommen.messaging.services.outbox.dispatch_messages"):
        message = enqueue_mail(
            to_email="amina@example.org",
            template="account/email/password_reset_key",
            context={},
            secret_context={"password_reset_url": link},
            language="de",
        )

    with (
        mock.patch.object(EmailMultiAlternatives, "send", side_effect=echo),
        pytest.raises(TemporaryDeliveryError) as raised,
    ):
        deliver_messages(message_ids=[message.pk])

    assert "ECHOED-KEY" not in str(raised.value)
    row = fresh_row(pk=message.pk)
    assert row.state == OutboxMessage.State.PENDING
    assert "Try again later" in row.last_error
    assert "ECHOED-KEY" not in row.last_error
