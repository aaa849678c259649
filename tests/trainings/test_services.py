from datetime import timedelta

import pytest
from django.utils import timezone, translation

from tests.factories import (
    CourseFactory,
    NewcomerFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Qualification, Registration
from trainings.services import (
    TrainingError,
    cancel_registration,
    cancel_session,
    move_session,
    record_attendance,
    sign_up,
)
from volunteers.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _volunteer():
    return VolunteerFactory().user


def test_a_full_session_puts_people_on_the_waiting_list_in_order():
    session = SessionFactory(capacity=2)
    people = [_volunteer() for _ in range(4)]

    states = [sign_up(session=session, user=p, by=p).state for p in people]

    assert states == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    session.refresh_from_db()
    assert session.confirmed_count == 2


def test_a_cancellation_promotes_the_first_waiting_person_and_tells_them(
    django_capture_on_commit_callbacks, mailoutbox
):
    session = SessionFactory(capacity=1)
    first, second, third = (_volunteer() for _ in range(3))
    registration = sign_up(session=session, user=first, by=first)
    sign_up(session=session, user=second, by=second)
    sign_up(session=session, user=third, by=third)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = cancel_registration(registration=registration, by=first)

    assert promoted.user == second
    assert promoted.state == Registration.State.CONFIRMED
    assert promoted.promoted_at is not None
    assert Registration.objects.get(user=third).state == Registration.State.WAITLISTED
    assert [m.to for m in mailoutbox] == [[second.email]]
    assert mailoutbox[0].attachments[0][0] == "training.ics"


def test_cancelling_a_waiting_place_frees_no_place():
    session = SessionFactory(capacity=1)
    first, second = _volunteer(), _volunteer()
    sign_up(session=session, user=first, by=first)
    waiting = sign_up(session=session, user=second, by=second)

    assert cancel_registration(registration=waiting, by=second) is None
    session.refresh_from_db()
    assert session.confirmed_count == 1


def test_sign_up_after_the_deadline_is_refused_but_coordinators_may(coordinator):
    session = SessionFactory(signup_deadline=timezone.now() - timedelta(hours=1))
    volunteer = _volunteer()

    with pytest.raises(TrainingError, match="deadline"):
        sign_up(session=session, user=volunteer, by=volunteer)
    assert sign_up(session=session, user=volunteer, by=coordinator).state == "confirmed"


def test_cancelling_after_the_cancellation_deadline_is_refused():
    session = SessionFactory(cancellation_deadline=timezone.now() - timedelta(hours=1))
    volunteer = _volunteer()
    registration = sign_up(session=session, user=volunteer, by=volunteer)

    with pytest.raises(TrainingError, match="deadline"):
        cancel_registration(registration=registration, by=volunteer)


def test_prerequisites_must_have_been_attended_first(coordinator):
    basics = CourseFactory(title="Grundlagen")
    advanced = SessionFactory(course=CourseFactory(title="Aufbau"))
    advanced.course.prerequisites.add(basics)
    volunteer = _volunteer()

    with pytest.raises(TrainingError, match="Grundlagen"):
        sign_up(session=advanced, user=volunteer, by=volunteer)
    earlier = sign_up(session=SessionFactory(course=basics), user=volunteer, by=volunteer)
    _has_begun(earlier.session)
    record_attendance(registration=earlier, attended=True, by=coordinator)

    assert sign_up(session=advanced, user=volunteer, by=volunteer).state == "confirmed"


def test_audience_and_duplicates_are_checked():
    volunteer = _volunteer()
    for_newcomers = SessionFactory(course=CourseFactory(audience="newcomers"))
    session = SessionFactory()
    sign_up(session=session, user=volunteer, by=volunteer)

    with pytest.raises(TrainingError):
        sign_up(session=for_newcomers, user=volunteer, by=volunteer)
    with pytest.raises(TrainingError, match="already"):
        sign_up(session=session, user=volunteer, by=volunteer)
    with pytest.raises(TrainingError):
        sign_up(
            session=SessionFactory(starts_at=timezone.now() - timedelta(days=1)),
            user=volunteer,
            by=volunteer,
        )


def test_attending_the_basic_training_grants_the_qualification_and_moves_the_stage(coordinator):
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_DONE)
    course = CourseFactory(
        is_basic_training=True, qualification="Grundschulung Patenschaft", qualification_months=24
    )
    registration = sign_up(
        session=SessionFactory(course=course), user=volunteer.user, by=coordinator
    )

    _has_begun(registration.session)
    record_attendance(registration=registration, attended=True, by=coordinator)

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.TRAINED
    qualification = Qualification.objects.get(user=volunteer.user)
    assert qualification.name == "Grundschulung Patenschaft"
    assert 725 <= (qualification.valid_until - qualification.granted_on).days <= 735
    assert volunteer.stage_changes.filter(to_stage=Stage.TRAINED, changed_by=coordinator).exists()


def test_absence_grants_nothing(coordinator):
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_DONE)
    course = CourseFactory(is_basic_training=True, qualification="Grundschulung")
    registration = sign_up(
        session=SessionFactory(course=course), user=volunteer.user, by=coordinator
    )

    _has_begun(registration.session)
    record_attendance(registration=registration, attended=False, by=coordinator)

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.CONVERSATION_DONE
    assert not Qualification.objects.exists()


