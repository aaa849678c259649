"""Recording what people do with others' records. Services that change a person's record say
so themselves, with the person who acts (`recorded_by`), wherever they run: a request, a
Celery task, a management command. Saves that no service recorded (the admin, a shell) are
caught by the tracking layer, with the request's person as the actor (the middleware below)."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from ankommen.accounts.models import User
from ankommen.audit import trail
from ankommen.audit.models import AuditEvent
from ankommen.audit.trail import Trail, _actor, current_actor

__all__ = [
    "AuditActorMiddleware",
    "Trail",
    "current_actor",
    "record",
    "record_many",
    "record_reads",
    "recorded_by",
]


@contextmanager
def recorded_by(by: User | None) -> Iterator[Trail]:
    """The block's changes to people's records are audited as the service states them
    (`trail.created`, `trail.changed`, `trail.assign`), with `by` as the actor (None: the
    system). One entry per record and change, written with the block's transaction; the
    tracking layer leaves the stated records alone and adds any other it notices, so nothing
    goes unrecorded. A service called inside another's block is part of that change."""
    with trail.opened(by.pk if by is not None else None) as opened:
        yield opened


def record(
    *, action: str, subject: models.Model, by: User | None, details: dict[str, Any] | None = None
) -> AuditEvent:
    """One entry now: a read, an export, an erasure."""
    return AuditEvent.objects.create(
        actor_id=by.pk if by is not None else None,
        action=action,
        subject_type=_type_of(subject),
        subject_id=subject.pk,
        details=details or {},
    )


def record_many(
    *, action: str, subjects: Iterable[models.Model], by: User | None, details: dict[str, Any]
) -> int:
    """One entry per person, written in one statement (exports of hundreds of people)."""
    actor_id = by.pk if by is not None else None
    events = [
        AuditEvent(
            actor_id=actor_id,
            action=action,
            subject_type=_type_of(subject),
            subject_id=subject.pk,
            details=details,
        )
        for subject in subjects
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def record_reads(*, by: User | None, people: Iterable[models.Model], via: str) -> int:
    """A page that shows people's sensitive fields leaves one read entry per person shown,
    written in one statement, naming the page (`via`, its URL name)."""
    return record_many(action=AuditEvent.Action.READ, subjects=people, by=by, details={"via": via})


def _type_of(subject: models.Model) -> str:
    # Options.model_name is only unset while a model class is being built.
    return subject._meta.model_name or ""


class AuditActorMiddleware:
    """The request's person, for the saves that no service records (the admin's)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = _actor.set(user.pk if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)
