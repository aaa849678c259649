"""Access and request logs never record a link that works like a password."""

import io
import logging
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from gunicorn.config import Config

from ankommen.operations.gunicorn_conf import RedactingLogger
from ankommen.operations.log_redaction import REDACTED, redact
from refugees.services import issue_access_link
from tests.brokers import ROOT, database_url
from tests.factories import NewcomerFactory, UserFactory
from tools.serving import free_port, gunicorn_command
from trainings.services import renew_calendar_feed

# Converters whose value is a bearer token (or part of one, like allauth's uidb36-key).
TOKEN_NAMES = {"token", "key", "uidb36", "code"}
SAMPLE = {"token": "Tok3nSecret", "key": "K3ySecret-x", "uidb36": "z9", "code": "C0deSecret"}
EXPECTED = {
    "newcomer_access",
    "calendar_feed",
    "accounts:invite",
    "accounts:sign_in_link",
    "account_confirm_email",
    "account_reset_password_from_key",
    "messaging:subscription_confirm",
    "messaging:unsubscribe",
    "matching:check_in",
}


def token_patterns(resolver=None, namespace=""):
    """(URL name, names of its token converters) for every pattern in the URL conf."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from token_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names = set(pattern.pattern.regex.groupindex) & TOKEN_NAMES
            if names:
                yield f"{namespace}{pattern.name}", names


def test_every_url_with_a_token_is_redacted_and_other_paths_are_kept():
    found = dict(token_patterns())
    assert set(found) >= EXPECTED

    for name, converters in found.items():
        with translation.override("de"):
            path = reverse(name, kwargs={converter: SAMPLE[converter] for converter in converters})
        logged = redact(f'GET {path}?answer=good HTTP/1.1" 200 "https://p.example{path}"')
        assert not any(SAMPLE[converter] in logged for converter in converters), (name, logged)
        assert REDACTED in logged
        assert "answer=good" not in logged

    assert redact("GET /de/volunteers/12/ HTTP/1.1") == "GET /de/volunteers/12/ HTTP/1.1"


@contextmanager
def console_output(logger_name: str) -> Iterator[io.StringIO]:
    """What the configured console handler of a logger writes, as settings.LOGGING sets it up."""
    [handler] = [
        handler
        for handler in logging.getLogger(logger_name).handlers
        if isinstance(handler, logging.StreamHandler) and handler.filters
    ]
    output = io.StringIO()
    previous = handler.setStream(output)
    try:
        yield output
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_django_request_logging_hides_the_token_of_an_unknown_check_in(client):
    with console_output("") as output:
        response = client.get(reverse("matching:check_in", args=["Tok3nSecret"]))

    assert response.status_code == 400
    assert "/check-in/" in output.getvalue()
    assert "Tok3nSecret" not in output.getvalue()


def test_runserver_request_lines_hide_the_token():
    with console_output("django.server") as output:
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /n/Tok3nSecret/ HTTP/1.1", "302", "0"
        )

    assert "GET /n/" in output.getvalue()
    assert "Tok3nSecret" not in output.getvalue()


def test_gunicorn_error_log_hides_the_token(tmp_path):
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = RedactingLogger(config)

    logger.error("Error handling request %s", "/n/Tok3nSecret/?next=/de/")

    assert "/n/" in (tmp_path / "error.log").read_text()
    assert "Tok3nSecret" not in (tmp_path / "error.log").read_text()


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local test server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_gunicorn_as_the_image_runs_it_logs_no_token(tmp_path):
    newcomer = NewcomerFactory()
    card_token = issue_access_link(newcomer=newcomer, by=UserFactory(role="coordinator")).token
    feed_token = renew_calendar_feed(user=UserFactory())
    port = free_port()
    log = tmp_path / "access.log"
    env = {
        "DJANGO_SETTINGS_MODULE": "ankommen.settings.base",
        "DATABASE_URL": database_url(),
        "PATH": "",
    }
    server = subprocess.Popen(
        [*gunicorn_command(port=port), f"--access-logfile={log}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)

        feed = get(f"{base}/calendar/{feed_token}.ics")
        card = get(f"{base}/n/{card_token}/")
        check_in = get(f"{base}/de/matching/check-in/Tok3nSecret/?answer=good")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()

    assert (feed, card, check_in) == (200, 200, 400)
    logged = log.read_text() + output
    assert "/calendar/" in logged
    assert "/n/" in logged
    assert "/check-in/" in logged
    for token in (feed_token, card_token, "Tok3nSecret", "answer=good"):
        assert token not in logged
