"""Courses and sessions as coordinators plan them: create, edit, copy, retire, weekly series.

A session's places are contended (see participation): a change of capacity locks the session
row, and places it adds go to the people waiting, in their order. Whoever is signed up hears of
a new time or place through `move_session`, and of a cancellation through `cancel_session`.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.translated_content import in_source_language, version_fields
from ankommen.vocabulary.models import Language
from trainings import selectors
from trainings.models import Course, Registration, Session
from trainings.services.participation import (
    TrainingError,
    _promote_first_waiting,
    cancel_session,
    move_session,
)
from translations import services as translation_work

MAX_SERIES_WEEKS = 52
# What a participant must hear about when it changes: the time, the place and the link.
WHEN_AND_WHERE = ("starts_at", "ends_at", "place", "online_url")
PLANNED_FIELDS = ("capacity", "signup_deadline", "cancellation_deadline")


class SeriesError(TrainingError):
    """A series cannot be planned as asked; `field` names the input at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _check(session: Session) -> None:
    """The session's own rules (Session.clean), as a domain error."""
    try:
        session.clean()
    except ValidationError as error:
        raise TrainingError(" ".join(error.messages)) from error


def _check_prerequisites(course: Course, prerequisites: Collection[Course]) -> None:
    """A course cannot require itself, directly or through others: nobody could ever take it."""
    if course.pk is None:
        return
    if any(prerequisite.pk == course.pk for prerequisite in prerequisites):
        raise TrainingError(_("A course cannot be its own prerequisite."))
    required: dict[int, set[int]] = {}
    for source, target in Course.prerequisites.through.objects.exclude(
        from_course_id=course.pk
    ).values_list("from_course_id", "to_course_id"):
        required.setdefault(source, set()).add(target)
    seen, todo = set(), [prerequisite.pk for prerequisite in prerequisites]
    while todo:
        current = todo.pop()
        if current == course.pk:
            raise TrainingError(
                _("These prerequisites would make the course require itself through another.")
            )
        if current not in seen:
            seen.add(current)
            todo.extend(required.get(current, ()))


@transaction.atomic
def create_course(
    *, course: Course, languages: Iterable[Language], prerequisites: Iterable[Course], by: User
) -> Course:
    """A new course with its languages and prerequisites; sessions are added afterwards."""
    with audit.recorded_by(by) as trail:
        course.retired_at = None
        course.save()
        course.languages.set(list(languages))
        course.prerequisites.set(list(prerequisites))
        trail.created(course)
    translation_work.sync_record(course, by=by)
    return course


@transaction.atomic
def update_course(
    *, course: Course, languages: Iterable[Language], prerequisites: Iterable[Course], by: User
) -> Course:
    """The course's description changes for its sessions to come and past alike."""
    languages, prerequisites = list(languages), list(prerequisites)
    _check_prerequisites(course, prerequisites)
    with audit.recorded_by(by) as trail:
        stored = Course.objects.select_for_update().get(pk=course.pk)
        changed = [
            item.attname
            for item in Course._meta.concrete_fields
            if getattr(stored, item.attname) != getattr(course, item.attname)
        ]
        course.retired_at = stored.retired_at  # retiring has its own service
        course.save()
        if {language.pk for language in languages} != set(
            stored.languages.values_list("pk", flat=True)
        ):
            changed.append("languages")
        course.languages.set(list(languages))
        if {prerequisite.pk for prerequisite in prerequisites} != set(
            stored.prerequisites.values_list("pk", flat=True)
        ):
            changed.append("prerequisites")
        course.prerequisites.set(prerequisites)
        trail.changed(course, changed)
    translation_work.sync_record(course, by=by)
    return course


