from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from ankommen.audit.models import AuditEvent
from ankommen.messaging.models import OutboxMessage
from ankommen.vocabulary.models import Language
from tests.factories import (
    CourseFactory,
    NewcomerFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Course, Registration, Session
from trainings.services import (
    SeriesError,
    TrainingError,
    copy_course,
    create_series,
    create_session,
    plan_weekly_series,
    remove_participant,
    retire_course,
    sign_up,
    update_course,
    update_session,
)

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _volunteer():
    return VolunteerFactory().user


def _sent(template: str) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(template=f"trainings/email/{template}").values_list(
            "to_email", flat=True
        )
    )


# A weekly series ---------------------------------------------------------------------------


def test_a_series_keeps_its_local_time_across_the_change_to_summer_time():
    # Thursdays from 12 March 2026; Berlin moves its clocks forward on Sunday 29 March.
    dates = plan_weekly_series(
        first_on=date(2026, 3, 12), weeks=4, starts_at=time(18, 0), ends_at=time(20, 0)
    )

    local = [planned.starts_at.astimezone(BERLIN) for planned in dates]
    assert [moment.date() for moment in local] == [
        date(2026, 3, 12),
        date(2026, 3, 19),
        date(2026, 3, 26),
        date(2026, 4, 2),
    ]
    assert {(moment.hour, moment.minute) for moment in local} == {(18, 0)}
    assert [planned.starts_at.astimezone(UTC).hour for planned in dates] == [17, 17, 17, 16]
    assert {planned.ends_at - planned.starts_at for planned in dates} == {timedelta(hours=2)}


def test_a_series_leaves_out_the_skipped_dates_but_shows_them():
    dates = plan_weekly_series(
        first_on=date(2026, 12, 10),
        weeks=4,
        starts_at=time(10, 0),
        ends_at=time(12, 0),
        skipped=[date(2026, 12, 24), date(2026, 12, 31)],
    )

    assert [(p.starts_at.astimezone(BERLIN).date(), p.is_skipped) for p in dates] == [
        (date(2026, 12, 10), False),
        (date(2026, 12, 17), False),
        (date(2026, 12, 24), True),
        (date(2026, 12, 31), True),
    ]


def test_a_skipped_date_must_be_a_date_of_the_series():
    with pytest.raises(SeriesError) as refused:
        plan_weekly_series(
            first_on=date(2026, 12, 10),
            weeks=4,
            starts_at=time(10, 0),
            ends_at=time(12, 0),
            skipped=[date(2026, 12, 25)],
        )

    assert refused.value.field == "skipped"
    assert "2026-12-25" in str(refused.value)


@pytest.mark.parametrize("weeks", [0, -1, 53])
def test_a_series_runs_for_one_to_52_weeks(weeks):
    with pytest.raises(SeriesError) as refused:
        plan_weekly_series(
            first_on=date(2026, 12, 10), weeks=weeks, starts_at=time(10), ends_at=time(12)
        )

    assert refused.value.field == "weeks"


def test_a_series_ends_after_it_starts():
    with pytest.raises(SeriesError) as refused:
        plan_weekly_series(
            first_on=date(2026, 12, 10), weeks=2, starts_at=time(12), ends_at=time(12)
        )

    assert refused.value.field == "ends_at_time"


def test_a_time_that_does_not_exist_when_the_clocks_go_forward_is_refused():
    # 02:30 on Sunday 29 March 2026 is skipped in Berlin.
    with pytest.raises(SeriesError) as refused:
        plan_weekly_series(
            first_on=date(2026, 3, 22), weeks=2, starts_at=time(2, 30), ends_at=time(4, 0)
        )

    assert refused.value.field == "starts_at_time"


def test_creating_a_series_makes_every_date_not_skipped_with_its_trainers_and_deadlines(
    coordinator,
):
    course, trainer = CourseFactory(), UserFactory(role="coordinator")
    dates = plan_weekly_series(
        first_on=date(2026, 3, 23),
        weeks=3,
        starts_at=time(18, 0),
        ends_at=time(20, 0),
        skipped=[date(2026, 3, 30)],
    )

    sessions = create_series(
        course=course,
        dates=dates,
        place="Stadtteiltreff",
        online_url="",
        capacity=12,
        trainers=[trainer],
        signup_days_before=2,
        cancellation_days_before=1,
        by=coordinator,
    )

    stored = list(Session.objects.order_by("starts_at"))
    assert [s.pk for s in sessions] == [s.pk for s in stored]
    assert [timezone.localtime(s.starts_at, BERLIN).date() for s in stored] == [
        date(2026, 3, 23),
        date(2026, 4, 6),
    ]
    assert {(s.capacity, s.place, s.status) for s in stored} == {(12, "Stadtteiltreff", "planned")}
    assert [list(s.trainers.all()) for s in stored] == [[trainer], [trainer]]
    # Two days before at the same wall-clock time, even across the clock change.
    assert timezone.localtime(stored[1].signup_deadline, BERLIN) == datetime(
        2026, 4, 4, 18, 0, tzinfo=BERLIN
    )
    assert timezone.localtime(stored[1].cancellation_deadline, BERLIN) == datetime(
        2026, 4, 5, 18, 0, tzinfo=BERLIN
    )
    assert (
        AuditEvent.objects.filter(
            subject_type="session", action="create", actor_id=coordinator.pk
        ).count()
        == 2
    )


