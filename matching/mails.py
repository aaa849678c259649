"""Every e-mail about a mentorship goes to its volunteer, through the outbox, in their language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from ankommen.messaging.services import enqueue_mail_to_user
from matching.models import Mentorship


def portal_link(name: str, *args: Any) -> str:
    """An absolute link; call it inside `context` so the language prefix is the volunteer's."""
    return settings.PORTAL_URL + reverse(name, args=args)


def mail_the_volunteer(
    mentorship: Mentorship,
    *,
    template: str,
    idempotency_key: str,
    context: Callable[[], dict[str, Any]],
    secret_context: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """`context` and `secret_context` (links that work without signing in, dropped once
    sent) run in the volunteer's language, so dates, names and links read in it.
    Newcomers are only ever named by their first name, and each mail is linked to the newcomer
    (and the language mediator) it tells about, so erasing them reaches it."""
    user = mentorship.volunteer.user
    if not user.email:
        return  # nothing to build either
    with translation.override(user.preferred_language):
        extra = context()
        secrets = secret_context() if secret_context else None
    enqueue_mail_to_user(
        user=user,
        template=template,
        context={"newcomer": mentorship.newcomer.first_name, **extra},
        secret_context=secrets,
        idempotency_key=idempotency_key,
        about=(mentorship.newcomer, mentorship.language_mediator),
    )
