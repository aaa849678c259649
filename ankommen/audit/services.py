"""Recording what staff do with people's records. The actor of the current request is known
through a context variable that the middleware sets, so signal handlers can name them too."""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from ankommen.audit.models import AuditEvent

if TYPE_CHECKING:
    from ankommen.accounts.models import User

_actor: ContextVar[int | None] = ContextVar("audit_actor", default=None)


def current_actor() -> int | None:
    return _actor.get()


def record(
    action: str,
    subject: models.Model,
    *,
    actor: "User | None" = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    actor_id = getattr(actor, "pk", None) if actor is not None else current_actor()
    return AuditEvent.objects.create(
        actor_id=actor_id,
        action=action,
        subject_type=_type_of(subject),
        subject_id=subject.pk,
        details=details or {},
    )


def record_many(
    action: str, subjects: Iterable[models.Model], *, actor: "User | None", details: dict[str, Any]
) -> int:
    """One entry per person, written in one statement (exports of hundreds of people)."""
    actor_id = getattr(actor, "pk", None)
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


def record_reads(*, actor: "User | None", people: Iterable[models.Model], via: str) -> int:
    """A page that shows people's sensitive fields leaves one read entry per person shown,
    written in one statement, naming the page (`via`, its URL name)."""
    return record_many(AuditEvent.Action.READ, people, actor=actor, details={"via": via})


def _type_of(subject: models.Model) -> str:
    # Options.model_name is only unset while a model class is being built.
    return subject._meta.model_name or ""


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        token = _actor.set(user.pk if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)
