"""The entry a visitor wants to help with, kept in their session from "I want to help" until
they may sign up: through registration, the e-mail confirmation (in the same browser) and the
consent of the volunteer onboarding. Nothing about it is stored in the database before then."""

from django.contrib.sessions.backends.base import SessionBase

from board.sources import SOURCES

SESSION_KEY = "board:wanted"


def remember(session: SessionBase, kind: str, pk: int) -> None:
    session[SESSION_KEY] = f"{kind}:{pk}"


def recall(session: SessionBase) -> tuple[str, int] | None:
    """The wanted entry, or None (a value that no longer makes sense is dropped)."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str):
        return None
    kind, _sep, pk = value.partition(":")
    if kind not in SOURCES or not pk.isdigit():
        forget(session)
        return None
    return kind, int(pk)


def forget(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)
