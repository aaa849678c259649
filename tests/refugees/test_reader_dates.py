"""Dates, times and numbers as each of our 12 languages writes them (CLDR via Babel), on the
newcomer pages and in mails written when they are sent, in the recipient's language of then."""

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from django.conf import settings
from django.utils import translation

from ankommen import dates
from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services.newsletters import fan_out_newsletter, send_newsletter_now
from ankommen.messaging.services.outbox import deliver_messages
from ankommen.messaging.services.reminders import send_due_reminders
from matching.models import Mentorship
from tests.factories import (
    ClearanceCheckFactory,
    MentorshipFactory,
    NewsletterFactory,
    OutboxMessageFactory,
    RegistrationFactory,
    SessionFactory,
    SubscriptionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Registration
from volunteers.models import Stage

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
# Fixed, and far enough ahead to stay an upcoming date for the newcomer's appointments.
MOMENT = datetime(2030, 1, 4, 14, 5, tzinfo=BERLIN)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def dated(newcomer):
    """A first meeting on MOMENT's day, and third place on the waiting list of a session then."""
    MentorshipFactory(
        newcomer=newcomer, state=Mentorship.State.ACTIVE, first_meeting_on=MOMENT.date()
    )
    session = SessionFactory(starts_at=MOMENT, capacity=1)
    RegistrationFactory(session=session, user=UserFactory())
    for _ in range(2):
        RegistrationFactory(
            session=session, user=UserFactory(), state=Registration.State.WAITLISTED
        )
    RegistrationFactory(session=session, newcomer=newcomer, state=Registration.State.WAITLISTED)
    return newcomer


def test_all_twelve_languages_have_cldr_data_under_their_own_code():
    for code in LANGUAGES:
        assert dates.reader_locale(code) == Locale.parse(code), code
    # Kurmanji in Latin script, as on our language menu (not Sorani, "ckb").
    assert format_date(MOMENT, "MMMM", locale="ku") == "rêbendan"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_newcomer_pages_write_date_time_and_number_as_babel_does(language, dated, signed_in):
    appointments = _page(signed_in, f"/{language}/me/appointments/")
    contact = _page(signed_in, f"/{language}/me/contact/")

    day = format_date(MOMENT.date(), "long", locale=language)
    assert format_time(MOMENT, "short", locale=language, tzinfo=BERLIN) in appointments
    assert day in appointments
    assert format_decimal(3, locale=language) in appointments
    assert day in contact
    assert ".." not in contact


@pytest.mark.parametrize(
    ("language", "wrong", "right"),
    [
        ("ps", ["Jan.", "nachm."], ["جنوري"]),
        ("ti", ["Jan.", "nachm."], ["ጥሪ"]),
        ("ar", ["يناير 4,"], ["4 يناير 2030"]),
        ("uk", ["р.."], ["4 січня 2030\u202fр."]),  # noqa: RUF001
        ("so", ["Januar"], ["Janaayo"]),
    ],
)
def test_the_reported_faults_are_gone(language, wrong, right, dated, signed_in):
    text = _page(signed_in, f"/{language}/me/appointments/") + _page(
        signed_in, f"/{language}/me/contact/"
    )

    for fault in wrong:
        assert fault not in text
    for reading in right:
        assert reading in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_numbers_follow_the_language(language):
    assert dates.format_number(1234.5, language=language) == format_decimal(1234.5, locale=language)


def test_numbers_and_a_full_stop_that_the_date_brings():
    assert dates.format_number("1234.5", language="de") == "1.234,5"
    assert dates.format_number("1234.5", language="en") == "1,234.5"
    assert dates.format_number("3.5", language="de", places=2) == "3,50"
    assert dates.format_number("3", language="uk", places=2) == "3"
    assert dates.one_full_stop("до 10 грудня 2026 р..") == "до 10 грудня 2026 р."  # noqa: RUF001
    assert dates.one_full_stop("Warten …") == "Warten …"
    assert dates.one_full_stop("und so...") == "und so..."


def test_a_reminder_queued_in_a_german_context_reaches_an_arabic_reader_in_arabic(
    mailoutbox, django_capture_on_commit_callbacks
):
    now = datetime(2026, 12, 7, 9, 0, tzinfo=BERLIN)
    volunteer = VolunteerFactory(
        user=UserFactory(preferred_language="ar"),
        stage=Stage.CONVERSATION_SCHEDULED,
        first_conversation_at=now + timedelta(hours=5),
    )
    ClearanceCheckFactory(
        volunteer=volunteer,
        issued_on=now.date() - timedelta(days=1800),
        seen_on=now.date() - timedelta(days=1790),
        valid_until=now.date() + timedelta(days=1),
    )

    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(now=now)

    bodies = {mail.subject: mail.body for mail in mailoutbox}
    assert len(bodies) == 2
    text = "\n".join(bodies.values())
    assert format_date(now.date(), "long", locale="ar") in text  # the conversation
    assert format_time(now + timedelta(hours=5), "short", locale="ar", tzinfo=BERLIN) in text
    assert format_date(now.date() + timedelta(days=1), "long", locale="ar") in text  # clearance
    assert "Dezember" not in text


def test_a_queued_mail_is_written_in_the_language_its_reader_has_when_it_is_sent(mailoutbox):
    reader = UserFactory(preferred_language="de")
    message = OutboxMessageFactory(
        recipient=reader,
        to_email=reader.email,
        template="volunteers/email/first_conversation",
        context={"user_display": "Amina", "when": MOMENT.isoformat()},
        language=reader.preferred_language,
    )
    reader.preferred_language = "uk"
    reader.save()

    deliver_messages(message_ids=[message.pk])

    message.refresh_from_db()
    assert message.language == "uk"
    assert format_date(MOMENT.date(), "long", locale="uk") in mailoutbox[0].body
    assert "Januar" not in mailoutbox[0].body


def test_a_newsletter_goes_in_the_subscribers_current_language(mailoutbox):
    reader = UserFactory(preferred_language="ar")
    SubscriptionFactory(user=reader, email=reader.email, language="de")  # German back then
    SubscriptionFactory(email="no-account@example.org", language="uk")
    newsletter = NewsletterFactory(subject="Rundbrief", body="Hallo zusammen")
    newsletter.translations.create(language="ar", subject="النشرة", body="مرحبا بالجميع")
    send_newsletter_now(newsletter=newsletter)

    fan_out_newsletter(newsletter_id=newsletter.pk)

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert "النشرة" in by_address[reader.email].subject
    assert "مرحبا بالجميع" in by_address[reader.email].body
    assert OutboxMessage.objects.get(to_email=reader.email).language == "ar"
    # Without an account the subscription keeps its own language.
    assert OutboxMessage.objects.get(to_email="no-account@example.org").language == "uk"
