"""Where the board's entries come from. Each source is one kind of way to help (a task, a
training session) and answers the same few questions: which of its records are listed under
these criteria (in the database, as `kind, pk, when` rows that the board merges and pages),
what each listed record shows, and how a volunteer signs up for one (through the owning app's
service, never around it).

Open shifts at places, or any other kind, is one more class here registered in `SOURCES`; the
list, the filters, the entry page and the sign-up after registration do not change.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from django.db.models import DateTimeField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.translated_content import ReaderText, for_reader
from ankommen.vocabulary.models import District, Language, Theme
from trainings import selectors as trainings
from trainings import services as training_services
from trainings.models import Course, Session
from workgroups import selectors as workgroups
from workgroups import services as workgroup_services
from workgroups.models import Task

# Entries without a date (a recurring task) come after every dated one.
UNDATED = datetime(9999, 12, 31, tzinfo=UTC)
DESCRIPTION_LIMIT = 600


class Within:
    """The time choices of the filter."""

    WEEK = "week"
    MONTH = "month"
    RECURRING = "recurring"


@dataclass(frozen=True)
class Criteria:
    """What the visitor filtered by; empty means "any"."""

    kinds: frozenset[str] = frozenset()
    themes: tuple[Theme, ...] = ()
    districts: tuple[District, ...] = ()
    languages: tuple[Language, ...] = ()
    within: str = ""
    starts_from: date | None = None
    starts_until: date | None = None


@dataclass(frozen=True)
class Entry:
    """One way to help as the board shows it: nothing about any person, not even a contact."""

    kind: str
    pk: int
    kind_label: str | Promise
    title: ReaderText
    description: ReaderText
    organisation: str
    theme: Theme | None
    district: District | None
    where: ReaderText | str
    starts_at: datetime | None
    ends_at: datetime | None
    schedule: str
    time_needed: str
    places_left: int
    languages: list[Language] = field(default_factory=list)

    @property
    def url(self) -> str:
        return reverse("board:entry", args=[self.kind, self.pk])

    @property
    def is_recurring(self) -> bool:
        return self.starts_at is None


class SignUpRefusedError(Exception):
    """The owning app's rules refused the sign-up; the message says why."""


class Source(Protocol):
    @property
    def kind(self) -> str:
        """The URL's name of the kind ("task"): it names the entry's page, so it never changes."""

    @property
    def label(self) -> str | Promise:
        """What the kind is called on the board."""

    def listed(self, criteria: Criteria) -> QuerySet | None:
        """`kind, pk, when` rows of what is listed under the criteria; None when the criteria
        rule out this kind entirely."""

    def entries(self, pks: Collection[int]) -> dict[int, Entry]:
        """The listed ones among these primary keys, in a fixed number of queries."""

    def sign_up(self, *, pk: int, user: User) -> str:
        """Sign the volunteer up; returns the URL of the page that shows their place."""


def _rows(queryset: QuerySet, kind: str) -> QuerySet:
    when = Coalesce("starts_at", Value(UNDATED), output_field=DateTimeField())
    # "source", not "kind": tasks have a field of that name.
    rows = queryset.annotate(source=Value(kind), when=when).order_by()
    return rows.values_list("source", "pk", "when")


def _between(queryset: QuerySet, criteria: Criteria) -> QuerySet:
    now = timezone.now()
    if criteria.within == Within.WEEK:
        queryset = queryset.filter(starts_at__lte=now + timedelta(days=7))
    elif criteria.within == Within.MONTH:
        queryset = queryset.filter(starts_at__lte=now + timedelta(days=30))
    if criteria.starts_from:
        queryset = queryset.filter(starts_at__date__gte=criteria.starts_from)
    if criteria.starts_until:
        queryset = queryset.filter(starts_at__date__lte=criteria.starts_until)
    return queryset