def test_a_series_is_created_whole_or_not_at_all(coordinator):
    course = CourseFactory()
    dates = plan_weekly_series(
        first_on=date(2026, 3, 23), weeks=3, starts_at=time(18), ends_at=time(20)
    )

    with pytest.raises(TrainingError):
        create_series(
            course=course,
            dates=dates,
            place="",
            online_url="",  # no place at all
            capacity=12,
            trainers=[],
            by=coordinator,
        )
    with pytest.raises(TrainingError):
        create_series(
            course=course,
            dates=[*dates[:2], dates[2].__class__(dates[2].starts_at, dates[2].starts_at)],
            place="Nord",
            online_url="",
            capacity=12,
            trainers=[],
            by=coordinator,
        )

    assert not Session.objects.exists()


def test_every_date_left_out_creates_nothing(coordinator):
    dates = plan_weekly_series(
        first_on=date(2026, 3, 23),
        weeks=1,
        starts_at=time(18),
        ends_at=time(20),
        skipped=[date(2026, 3, 23)],
    )

    with pytest.raises(SeriesError):
        create_series(
            course=CourseFactory(),
            dates=dates,
            place="Nord",
            online_url="",
            capacity=5,
            trainers=[],
            by=coordinator,
        )


# Courses ------------------------------------------------------------------------------------


def test_a_copy_has_the_course_s_description_but_no_sessions_and_runs(coordinator):
    basics = CourseFactory(title="Grundlagen")
    course = CourseFactory(
        title="Erste Hilfe",
        description="Was tun im Notfall",
        audience="both",
        qualification="Ersthelfer",
        qualification_months=24,
        retired_at=timezone.now(),
    )
    course.languages.set(Language.objects.filter(code__in=["de", "ar"]))
    course.prerequisites.add(basics)
    SessionFactory(course=course)

    copy = copy_course(course=course, by=coordinator)

    assert copy.pk != course.pk
    assert copy.title == "Erste Hilfe (copy)"
    assert (copy.description, copy.audience, copy.qualification, copy.qualification_months) == (
        "Was tun im Notfall",
        "both",
        "Ersthelfer",
        24,
    )
    assert set(copy.languages.values_list("code", flat=True)) == {"de", "ar"}
    assert list(copy.prerequisites.all()) == [basics]
    assert not copy.sessions.exists()
    assert copy.retired_at is None
    assert course.sessions.count() == 1


def test_a_copy_of_a_long_title_still_fits():
    course = CourseFactory(title="x" * 200)

    copy = copy_course(course=course, by=UserFactory(role="coordinator"))

    assert len(copy.title) == 200