def test_no_attendance_before_the_session_begins(coordinator):
    """A session next week cannot have had anyone present: nothing is granted ahead of time."""
    volunteer = VolunteerFactory(stage=Stage.CONVERSATION_DONE)
    course = CourseFactory(is_basic_training=True, qualification="Grundschulung")
    registration = sign_up(
        session=SessionFactory(course=course), user=volunteer.user, by=coordinator
    )

    with pytest.raises(TrainingError, match="once the session has begun"):
        record_attendance(registration=registration, attended=True, by=coordinator)

    registration.refresh_from_db()
    volunteer.refresh_from_db()
    assert registration.attended is None
    assert volunteer.stage == Stage.CONVERSATION_DONE
    assert not Qualification.objects.exists()


def test_coordinators_sign_up_newcomers_for_newcomer_courses(coordinator):
    newcomer = NewcomerFactory()
    session = SessionFactory(course=CourseFactory(audience="newcomers"))

    registration = sign_up(session=session, newcomer=newcomer, by=coordinator)

    assert registration.newcomer == newcomer
    with pytest.raises(TrainingError):
        sign_up(session=SessionFactory(), newcomer=newcomer, by=coordinator)


def test_a_cancelled_session_tells_everyone_signed_up_or_waiting(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    session = SessionFactory(capacity=1)
    people = [_volunteer() for _ in range(2)]
    for person in people:
        sign_up(session=session, user=person, by=person)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        told = cancel_session(session=session, by=coordinator)

    assert told == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)
    with pytest.raises(TrainingError):
        sign_up(session=session, user=UserFactory(), by=coordinator)


def test_moving_a_session_tells_everyone_taking_part_with_the_new_calendar_entry(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    from trainings.services import move_session

    session = SessionFactory()
    volunteer = _volunteer()
    sign_up(session=session, user=volunteer, by=volunteer)
    mailoutbox.clear()
    later = session.starts_at + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        move_session(
            session=session,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            place="Nord",
            by=coordinator,
        )

    session.refresh_from_db()
    assert (session.starts_at, session.place) == (later, "Nord")
    assert [m.to for m in mailoutbox] == [[volunteer.email]]
    assert mailoutbox[0].attachments[0][2] == "text/calendar"
    with pytest.raises(TrainingError):
        move_session(session=session, starts_at=later, ends_at=later, place="", by=coordinator)


def _has_begun(session):
    """Time passes between signing up and the roll-call: the session is now under way."""
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )


def _arabic_reader_of(session):
    volunteer = _volunteer()
    volunteer.preferred_language = "ar"
    volunteer.save(update_fields=["preferred_language"])
    sign_up(session=session, user=volunteer, by=volunteer)
    return volunteer


def _move_to(session, place, coordinator, capture):
    later = session.starts_at + timedelta(days=1)
    with capture(execute=True):
        move_session(
            session=session,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            place=place,
            by=coordinator,
        )


def test_the_mail_about_a_moved_session_never_names_the_old_places_version(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    session = SessionFactory(
        course__title="Deutsch im Alltag",
        course__title_ar="الألمانية اليومية",
        place="Stadtteilhaus Süd",
        place_ar="بيت الحي الجنوبي",
    )
    _arabic_reader_of(session)
    mailoutbox.clear()

    _move_to(session, "Stadtteilhaus Nord", coordinator, django_capture_on_commit_callbacks)

    mail = mailoutbox[0]
    assert "الألمانية اليومية" in mail.subject  # the course's title in the reader's version
    assert "Deutsch im Alltag" not in mail.body
    assert "بيت الحي الجنوبي" not in mail.body  # the old place's version is gone
    assert "Stadtteilhaus Nord" in mail.body
    session.refresh_from_db()
    assert session.place_ar is None


def test_a_moved_session_gets_the_new_places_translation_if_those_words_were_translated(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    from translations import services as translation_work
    from translations.models import TranslationTask

    NewcomerFactory(preferred_language="ar")
    earlier = SessionFactory(place="Stadtteilhaus Nord", place_ar="بيت الحي الشمالي")
    translation_work.sync_record(earlier, by=coordinator)  # as the session form does
    assert TranslationTask.objects.get(object_id=earlier.pk, field="place").state == "done"
    session = SessionFactory(place="Stadtteilhaus Süd")
    _arabic_reader_of(session)
    mailoutbox.clear()

    _move_to(session, "Stadtteilhaus Nord", coordinator, django_capture_on_commit_callbacks)

    assert "بيت الحي الشمالي" in mailoutbox[0].body


def test_the_calendar_entry_of_a_mail_and_the_feed_name_the_course_in_the_readers_version(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    from trainings.services import renew_calendar_feed

    session = SessionFactory(
        course__title="Deutsch im Alltag",
        course__title_ar="الألمانية اليومية",
        place="Stadtteilhaus",
        place_ar="بيت الحي",
    )
    volunteer = _volunteer()
    volunteer.preferred_language = "ar"
    volunteer.save(update_fields=["preferred_language"])

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(session=session, user=volunteer, by=volunteer)

    entry = mailoutbox[0].attachments[0][1]
    entry = entry.decode() if isinstance(entry, bytes) else entry
    assert "SUMMARY:الألمانية اليومية" in entry
    assert "LOCATION:بيت الحي" in entry
    feed = client.get(f"/calendar/{renew_calendar_feed(user=volunteer)}.ics").content.decode()
    assert "SUMMARY:الألمانية اليومية" in feed