class TaskSource:
    """Tasks of coordinators, working groups and partner organisations that take sign-ups."""

    kind = "task"
    label = _("Task")

    def listed(self, criteria: Criteria) -> QuerySet | None:
        tasks = workgroups.tasks_taking_sign_ups()
        if criteria.within == Within.RECURRING:
            tasks = tasks.filter(kind=Task.Kind.RECURRING)
        tasks = _between(tasks, criteria)
        if criteria.themes:
            tasks = tasks.filter(theme__in=criteria.themes)
        if criteria.districts:
            tasks = tasks.filter(district__in=criteria.districts)
        if criteria.languages:
            needs = Task.languages.through.objects.filter(
                task=OuterRef("pk"), language__in=criteria.languages
            )
            tasks = tasks.filter(Exists(needs))
        return _rows(tasks, self.kind)

    def entries(self, pks: Collection[int]) -> dict[int, Entry]:
        tasks = (
            workgroups.tasks_taking_sign_ups()
            .filter(pk__in=list(pks))
            .select_related("theme", "district", "partner")
            .prefetch_related("languages")
        )
        return {task.pk: self._entry(task) for task in tasks}

    def _entry(self, task: Task) -> Entry:
        return Entry(
            kind=self.kind,
            pk=task.pk,
            kind_label=self.label,
            title=for_reader(task, "title"),
            description=for_reader(task, "description", limit=DESCRIPTION_LIMIT),
            organisation=task.partner.name if task.partner else task.organisation,
            theme=task.theme,
            district=task.district,
            where=task.where,
            starts_at=task.starts_at,
            ends_at=task.ends_at,
            schedule=task.schedule,
            time_needed=task.time_needed,
            places_left=task.places_left,
            languages=list(task.languages.all()),
        )

    def sign_up(self, *, pk: int, user: User) -> str:
        task = workgroups.tasks_taking_sign_ups().filter(pk=pk).first()
        if task is None:
            raise SignUpRefusedError(_("This task needs no more helpers."))
        try:
            workgroup_services.sign_up_for_task(task=task, user=user)
        except workgroup_services.WorkgroupError as error:
            raise SignUpRefusedError(str(error)) from error
        return task.get_absolute_url()


class TrainingSource:
    """Training sessions a newly registered volunteer can take a place in."""

    kind = "training"
    label = _("Training")

    def listed(self, criteria: Criteria) -> QuerySet | None:
        # Trainings take place for the whole city and never recur on the board.
        if criteria.districts or criteria.within == Within.RECURRING:
            return None
        sessions = _between(trainings.sessions_open_to_new_volunteers(), criteria)
        if criteria.themes:
            sessions = sessions.filter(course__theme__in=criteria.themes)
        if criteria.languages:
            given_in = Course.languages.through.objects.filter(
                course=OuterRef("course"), language__in=criteria.languages
            )
            sessions = sessions.filter(Exists(given_in))
        return _rows(sessions, self.kind)

    def entries(self, pks: Collection[int]) -> dict[int, Entry]:
        sessions = (
            trainings.sessions_open_to_new_volunteers()
            .filter(pk__in=list(pks))
            .select_related("course", "course__theme")
            .prefetch_related("course__languages")
        )
        return {session.pk: self._entry(session) for session in sessions}

    def _entry(self, session: Session) -> Entry:
        course = session.course
        return Entry(
            kind=self.kind,
            pk=session.pk,
            kind_label=self.label,
            title=for_reader(course, "title"),
            description=for_reader(course, "description", limit=DESCRIPTION_LIMIT),
            organisation="",
            theme=course.theme,
            district=None,
            where=for_reader(session, "place") if session.place else gettext("Online"),
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            schedule="",
            time_needed="",
            places_left=session.free_places,
            languages=list(course.languages.all()),
        )

    def sign_up(self, *, pk: int, user: User) -> str:
        session = trainings.sessions_open_to_new_volunteers().filter(pk=pk).first()
        if session is None:
            raise SignUpRefusedError(_("This session is no longer open for sign-up."))
        try:
            training_services.sign_up(session=session, by=user, user=user)
        except training_services.TrainingError as error:
            raise SignUpRefusedError(str(error)) from error
        return session.get_absolute_url()


SOURCES: dict[str, Source] = {source.kind: source for source in (TaskSource(), TrainingSource())}