@transaction.atomic
def copy_course(*, course: Course, by: User) -> Course:
    """A copy to adapt: the same description, languages and prerequisites, no sessions, and
    running even when the original was retired."""
    title = _("%(title)s (copy)") % {"title": course.title}
    max_length = Course._meta.get_field("title").max_length or len(title)
    copy = Course(
        title=title[:max_length],
        description=course.description,
        audience=course.audience,
        theme_id=course.theme_id,
        is_basic_training=course.is_basic_training,
        qualification=course.qualification,
        qualification_months=course.qualification_months,
    )
    return create_course(
        course=copy,
        languages=course.languages.all(),
        prerequisites=course.prerequisites.all(),
        by=by,
    )


@dataclass(frozen=True)
class Retired:
    """What retiring a course did: the sessions cancelled and the people told of it."""

    sessions: int
    told: int


@transaction.atomic
def retire_course(*, course: Course, by: User) -> Retired:
    """A retired course gets no new sessions. Each of its sessions still to come is cancelled
    as a single session is, so everyone signed up or waiting is told; the past stays."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.is_retired:
        raise TrainingError(_("This course has already been retired."))
    with audit.recorded_by(by) as trail:
        trail.assign(course, retired_at=timezone.now())
        course.save(update_fields=["retired_at"])
        told = sessions = 0
        # Sessions are locked one by one in primary-key order, as every other writer does.
        for session in selectors.sessions_cancelled_by_retiring(course).order_by("pk"):
            told += cancel_session(session=session, by=by)
            sessions += 1
    return Retired(sessions=sessions, told=told)


@transaction.atomic
def create_session(*, session: Session, trainers: Iterable[User], by: User) -> Session:
    """One session of a course that still runs, with its trainers."""
    # Locked against retiring at the same time; read afresh to see whether it has been.
    session.course = Course.objects.select_for_update().get(pk=session.course_id)
    session.status = Session.Status.PLANNED
    session.confirmed_count = 0
    _check(session)
    with audit.recorded_by(by) as trail:
        session.save()
        session.trainers.set(list(trainers))
        trail.created(session)
    translation_work.sync_record(session, by=by)
    return session


@dataclass
class Updated:
    """What saving a session did: how many heard of a new time or place, who moved up into
    places the session gained."""

    told: int = 0
    promoted: list[Registration] = field(default_factory=list)


@transaction.atomic
def update_session(*, session: Session, trainers: Iterable[User], by: User) -> Updated:
    """Places, deadlines and trainers change quietly; a new time, place or link goes through
    `move_session`, so everyone taking part is told. New places go to those waiting."""
    stored = Session.objects.select_for_update().get(pk=session.pk)
    if stored.status == Session.Status.CANCELLED:
        raise TrainingError(_("A cancelled session cannot be changed."))
    session.course_id, session.status = stored.course_id, stored.status
    session.confirmed_count = stored.confirmed_count
    _check(session)
    updated = Updated()
    # The place's versions in other languages change quietly; the German place is the one
    # that moves the session (and tells everyone).
    quiet = [*PLANNED_FIELDS, *version_fields("place")]
    with in_source_language():
        wanted = {name: getattr(session, name) for name in WHEN_AND_WHERE}
        held = {name: getattr(stored, name) for name in WHEN_AND_WHERE}
    new_versions = [
        name for name in version_fields("place") if getattr(session, name) != getattr(stored, name)
    ]
    with audit.recorded_by(by) as trail:
        trail.assign(stored, **{name: getattr(session, name) for name in quiet})
        stored.save(update_fields=quiet)
        trainers = list(trainers)
        if {trainer.pk for trainer in trainers} != set(
            stored.trainers.values_list("pk", flat=True)
        ):
            trail.changed(stored, ["trainers"])
        stored.trainers.set(trainers)
        if wanted != held:
            updated.told = move_session(
                session=stored,
                starts_at=wanted["starts_at"],
                ends_at=wanted["ends_at"],
                place=wanted["place"],
                online_url=wanted["online_url"],
                new_versions=new_versions,
                by=by,
            )
        stored.refresh_from_db()
        for _free in range(stored.free_places):
            promoted = _promote_first_waiting(stored)
            if promoted is None:
                break
            trail.changed(promoted, ["state", "promoted_at"])
            updated.promoted.append(promoted)
    translation_work.sync_record(stored, by=by)
    return updated


@dataclass(frozen=True)
class SeriesDate:
    """One week of a series; a skipped week stays in the plan so the preview can show it."""

    starts_at: datetime
    ends_at: datetime
    is_skipped: bool = False


def _local(day: date, clock: time) -> datetime:
    """The wall-clock time on that day where the portal is, or an error on the night the
    clocks go forward (02:30 does not exist then in Berlin)."""
    zone = timezone.get_default_timezone()
    moment = datetime.combine(day, clock, tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise SeriesError(
            _("%(time)s does not exist on %(day)s: the clocks go forward that night.")
            % {"time": clock.strftime("%H:%M"), "day": day.isoformat()},
            field="starts_at_time",
        )
    return moment


def plan_weekly_series(
    *,
    first_on: date,
    weeks: int,
    starts_at: time,
    ends_at: time,
    skipped: Collection[date] = (),
) -> list[SeriesDate]:
    """Once a week for `weeks` weeks from `first_on`, on its weekday, at the same local time in
    summer and winter; the skipped dates (holidays) must be dates of the series."""
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        raise SeriesError(
            _("A series runs for 1 to %(most)d weeks.") % {"most": MAX_SERIES_WEEKS},
            field="weeks",
        )
    if ends_at <= starts_at:
        raise SeriesError(_("The end must be after the start."), field="ends_at_time")
    days = [first_on + timedelta(weeks=week) for week in range(weeks)]
    strays = sorted(set(skipped) - set(days))
    if strays:
        raise SeriesError(
            _("Not a date of this series: %(dates)s.")
            % {"dates": ", ".join(day.isoformat() for day in strays)},
            field="skipped",
        )
    return [
        SeriesDate(_local(day, starts_at), _local(day, ends_at), is_skipped=day in skipped)
        for day in days
    ]


def _days_before(moment: datetime, days: int | None) -> datetime | None:
    """The same wall-clock time `days` days earlier (not 24-hour steps across a clock change)."""
    if days is None:
        return None
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return datetime.combine(local.date() - timedelta(days=days), local.timetz())


@transaction.atomic
def create_series(
    *,
    course: Course,
    dates: Sequence[SeriesDate],
    place: str,
    online_url: str,
    capacity: int,
    trainers: Iterable[User],
    signup_days_before: int | None = None,
    cancellation_days_before: int | None = None,
    by: User,
) -> list[Session]:
    """All the series' sessions that are not skipped, or none: one transaction."""
    # Locked against retiring at the same time; read afresh to see whether it has been.
    course = Course.objects.select_for_update().get(pk=course.pk)
    # The place is typed in German, whatever the coordinator's interface language.
    with in_source_language():
        sessions = [
            Session(
                course=course,
                starts_at=planned.starts_at,
                ends_at=planned.ends_at,
                place=place,
                online_url=online_url,
                capacity=capacity,
                signup_deadline=_days_before(planned.starts_at, signup_days_before),
                cancellation_deadline=_days_before(planned.starts_at, cancellation_days_before),
            )
            for planned in dates
            if not planned.is_skipped
        ]
    if not sessions:
        raise SeriesError(_("Every date of the series is skipped."), field="skipped")
    for session in sessions:
        _check(session)
    trainers = list(trainers)
    with audit.recorded_by(by) as trail:
        for session in sessions:
            session.save()
            trail.created(session)
        Session.trainers.through.objects.bulk_create(
            Session.trainers.through(session_id=session.pk, user_id=trainer.pk)
            for session in sessions
            for trainer in trainers
        )
    for session in sessions:
        translation_work.sync_record(session, by=by)
    return sessions