def test_retiring_a_course_cancels_its_sessions_to_come_and_tells_everyone(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    course = CourseFactory(title="Asylrecht")
    soon, later = SessionFactory(course=course, capacity=1), SessionFactory(course=course)
    past = SessionFactory(
        course=course,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )
    other = SessionFactory()
    signed_up, waiting, elsewhere = _volunteer(), _volunteer(), _volunteer()
    sign_up(session=soon, user=signed_up, by=signed_up)
    sign_up(session=soon, user=waiting, by=waiting)
    sign_up(session=other, user=elsewhere, by=elsewhere)
    OutboxMessage.objects.all().delete()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        retired = retire_course(course=course, by=coordinator)

    assert (retired.sessions, retired.told) == (2, 2)
    course.refresh_from_db()
    assert course.is_retired
    statuses = dict(Session.objects.values_list("pk", "status"))
    assert (statuses[soon.pk], statuses[later.pk]) == ("cancelled", "cancelled")
    assert (statuses[past.pk], statuses[other.pk]) == ("planned", "planned")
    assert _sent("session_cancelled") == sorted([signed_up.email, waiting.email])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([signed_up.email, waiting.email])
    with pytest.raises(TrainingError):
        retire_course(course=course, by=coordinator)


def test_a_retired_course_gets_no_new_session(coordinator):
    course = CourseFactory(retired_at=timezone.now())
    start = timezone.now() + timedelta(days=3)
    session = Session(
        course=course, starts_at=start, ends_at=start + timedelta(hours=1), place="A", capacity=5
    )

    with pytest.raises(TrainingError):
        create_session(session=session, trainers=[], by=coordinator)
    with pytest.raises(TrainingError):
        create_series(
            course=course,
            dates=plan_weekly_series(
                first_on=start.date(), weeks=2, starts_at=time(10), ends_at=time(11)
            ),
            place="A",
            online_url="",
            capacity=5,
            trainers=[],
            by=coordinator,
        )

    assert not Session.objects.exists()


def test_a_course_cannot_require_itself_even_through_another(coordinator):
    first, second = CourseFactory(), CourseFactory()
    second.prerequisites.add(first)

    with pytest.raises(TrainingError):
        update_course(course=first, languages=[], prerequisites=[first], by=coordinator)
    with pytest.raises(TrainingError):
        update_course(course=first, languages=[], prerequisites=[second], by=coordinator)

    assert not first.prerequisites.exists()


def test_editing_a_course_records_which_fields_changed(coordinator):
    course = CourseFactory(title="Alt")
    course.title = "Neu"

    update_course(
        course=course,
        languages=Language.objects.filter(code="de"),
        prerequisites=[],
        by=coordinator,
    )

    event = AuditEvent.objects.get(subject_type="course", subject_id=course.pk)
    assert (event.actor_id, event.details) == (coordinator.pk, {"fields": ["languages", "title"]})
    assert Course.objects.get(pk=course.pk).title == "Neu"


# Sessions -----------------------------------------------------------------------------------


def _edited(session: Session, **changes) -> Session:
    """The session as the edit form hands it over: a fresh copy with the new values."""
    edited = Session.objects.get(pk=session.pk)
    for name, value in changes.items():
        setattr(edited, name, value)
    return edited


def test_more_places_go_to_the_people_waiting_in_order_and_they_are_told(
    coordinator, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    people = [_volunteer() for _ in range(4)]
    for person in people:
        sign_up(session=session, user=person, by=person)

    with django_capture_on_commit_callbacks(execute=True):
        updated = update_session(session=_edited(session, capacity=3), trainers=[], by=coordinator)

    assert [r.user for r in updated.promoted] == people[1:3]
    assert updated.told == 0
    session.refresh_from_db()
    assert (session.capacity, session.confirmed_count) == (3, 3)
    assert Registration.objects.get(user=people[3]).state == Registration.State.WAITLISTED
    assert _sent("promoted") == sorted(p.email for p in people[1:3])


def test_a_new_time_in_an_edit_tells_everyone_taking_part(
    coordinator, django_capture_on_commit_callbacks
):
    session = SessionFactory()
    person = _volunteer()
    sign_up(session=session, user=person, by=person)
    later = session.starts_at + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        updated = update_session(
            session=_edited(session, starts_at=later, ends_at=later + timedelta(hours=2)),
            trainers=[],
            by=coordinator,
        )
        unchanged = update_session(session=_edited(session), trainers=[], by=coordinator)

    assert (updated.told, unchanged.told) == (1, 0)
    assert Session.objects.get(pk=session.pk).starts_at == later
    assert _sent("session_moved") == [person.email]


def test_an_edit_keeps_the_places_people_hold_and_leaves_cancelled_sessions_alone(coordinator):
    session = SessionFactory(capacity=3)
    for person in (_volunteer(), _volunteer()):
        sign_up(session=session, user=person, by=person)

    with pytest.raises(TrainingError):
        update_session(session=_edited(session, capacity=1), trainers=[], by=coordinator)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    with pytest.raises(TrainingError):
        update_session(session=_edited(session, capacity=5), trainers=[], by=coordinator)

    assert Session.objects.get(pk=session.pk).capacity == 3


# Removing a participant ---------------------------------------------------------------------


def test_removing_a_participant_tells_them_and_the_first_waiting_person_moves_up(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    session = SessionFactory(capacity=1)
    removed, first, second = _volunteer(), _volunteer(), _volunteer()
    registration = sign_up(session=session, user=removed, by=removed)
    for person in (first, second):
        sign_up(session=session, user=person, by=person)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = remove_participant(registration=registration, by=coordinator)

    assert promoted.user == first
    assert Registration.objects.get(pk=registration.pk).state == Registration.State.CANCELLED
    assert Registration.objects.get(user=second).state == Registration.State.WAITLISTED
    assert _sent("removed") == [removed.email]
    assert _sent("promoted") == [first.email]
    removal = next(m for m in mailoutbox if m.to == [removed.email])
    assert removal.attachments == []  # no calendar entry that would put the session back
    # In the recipient's language (German, as the factory makes people).
    assert removal.subject.endswith(f"Ihr Platz wurde storniert: {session.course.title}")


def test_a_newcomer_without_an_address_is_removed_without_a_message(coordinator):
    session = SessionFactory(course__audience="newcomers")
    registration = RegistrationFactory(session=session, newcomer=NewcomerFactory())
    Session.objects.filter(pk=session.pk).update(confirmed_count=1)

    assert remove_participant(registration=registration, by=coordinator) is None

    assert not OutboxMessage.objects.filter(template="trainings/email/removed").exists()
    assert Session.objects.get(pk=session.pk).confirmed_count == 0


def test_only_coordinators_remove_participants():
    person = _volunteer()
    registration = sign_up(session=SessionFactory(), user=person, by=person)

    with pytest.raises(TrainingError):
        remove_participant(registration=registration, by=_volunteer())

    assert Registration.objects.get(pk=registration.pk).state == Registration.State.CONFIRMED
