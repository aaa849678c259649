"""A database that drops the portal's connections for a moment (a restart, a failover, an
administrator ending sessions) costs a reader nothing and tells a writer to try again."""

import logging
import sys
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db import OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS = 5
# SQLSTATE class 08 is "connection exception"; 57P01-57P03 are the server ending or refusing
# sessions (administrator command, crash, still starting up). Everything else, a lock timeout or
# a cancelled statement among them, is a real error and stays a 500.
_CONNECTION_EXCEPTION_CLASS = "08"
_SERVER_ENDED_SESSION = frozenset({"57P01", "57P02", "57P03"})
_WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "MERGE")
# On the request: whether a change reached the database (committed) during it.
_CHANGED_ATTRIBUTE = "database_changed_during_request"


def is_dropped_connection(error: BaseException | None) -> bool:
    """Only the PostgreSQL driver's word counts: SQLite has no connection to lose, and its
    "database is locked" comes after a 20-second wait that a retry would only double."""
    # Django wraps the driver's error in its own class, except where it leaves psycopg alone
    # (closing a server-side cursor, as ModelChoiceField's choices use).
    cause = error.__cause__ if isinstance(error, OperationalError) else error
    if cause is None or not _is_psycopg_operational_error(cause):
        return False
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate.startswith(_CONNECTION_EXCEPTION_CLASS) or sqlstate in _SERVER_ENDED_SESSION
    # psycopg raises an OperationalError without a SQLSTATE only when it cannot talk to the
    # server at all ("the connection is closed", "server closed the connection unexpectedly").
    return True


def _is_psycopg_operational_error(error: BaseException) -> bool:
    # By name: the embedded SQLite default does not need psycopg installed.
    return any(
        cls.__name__ == "OperationalError" and cls.__module__.startswith("psycopg")
        for cls in type(error).__mro__
    )


class DatabaseUnavailableResponse(HttpResponse):
    """The 503 page that stands in for a 500 when the database connection dropped."""

    status_code = 503


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it for an uncaught error in any middleware or view."""
    if not is_dropped_connection(sys.exc_info()[1]):
        return defaults.server_error(request)
    return unavailable_response(request)


def unavailable_response(request: HttpRequest) -> DatabaseUnavailableResponse:
    # Rendered without the request: context processors and the session would need the
    # database that just went away. The language is still active from LocaleMiddleware.
    is_read = request.method in SAFE_METHODS
    back = request.META.get("HTTP_REFERER", "")
    context = {
        "is_read": is_read,
        "may_have_saved": getattr(request, _CHANGED_ATTRIBUTE, False),
        "retry_url": request.get_full_path() if is_read else None,
        "back_url": back
        if not is_read and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        else None,
    }
    response = DatabaseUnavailableResponse(render_to_string("503_database.html", context))
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # The middleware logs one line for the whole request; without this Django would log every
    # 503 again as an error with the traceback of an expected event.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


class DatabaseBlipMiddleware:
    """Outermost middleware: a read that met a dropped connection runs once more on a new one;
    everything else keeps the 503 page that server_error put in place of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        setattr(request, _CHANGED_ATTRIBUTE, False)
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(_ChangeWatch(request)))
            return self._respond(request)

    def _respond(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, DatabaseUnavailableResponse):
            return response
        # An enclosing transaction (a test's, or a caller's) would not survive a new
        # connection, and a change must never be sent twice: both get the page.
        if request.method not in SAFE_METHODS or _in_transaction():
            logger.warning(
                "Database connection dropped: answered %s %s with 503 (changes saved: %s).",
                request.method,
                _view_name(request),
                getattr(request, _CHANGED_ATTRIBUTE),
            )
            return response
        _close_connections()
        response = self.get_response(request)
        logger.warning(
            "Database connection dropped: retried %s %s once, answered %s.",
            request.method,
            _view_name(request),
            response.status_code,
        )
        return response


class _ChangeWatch:
    """Notes a change once it is committed: a form's sender is told "nothing was saved" only
    when that is true."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        result = execute(sql, params, many, context)
        if sql.lstrip()[:6].upper().startswith(_WRITE_STATEMENTS):
            connection: BaseDatabaseWrapper = context["connection"]
            if connection.in_atomic_block:
                connection.on_commit(self._changed)
            else:
                self._changed()
        return result

    def _changed(self) -> None:
        setattr(self.request, _CHANGED_ATTRIBUTE, True)


def _in_transaction() -> bool:
    return any(c.in_atomic_block for c in connections.all(initialized_only=True))


def _close_connections() -> None:
    # Within a request Django checks a connection's health only before its first query, so a
    # connection that died since then must be dropped by hand; the retry opens a new one.
    for connection in connections.all(initialized_only=True):
        connection.close()


def _view_name(request: HttpRequest) -> str:
    # The URL's name, not its path: paths may carry ids and one-time keys.
    match = request.resolver_match
    if match is None:  # the connection dropped in a middleware, before the URL was resolved
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "(no view)"
    return match.view_name
