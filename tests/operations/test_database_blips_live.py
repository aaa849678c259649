"""The database ends every connection of the portal again and again while people read and send
forms: nobody sees a 500, reads succeed, a failed form says so and left nothing half-saved."""

import http.client
import os
import secrets
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.brokers import database_url
from tests.factories import VolunteerFactory
from tools.serving import free_port, gunicorn_command
from volunteers.models import HoursEntry

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
LOAD_SECONDS = 20
# A blip, not a storm: a read's one retry must not meet the next kill.
KILL_EVERY_SECONDS = 2.0
CLIENT_THREADS = 8
NOTHING_SAVED = {"de": "Es wurde nichts gespeichert.", "ar": "لم يُحفظ أي شيء."}
MAY_HAVE_SAVED = {"de": "möglicherweise gespeichert", "ar": "ربما حُفظ"}


@dataclass(frozen=True)
class Answer:
    method: str
    language: str
    status: int
    body: str
    note: str = ""


@contextmanager
def portal_server(log: Path, var_dir: Path) -> Iterator[int]:
    """gunicorn as in production: threads with persistent connections and health checks."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ankommen.settings.base",
        "DATABASE_URL": database_url(),
        "ANKOMMEN_VAR_DIR": str(var_dir),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    command = [*gunicorn_command(workers=2, threads=4, port=port), "--access-logfile=/dev/null"]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 30
        while _get(port, "/healthz", "")[0] != 200:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield port
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _request(port: int, method: str, path: str, cookie: str, body: str = "") -> tuple[int, str]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode()
    except OSError as error:
        return 0, repr(error)


def _get(port: int, path: str, cookie: str) -> tuple[int, str]:
    return _request(port, "GET", path, cookie)


def _terminate_portal_connections() -> int:
    """Ends every other session of this test's own database, as a restart or failover would;
    other test runs on the same server use other databases and are left alone."""
    name = connection.settings_dict["NAME"]
    assert name.startswith("test_")
    with psycopg.connect(
        database_url().replace("postgres://", "postgresql://"), autocommit=True
    ) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return sum(1 for (ended,) in rows if ended)


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)  # a 32-character secret is accepted as the token as is
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}", csrf


def test_health_checks_replace_a_connection_that_died_between_requests(seeded_vocabulary, tmp_path):
    volunteer = VolunteerFactory()
    cookie, _csrf = _session_cookie(volunteer.user)
    log = tmp_path / "server.log"

    with portal_server(log, tmp_path / "var") as port:
        statuses = []
        for _round in range(3):
            statuses += [_get(port, "/de/volunteers/me/hours/", cookie)[0] for _ in range(8)]
            assert _terminate_portal_connections() > 0
            connection.close()
            statuses += [_get(port, "/de/volunteers/me/hours/", cookie)[0] for _ in range(8)]

    assert set(statuses) == {200}
    # Nothing was in flight at the kills: each dead connection was replaced before its first
    # query, with no error and no retry.
    assert "Database connection dropped" not in log.read_text()


def test_killing_the_database_connections_under_load_answers_no_500(
    seeded_vocabulary, tmp_path, record_property
):
    people = [_session_cookie(VolunteerFactory().user) for _ in range(CLIENT_THREADS)]
    log = tmp_path / "server.log"
    answers: list[Answer] = []
    kills: list[int] = []
    stop = threading.Event()
    worked_on = timezone.localdate().isoformat()

    def person(index: int, cookie: str, csrf: str) -> None:
        language = "ar" if index % 2 else "de"
        path = f"/{language}/volunteers/me/hours/"
        sent = 0
        while not stop.is_set():
            status, body = _get(port, path, cookie)
            answers.append(Answer("GET", language, status, body))
            status, body = _get(port, f"/{language}/volunteers/me/", cookie)
            answers.append(Answer("GET", language, status, body))
            sent += 1
            note = f"person {index} entry {sent}"
            form = urlencode(
                {
                    "csrfmiddlewaretoken": csrf,
                    "worked_on": worked_on,
                    "hours": "1.25",
                    "theme": "",
                    "note": note,
                }
            )
            status, body = _request(port, "POST", path, cookie, form)
            answers.append(Answer("POST", language, status, body, note))

    def killer() -> None:
        while not stop.wait(KILL_EVERY_SECONDS):
            kills.append(_terminate_portal_connections())

    with portal_server(log, tmp_path / "var") as port:
        threads = [
            threading.Thread(target=person, args=(index, cookie, csrf))
            for index, (cookie, csrf) in enumerate(people)
        ]
        threads.append(threading.Thread(target=killer))
        for thread in threads:
            thread.start()
        time.sleep(LOAD_SECONDS)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    connection.close()  # the kills ended this test's own connection as well
    server_log = log.read_text()

    statuses = Counter(f"{answer.method} {answer.status}" for answer in answers)
    record_property("requests", len(answers))
    record_property("kills", len(kills))
    record_property("sessions_ended", sum(kills))
    record_property("answers", dict(statuses))
    record_property("reads_retried", server_log.count("retried GET"))
    assert all(kills), "every kill must have ended connections"
    assert "Traceback" not in server_log
    assert "Internal Server Error" not in server_log
    assert not [a for a in answers if a.status >= 500 and a.status != 503], "no 500, ever"
    assert {a.status for a in answers if a.method == "GET"} == {200}, "every read succeeds"
    assert {a.status for a in answers if a.method == "POST"} <= {302, 503}
    assert server_log.count("retried GET") > 0, "some reads met a dropped connection"

    saved = Counter(HoursEntry.objects.values_list("note", flat=True))
    assert max(saved.values()) == 1, "no form was saved twice"
    for answer in answers:
        if answer.method != "POST":
            continue
        if answer.status == 302:
            assert saved[answer.note] == 1
        elif NOTHING_SAVED[answer.language] in answer.body:
            assert saved[answer.note] == 0, f"{answer.note} said nothing was saved"
        else:
            assert MAY_HAVE_SAVED[answer.language] in answer.body
