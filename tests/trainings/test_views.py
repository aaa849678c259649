import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from ankommen.messaging.services.reminders import send_due_reminders
from refugees.services import issue_access_link
from tests.factories import (
    CourseFactory,
    NewcomerFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Registration, Session
from trainings.services import record_attendance, sign_up

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def test_a_volunteer_signs_up_and_gets_a_confirmation_with_the_calendar_entry(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    volunteer = VolunteerFactory()
    session = SessionFactory(starts_at=datetime(2030, 7, 1, 18, 0, tzinfo=BERLIN))
    client.force_login(volunteer.user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/trainings/{session.pk}/sign-up/")

    assert Registration.objects.get().state == "confirmed"
    name, content, mimetype = mailoutbox[0].attachments[0]
    assert (name, mimetype) == ("training.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2030, 7, 1, 18, 0, tzinfo=BERLIN)


def test_the_session_ics_has_the_right_times_in_berlin_in_winter_and_summer(client):
    for start in (
        datetime(2030, 1, 15, 9, 30, tzinfo=BERLIN),
        datetime(2030, 7, 15, 9, 30, tzinfo=BERLIN),
    ):
        session = SessionFactory(starts_at=start, ends_at=start + timedelta(hours=2))

        response = client.get(f"/en/trainings/{session.pk}/calendar.ics")

        event = Calendar.from_ical(response.content).walk("VEVENT")[0]
        assert event.decoded("dtstart") == start
        assert event.decoded("dtstart").utcoffset() == start.utcoffset()
        assert event.decoded("dtend") == start + timedelta(hours=2)
        assert str(event["summary"]) == session.course.title


def test_the_personal_feed_lists_ones_sessions_and_can_be_stopped(client):
    volunteer = VolunteerFactory()
    mine, other = SessionFactory(), SessionFactory()
    sign_up(session=mine, user=volunteer.user, by=volunteer.user)
    client.force_login(volunteer.user)
    client.post("/en/trainings/me/calendar/renew/")
    page = client.get("/en/trainings/me/").content.decode()
    feed_path = re.search(r"http://testserver(/calendar/[\w-]+\.ics)", page).group(1)

    summaries = [
        str(e["summary"]) for e in Calendar.from_ical(client.get(feed_path).content).walk("VEVENT")
    ]
    client.post("/en/trainings/me/calendar/revoke/")

    assert summaries == [mine.course.title]
    assert other.course.title not in summaries
    assert client.get(feed_path).status_code == 404
    # The link was shown once; afterwards only its hash exists.
    assert not re.search(r"/calendar/[\w-]+\.ics", client.get("/en/trainings/me/").content.decode())


def test_the_attendance_certificate_is_a_pdf_with_name_and_course(client, coordinator):
    volunteer = VolunteerFactory(user__full_name="Olena Kovalenko")
    session = SessionFactory(course=CourseFactory(title="Interkulturelle Kommunikation"))
    registration = sign_up(session=session, user=volunteer.user, by=coordinator)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=4))
    record_attendance(registration=registration, attended=True, by=coordinator)
    client.force_login(volunteer.user)

    response = client.get(f"/en/trainings/registrations/{registration.pk}/certificate.pdf")

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    words = " ".join(text.split())  # the PDF wraps long lines
    assert "Teilnahmebescheinigung" in words  # German: the participant reads German
    assert "Olena Kovalenko" in words
    assert "Interkulturelle Kommunikation" in words


def test_no_certificate_without_attendance(client):
    volunteer = VolunteerFactory()
    registration = sign_up(session=SessionFactory(), user=volunteer.user, by=volunteer.user)
    client.force_login(volunteer.user)

    assert (
        client.get(f"/en/trainings/registrations/{registration.pk}/certificate.pdf").status_code
        == 404
    )


def test_a_volunteer_cannot_mark_attendance_and_a_trainer_only_for_their_sessions(client):
    trainer = VolunteerFactory().user
    own, other = SessionFactory(), SessionFactory()
    own.trainers.add(trainer)
    participant = VolunteerFactory().user
    registration = sign_up(session=own, user=participant, by=participant)
    other_registration = sign_up(session=other, user=participant, by=participant)
    Session.objects.filter(pk__in=[own.pk, other.pk]).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )

    client.force_login(participant)
    assert (
        client.post(
            f"/en/trainings/{own.pk}/attendance/",
            {"registration": registration.pk, "attended": "yes"},
        ).status_code
        == 403
    )
    client.force_login(trainer)
    assert client.get(f"/en/trainings/{own.pk}/attendance/").status_code == 200
    client.post(
        f"/en/trainings/{own.pk}/attendance/", {"registration": registration.pk, "attended": "yes"}
    )
    assert (
        client.post(
            f"/en/trainings/{other.pk}/attendance/",
            {"registration": other_registration.pk, "attended": "yes"},
        ).status_code
        == 403
    )

    assert Registration.objects.get(pk=registration.pk).attended is True
    assert Registration.objects.get(pk=other_registration.pk).attended is None


def test_reminders_go_out_once_the_day_before(django_capture_on_commit_callbacks, mailoutbox):
    volunteer = VolunteerFactory()
    session = SessionFactory(starts_at=timezone.now() + timedelta(hours=20))
    sign_up(session=session, user=volunteer.user, by=volunteer.user)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for _run in range(4):
            send_due_reminders()

    assert [m.subject for m in mailoutbox] == [f"[Ankommen] Morgen: {session.course.title}"] or len(
        mailoutbox
    ) == 1


def test_a_newcomer_signs_up_from_their_offers_and_sees_the_appointment(client, coordinator):
    newcomer = NewcomerFactory(preferred_language="en")
    session = SessionFactory(course=CourseFactory(audience="newcomers", title="Deutsch im Alltag"))
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    client.get(f"/n/{card.token}/")

    offers = client.get("/en/me/offers/").content.decode()
    client.post(f"/en/trainings/{session.pk}/newcomer-sign-up/")
    appointments = client.get("/en/me/appointments/").content.decode()

    assert "Deutsch im Alltag" in offers
    assert Registration.objects.get(newcomer=newcomer).state == "confirmed"
    assert "Deutsch im Alltag" in appointments


@pytest.mark.parametrize("count", [5, 80])
def test_catalogue_and_session_page_use_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count
):
    courses = [CourseFactory() for _ in range(5)]
    for number in range(count):
        session = SessionFactory(course=courses[number % 5])
    client.force_login(UserFactory())

    # The first request also renders and caches the filters. Every request of a volunteer
    # asks whether they lead a working group or act for a partner organisation: both need a
    # second factor from that moment.
    with django_assert_max_num_queries(22):
        client.get("/en/trainings/", {"free_only": "on"})
    with django_assert_max_num_queries(9):
        client.get("/en/trainings/", {"free_only": "on"})
    with django_assert_max_num_queries(10):
        client.get(f"/en/trainings/{session.pk}/")
