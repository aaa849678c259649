"""A dropped database connection, simulated: reads run once more, writes are told to try again."""

import logging
import sqlite3
from decimal import Decimal

import psycopg
import pytest
from django.db import OperationalError, transaction
from django.utils import timezone

from ankommen.operations.database_blips import is_dropped_connection
from tests.factories import VolunteerFactory
from volunteers import services
from volunteers.models import HoursEntry
from volunteers.views import me


def _driver_error(error: Exception) -> OperationalError:
    """As Django raises it: its own class, the driver's error as the cause."""
    wrapped = OperationalError(str(error))
    wrapped.__cause__ = error
    return wrapped


def dropped() -> OperationalError:
    return _driver_error(
        psycopg.errors.AdminShutdown("terminating connection due to administrator command")
    )


def failing_once(function, error_factory=dropped):
    calls = []

    def fail_first(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise error_factory()
        return function(*args, **kwargs)

    fail_first.calls = calls
    return fail_first


@pytest.fixture
def signed_in_volunteer(client, seeded_vocabulary):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    # The test client re-raises every error a view raised, even one answered with a page.
    client.raise_request_exception = False
    return volunteer


def _hours_form(note: str) -> dict[str, str]:
    return {
        "worked_on": (timezone.localdate()).isoformat(),
        "hours": "1.5",
        "theme": "",
        "note": note,
    }


@pytest.mark.parametrize(
    "error",
    [
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CrashShutdown("terminating connection because of crash of another"),
        psycopg.errors.ConnectionFailure("server conn crashed?"),
        psycopg.OperationalError("consuming input failed: server closed the connection"),
        psycopg.OperationalError("the connection is closed"),
    ],
)
def test_the_server_ending_or_losing_the_connection_counts_as_dropped(error):
    assert is_dropped_connection(_driver_error(error))
    # Closing a server-side cursor raises the driver's error unwrapped.
    assert is_dropped_connection(error)


@pytest.mark.parametrize(
    "error",
    [
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg.errors.LockNotAvailable("could not obtain lock on row"),
        psycopg.errors.SerializationFailure("could not serialize access"),
        psycopg.errors.UndefinedTable('relation "nothing" does not exist'),
        sqlite3.OperationalError("database is locked"),
    ],
)
def test_real_database_errors_do_not_count_as_dropped(error):
    assert not is_dropped_connection(_driver_error(error))
    assert not is_dropped_connection(error)


def test_errors_that_are_not_operational_never_count():
    assert not is_dropped_connection(RuntimeError("server closed the connection"))
    assert not is_dropped_connection(OperationalError("no cause"))
    assert not is_dropped_connection(None)


@pytest.mark.django_db(transaction=True)
def test_a_read_that_meets_a_dropped_connection_runs_once_more(
    client, signed_in_volunteer, monkeypatch, caplog
):
    summary = failing_once(me.hours_summary)
    monkeypatch.setattr(me, "hours_summary", summary)

    with caplog.at_level(logging.WARNING, logger="ankommen.operations.database_blips"):
        response = client.get("/de/volunteers/me/hours/")

    assert response.status_code == 200
    assert len(summary.calls) == 2
    assert [record.getMessage() for record in caplog.records] == [
        "Database connection dropped: retried GET volunteers:my_hours once, answered 200."
    ]


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_in_a_middleware_is_retried_too(
    client, signed_in_volunteer, monkeypatch
):
    from ankommen.accounts import second_factor

    check = failing_once(second_factor._session_is_over)
    monkeypatch.setattr(second_factor, "_session_is_over", check)

    response = client.get("/de/volunteers/me/hours/")

    assert response.status_code == 200
    assert len(check.calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_read_is_retried_only_once(client, signed_in_volunteer, monkeypatch, caplog):
    calls = []

    def always_dropped(volunteer):
        calls.append(1)
        raise dropped()

    monkeypatch.setattr(me, "hours_summary", always_dropped)

    with caplog.at_level(logging.WARNING, logger="ankommen.operations.database_blips"):
        response = client.get("/en/volunteers/me/hours/?page=2")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert len(calls) == 2
    html = response.content.decode()
    assert "The portal lost its connection to the database for a moment." in html
    assert 'href="/en/volunteers/me/hours/?page=2"' in html
    assert len(caplog.records) == 1
    assert "answered 503" in caplog.records[0].getMessage()


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_is_not_retried(client, signed_in_volunteer, monkeypatch):
    summary = failing_once(me.hours_summary)
    monkeypatch.setattr(me, "hours_summary", summary)

    with transaction.atomic():
        response = client.get("/de/volunteers/me/hours/")

    assert response.status_code == 503
    assert len(summary.calls) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "direction", "nothing_saved"),
    [
        ("de", "ltr", "Es wurde nichts gespeichert."),
        ("ar", "rtl", "لم يُحفظ أي شيء."),
    ],
)
def test_a_write_that_meets_a_dropped_connection_is_told_to_try_again_in_its_language(
    client, signed_in_volunteer, monkeypatch, caplog, language, direction, nothing_saved
):
    log_hours = failing_once(services.log_hours)
    monkeypatch.setattr(services, "log_hours", log_hours)
    form_url = f"/{language}/volunteers/me/hours/"

    with caplog.at_level(logging.WARNING, logger="ankommen.operations.database_blips"):
        response = client.post(
            form_url, _hours_form("sent once"), headers={"referer": f"http://testserver{form_url}"}
        )

    assert response.status_code == 503
    assert len(log_hours.calls) == 1, "a write is never sent twice"
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert nothing_saved in html
    assert f'href="http://testserver{form_url}"' in html
    assert not HoursEntry.objects.exists()
    assert [record.getMessage() for record in caplog.records] == [
        "Database connection dropped: answered POST volunteers:my_hours with 503 "
        "(changes saved: False)."
    ]


@pytest.mark.django_db(transaction=True)
def test_a_write_that_was_saved_before_the_connection_dropped_says_so(
    client, signed_in_volunteer, monkeypatch
):
    real_log_hours = services.log_hours

    def saved_then_dropped(**kwargs):
        real_log_hours(**kwargs)
        raise dropped()

    monkeypatch.setattr(services, "log_hours", saved_then_dropped)

    response = client.post("/en/volunteers/me/hours/", _hours_form("saved"))

    assert response.status_code == 503
    assert "may have been saved" in response.content.decode()
    assert HoursEntry.objects.get().hours == Decimal("1.5")


@pytest.mark.django_db(transaction=True)
def test_another_operational_error_is_still_a_server_error(
    client, signed_in_volunteer, monkeypatch
):
    def lock_timeout():
        return _driver_error(psycopg.errors.LockNotAvailable("could not obtain lock"))

    locked = failing_once(me.hours_summary, lock_timeout)
    monkeypatch.setattr(me, "hours_summary", locked)

    response = client.get("/de/volunteers/me/hours/")

    assert response.status_code == 500
    assert len(locked.calls) == 1
    monkeypatch.setattr(me, "hours_summary", failing_once(me.hours_summary, lock_timeout))
    client.raise_request_exception = True
    with pytest.raises(OperationalError, match="could not obtain lock"):
        client.get("/de/volunteers/me/hours/")
