"""Two web processes behind a round-robin proxy, two Celery workers and one beat, on one
PostgreSQL and one Redis: sessions, rate limits, caches and the outbox behave as with one.

Runs in .ci/run after the PostgreSQL suite, on a scratch database (ankommen_scale_drill, dropped
at the end) and Redis database 5. Every request goes through the proxy, which sends each one
to the other gunicorn, so a browser's requests alternate between the two processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankommen .venv/bin/python -m tools.scale_drill
"""

import html
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse

import psycopg
import redis

from tools.round_robin_proxy import RoundRobinProxy
from tools.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parent.parent
_base = urlparse(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/ankommen")
if not _base.scheme.startswith("postgres"):
    sys.exit("the drill needs PostgreSQL: set DATABASE_URL to a postgres:// URL")
DATABASE_NAME = "ankommen_scale_drill"
DATABASE_URL = urlunparse(_base._replace(path=f"/{DATABASE_NAME}"))
REDIS_URL = os.environ.get("SCALE_DRILL_REDIS_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "drill-Passw0rd-ankommen"  # noqa: S105 (a scratch database's account)
MAILS = 200

os.environ.update(
    DJANGO_SETTINGS_MODULE="ankommen.settings.base",
    DATABASE_URL=DATABASE_URL,
    REDIS_URL=REDIS_URL,
    CELERY_BROKER_URL=REDIS_URL,
    DJANGO_LOG_LEVEL="WARNING",
)

import django

django.setup()

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction

from ankommen.accounts.models import Role, User
from ankommen.messaging.models import OutboxMessage
from ankommen.messaging.services import dispatch_messages, enqueue_mail
from ankommen.vocabulary.models import District
from tools.serving import free_port, gunicorn_command


class Browser:
    """One browser: its cookies, talking to the proxy, never following redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.backends: list[str] = []

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> "Page":
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        self.backends.append(response.getheader("X-Backend", "?"))
        return Page(response.status, response.getheader("Location", ""), text)

    def get(self, path: str) -> "Page":
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> "Page":
        return self.request("POST", path, form)


class Page:
    def __init__(self, status: int, location: str, text: str) -> None:
        self.status = status
        self.location = location
        self.text = html.unescape(text)


class Drill:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.checks: list[tuple[str, float]] = []

    def spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        with (self.folder / f"{name}.log").open("w") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
            )

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def wait(self, condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise DrillError(f"{name} died while waiting for {what}:\n{self.log(name)}")
            if time.monotonic() > deadline:
                raise DrillError(f"timed out waiting for {what}")
            time.sleep(0.1)

    @contextmanager
    def check(self, title: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.checks.append((title, time.monotonic() - started))
        print(f"  ok  {title} ({time.monotonic() - started:.1f} s)", flush=True)

    def stop(self) -> None:
        for process in self.processes.values():
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class DrillError(Exception):
    pass


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise DrillError(message)


def _admin_database() -> psycopg.Connection:
    url = urlunparse(_base._replace(path="/postgres"))
    return psycopg.connect(url, autocommit=True)


def create_database() -> None:
    with _admin_database() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def drop_database() -> None:
    connections.close_all()
    with _admin_database() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE_NAME}" WITH (FORCE)')


def make_account(email: str, role: str) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, role=role, full_name=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def csrf_from(page: Page) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    return match.group(1) if match else ""


def sign_in(browser: Browser, email: str, password: str) -> Page:
    form = browser.get("/en/accounts/login/")
    return browser.post(
        "/en/accounts/login/",
        {"login": email, "password": password, "csrfmiddlewaretoken": csrf_from(form)},
    )


def run(drill: Drill) -> None:
    sink = SmtpSink(min_delay=0.005, max_delay=0.020)
    sink.start()
    web_ports = [free_port(), free_port()]
    proxy = RoundRobinProxy(free_port(), [f"127.0.0.1:{port}" for port in web_ports])
    proxy.start()
    # Everything the processes share: the database, Redis, the secret key (CSRF tokens,
    # password-reset links and signed cookies made by one must be valid on the other).
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "scale-drill-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ANKOMMEN_PORTAL_URL": f"http://127.0.0.1:{proxy.server_port}",
        "ANKOMMEN_REQUIRE_SECOND_FACTOR": "false",
        "ANKOMMEN_HEARTBEAT_SECONDS": "1",
        "ANKOMMEN_VAR_DIR": str(drill.folder),
        "EMAIL_URL": sink.url,
    }
    celery = [sys.executable, "-m", "celery", "-A", "ankommen"]
    worker = [
        *celery, "worker", "--loglevel=INFO", "--concurrency=1",
        f"--queues={','.join(settings.WORKER_QUEUES)}",
    ]  # fmt: skip
    for number, port in enumerate(web_ports, start=1):
        drill.spawn(f"web{number}", gunicorn_command(port=port), env)
    for number in (1, 2):
        drill.spawn(f"worker{number}", [*worker, f"--hostname=drill{number}@%h"], env)
    drill.spawn("beat", [*celery, "beat", f"--schedule={drill.folder / 'beat'}"], env)

    coordinator, target = "coordinator@drill.example", "target@drill.example"
    make_account(coordinator, Role.COORDINATOR)
    make_account(target, Role.VOLUNTEER)
    browser = Browser(proxy.server_port)

    with drill.check("both web processes answer through the proxy, in turn"):
        for number, port in enumerate(web_ports, start=1):
            drill.wait(partial(_answers, port), f"web{number}")
        statuses = [browser.get("/healthz").status for _ in range(4)]
        expect(statuses == [200] * 4, f"/healthz answered {statuses}")
        expect(browser.backends[-4:] == ["1", "2", "1", "2"], f"backends {browser.backends}")

    with drill.check("a session made by one web process is valid on the other"):
        signed_in = sign_in(browser, coordinator, PASSWORD)
        expect(signed_in.status == 302, f"sign-in answered {signed_in.status}")
        pages = [browser.get("/en/volunteers/") for _ in range(4)]
        expect([page.status for page in pages] == [200] * 4, f"{[p.status for p in pages]}")
        expect(set(browser.backends[-4:]) == {"1", "2"}, f"backends {browser.backends}")

    with drill.check("a cached fragment's version is shared (a new district shows on both)"):
        name = "Drill-Vorstadt"
        before = [browser.get("/en/volunteers/").text for _ in range(2)]
        expect(all(name not in text for text in before), "the district exists already")
        with transaction.atomic():  # the version changes after commit, in the shared cache
            District.objects.create(name=name, slug="drill-vorstadt")
        after = [browser.get("/en/volunteers/") for _ in range(2)]
        expect(all(name in page.text for page in after), "a web process shows stale choices")

    with drill.check("failed sign-ins are counted across both web processes"):
        guesser = Browser(proxy.server_port)
        answers = [sign_in(guesser, target, "wrong-password") for _ in range(6)]
        refused = ["Too many failed sign-ins" in page.text for page in answers]
        expect(refused == [False] * 5 + [True], f"refused: {refused}")
        expect(set(guesser.backends) == {"1", "2"}, f"backends {guesser.backends}")

    with drill.check("beat and the workers run (heartbeat in /healthz)"):
        drill.wait(partial(_workers_ok, browser), "a heartbeat")

    with drill.check(f"{MAILS} mails, each handed to both workers, are delivered once each"):
        for number in (1, 2):
            drill.wait(partial(_ready, drill, f"worker{number}"), f"worker{number}")
        with transaction.atomic():
            rows = [
                enqueue_mail(
                    to_email=f"reader{number}@drill.example",
                    template="account/email/password_changed",
                    context={"user_display": f"Reader {number}"},
                    language="de",
                )
                for number in range(MAILS)
            ]
        ids = [row.pk for row in rows]
        dispatch_messages(message_ids=ids)  # a redelivery: both workers race for each row
        drill.wait(lambda: _sent(ids) == MAILS, "the mails", timeout=90)
        counts = sink.message_ids()
        expect(len(counts) == MAILS, f"{len(counts)} distinct mails arrived")
        twice = [message_id for message_id, count in counts.items() if count > 1]
        expect(not twice, f"sent twice: {twice}")
        for number in (1, 2):
            expect(_deliveries(drill.log(f"worker{number}")) > 0, f"worker{number} sent nothing")

    with drill.check("a password reset asked for through the proxy arrives"):
        form = browser.get("/en/accounts/password/reset/")
        asked = browser.post(
            "/en/accounts/password/reset/",
            {"email": target, "csrfmiddlewaretoken": csrf_from(form)},
        )
        expect(asked.status == 302, f"reset answered {asked.status}")
        drill.wait(lambda: sink.arrived_at(target) is not None, "the reset mail", timeout=30)
    proxy.shutdown()
    sink.stop()


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _workers_ok(browser: Browser) -> bool:
    return bool(json.loads(browser.get("/healthz").text)["workers"]["status"] == "ok")


def _ready(drill: Drill, name: str) -> bool:
    return "ready." in drill.log(name)


def _deliveries(log: str) -> int:
    return sum(
        "deliver_messages_task[" in line and "succeeded" in line for line in log.splitlines()
    )


def _sent(ids: list[int]) -> int:
    return OutboxMessage.objects.filter(pk__in=ids, state=OutboxMessage.State.SENT).count()


def main() -> None:
    started = time.monotonic()
    print(f"Scale drill on {DATABASE_NAME} and {REDIS_URL}", flush=True)
    redis.Redis.from_url(REDIS_URL).flushdb()
    create_database()
    with tempfile.TemporaryDirectory(prefix="scale-drill-") as folder:
        drill = Drill(Path(folder))
        try:
            run(drill)
        except DrillError as error:
            print(f"FAILED: {error}", file=sys.stderr)
            for name in drill.processes:
                print(f"--- {name}.log (end)\n{drill.log(name)[-3000:]}", file=sys.stderr)
            raise SystemExit(1) from error
        finally:
            drill.stop()
            drop_database()
            redis.Redis.from_url(REDIS_URL).flushdb()
    print(f"Scale drill passed: {len(drill.checks)} checks in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
