from datetime import timedelta

import pytest
from babel.dates import format_date, format_time
from django.utils import timezone

from ankommen.messaging.channels import CHANNELS, Contact, Notice, Recipient
from ankommen.messaging.models import AddressHealth, OutboxMessage
from ankommen.messaging.services import notify
from ankommen.messaging.services.outbox import SKIPPED
from ankommen.messaging.services.reminders import send_due_reminders
from tests.factories import OutboxMessageFactory, SessionFactory, UserFactory, VolunteerFactory
from trainings.services import sign_up
from workgroups.models import EventResponse, NetworkEvent, Partner
from workgroups.services import reply_to_event

pytestmark = pytest.mark.django_db


class PhoneChannel:
    """A stand-in for SMS: reaches the people it has a number for, and remembers what it sent."""

    name = "phone"

    def __init__(self, numbers: dict[int, str]) -> None:
        self.numbers = numbers
        self.sent: list[Notice] = []

    def can_reach(self, person: Recipient) -> bool:
        return getattr(person, "pk", None) in self.numbers

    def send(self, notice: Notice) -> bool:
        if any(sent.key == notice.key for sent in self.sent if notice.key):
            return False
        self.sent.append(notice)
        return True


@pytest.fixture
def phone():
    """The phone channel, registered the way a real one would be, for this test only."""
    channel = PhoneChannel({})
    with CHANNELS.register_temporarily(channel):
        yield channel


def _signed_up(user, *, hours_ahead=20):
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=hours_ahead))
    registration = sign_up(session=session, user=user, by=user)
    return session, registration


def test_a_reminder_reaches_an_arabic_speaker_in_arabic_with_the_date_formatted_when_sent(
    django_capture_on_commit_callbacks, mailoutbox
):
    volunteer = VolunteerFactory(user__preferred_language="ar")
    session, _registration = _signed_up(volunteer.user)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders()

    [mail] = mailoutbox
    assert mail.subject == f"[Ankommen] غدًا: {session.course.title}"
    # As CLDR writes it in Arabic (ankommen/dates.py), month name and all.
    starts_at = timezone.localtime(session.starts_at)
    assert format_date(starts_at.date(), "long", locale="ar") in mail.body
    assert format_time(starts_at, "short", locale="ar") in mail.body
    row = OutboxMessage.objects.get(template="trainings/email/reminder")
    assert row.language == "ar"
    # The row keeps the moment, not a rendering of it: the mail formats it for its reader.
    assert row.context["starts_at"] == timezone.localtime(session.starts_at).isoformat()


def test_notify_writes_to_the_persons_address_by_the_name_they_go_by(mailoutbox):
    person = UserFactory(preferred_name="Lina", preferred_language="fa")

    reached = notify(person, occasion="volunteers/message", context={"subject": "Hallo"})

    assert (reached.channel, reached.is_new) == ("email", True)
    row = OutboxMessage.objects.get()
    assert (row.to_email, row.recipient, row.language) == (person.email, person, "fa")
    assert row.template == "volunteers/email/message"
    assert row.context == {"user_display": "Lina", "subject": "Hallo"}


def test_a_contact_without_an_account_is_written_to_in_their_language():
    contact = Contact(email="amt@example.org", display_name="Frau Weber", preferred_language="en")

    notify(contact, occasion="workgroups/event_reminder", context={"title": "Konferenz"})

    row = OutboxMessage.objects.get()
    assert (row.to_email, row.recipient, row.language) == ("amt@example.org", None, "en")
    assert row.context["user_display"] == "Frau Weber"


def test_someone_without_an_address_is_not_reached_and_nothing_is_written():
    newcomer = UserFactory(email=None, role="newcomer")

    assert notify(newcomer, occasion="volunteers/message", context={}) is None
    assert notify(None, occasion="volunteers/message", context={}) is None
    assert not OutboxMessage.objects.exists()


def test_an_address_that_kept_bouncing_is_skipped_when_delivering(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = UserFactory()
    AddressHealth.objects.create(email=person.email, hard_failures=3, suppressed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        notify(person, occasion="volunteers/message", context={"subject": "Hallo"})

    assert mailoutbox == []
    row = OutboxMessage.objects.get()
    assert (row.state, row.last_error) == (OutboxMessage.State.FAILED, SKIPPED)


def test_the_same_key_reaches_a_person_once():
    person = UserFactory()

    first = notify(person, occasion="volunteers/message", context={}, key="greeting:1")
    again = notify(person, occasion="volunteers/message", context={}, key="greeting:1")

    assert (first.is_new, again.is_new) == (True, False)
    assert OutboxMessage.objects.count() == 1


def test_a_reminder_already_sent_before_reminders_were_declarations_is_not_sent_again():
    volunteer = VolunteerFactory()
    session, registration = _signed_up(volunteer.user)
    # The key the hand-built reminder used: "reminder:<source>:<registration>:<start>".
    OutboxMessageFactory(
        idempotency_key=f"reminder:training-session:{registration.pk}:"
        f"{session.starts_at.isoformat()}",
        state=OutboxMessage.State.SENT,
        sent_at=timezone.now(),
    )

    assert send_due_reminders() == 0


def test_a_partner_contact_is_reminded_in_the_portals_language_under_the_old_key():
    event = NetworkEvent.objects.create(
        title="Netzwerkkonferenz", starts_at=timezone.now() + timedelta(hours=20)
    )
    partner = Partner.objects.create(
        name="Stadt", kind="municipality", contact_email="amt@example.org", contact_name="Weber"
    )
    reply_to_event(event=event, partner=partner, answer="yes")
    reply = EventResponse.objects.get()

    assert send_due_reminders() == 1

    row = OutboxMessage.objects.get()
    assert row.idempotency_key == (
        f"reminder:network-event:{event.pk}:{reply.pk}:{event.starts_at.isoformat()}"
    )
    assert (row.to_email, row.recipient, row.language) == ("amt@example.org", None, "de")
    assert row.category == OutboxMessage.Category.REMINDER
    assert row.context["user_display"] == "Weber"


def test_a_second_channel_reaches_whom_e_mail_cannot_and_e_mail_stays_first(phone):
    no_address = UserFactory(email=None, role="newcomer", preferred_language="ar")
    has_address = UserFactory()
    phone.numbers.update({no_address.pk: "+4915100000", has_address.pk: "+4915100001"})

    by_phone = notify(no_address, occasion="trainings/reminder", context={"course": "Deutsch"})
    by_mail = notify(has_address, occasion="trainings/reminder", context={"course": "Deutsch"})

    assert (by_phone.channel, by_mail.channel) == ("phone", "email")
    [notice] = phone.sent
    assert (notice.person, notice.language, notice.occasion) == (
        no_address,
        "ar",
        "trainings/reminder",
    )
    assert OutboxMessage.objects.get().recipient == has_address


def test_reminders_reach_people_through_the_second_channel_once(phone):
    volunteer = VolunteerFactory(user__email=None)
    _session, registration = _signed_up(volunteer.user)
    phone.numbers[volunteer.user.pk] = "+4915100000"

    runs = [send_due_reminders() for _ in range(3)]

    assert runs == [1, 0, 0]
    [notice] = phone.sent
    assert notice.key.startswith(f"reminder:training-session:{registration.pk}:")
    assert notice.category == OutboxMessage.Category.REMINDER
