"""The restore drill: a backup is only as good as a restore that was tried.

For PostgreSQL and for the embedded SQLite default, each in scratch databases and folders:
seed demo data (with an authenticator app's encrypted secret and an uploaded file), back up
with `manage.py backup --with-keys`, restore into a NEW database with `manage.py restore`,
compare the rows of every table between the original and the copy (counted here, not by the
commands under test), check that the copy needs no migration and that the keys file opens the
second-factor secrets, then serve the copy with gunicorn and production settings and fetch
/healthz (through `manage.py healthcheck`, as compose does) and the demo newcomer's page.

    .venv/bin/python -m tools.restore_drill [--postgres postgres://postgres@127.0.0.1:5432/x]
        [--only postgresql|sqlite] [--keep]

Scratch databases are named ankommen_backup_drill_*; they are dropped at the end.
"""

import argparse
import http.client
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tools.serving import free_port, gunicorn_command

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DRILL_HOST = "restore-drill.example"
SOURCE_DB = "ankommen_backup_drill_source"
COPY_DB = "ankommen_backup_drill_copy"
# One process for the whole seeding (each manage.py start costs seconds). The authenticator's
# secret is encrypted by the source's key: only the keys file of the backup opens it in the copy.
SEED = """
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable")
call_command("seed_demo", verbosity=0)
admin = get_user_model().objects.get(email="admin@demo.ankommen.example")
TOTP.activate(admin, generate_totp_secret())
"""


class DrillError(Exception):
    pass


# Both drills run at once, each in a thread of its own driving its own processes.
CURRENT = threading.local()


def step(message: str) -> None:
    elapsed = time.monotonic() - CURRENT.started
    print(f"{CURRENT.kind:>10} {elapsed:5.1f} s  {message}", flush=True)


def manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DrillError(
            f"manage.py {' '.join(args)} exited {result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result.stdout + result.stderr


def base_environment(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ANKOMMEN_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    env.update(ANKOMMEN_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="ankommen.settings.base")
    return env


def fernet_key() -> str:
    from cryptography.fernet import Fernet  # noqa: PLC0415 (the locked environment has it)

    return Fernet.generate_key().decode()


def read_keys(path: Path) -> dict[str, str]:
    keys = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            keys[name] = value.strip("'")
    return keys


# --- Counting, independently of the code under test --------------------------------------


def count_rows_postgresql(url: str) -> dict[str, int]:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (catalogue names)
            row = cursor.fetchone()
            counts[table] = int(row[0]) if row else -1
        return counts


def count_rows_sqlite(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            table: int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608
            for table in tables
        }


def compare(source: dict[str, int], copy: dict[str, int]) -> None:
    differing = [
        f"{table}: {source.get(table)} -> {copy.get(table)}"
        for table in sorted(set(source) | set(copy))
        if source.get(table) != copy.get(table)
    ]
    if differing:
        raise DrillError("Row counts differ:\n  " + "\n  ".join(differing))
    if not source.get("mfa_authenticator") or not source.get("refugees_newcomer"):
        raise DrillError("The source database holds no demo data: nothing was compared.")
    step(f"row counts equal in all {len(source)} tables ({sum(source.values())} rows)")


# --- Serving the copy ---------------------------------------------------------------------


def get(port: int, path: str, cookies: dict[str, str]) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": DRILL_HOST, "X-Forwarded-Proto": "https"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    # Secure cookies over plain HTTP here, so kept by hand rather than by a cookie jar.
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return response


def production_settings(env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "ankommen.settings.production",
        "DJANGO_ALLOWED_HOSTS": DRILL_HOST,
        "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY", secrets.token_urlsafe(50)),
        "ANKOMMEN_MFA_KEYS": env.get("ANKOMMEN_MFA_KEYS", fernet_key()),
    }


def collect_static(var_dir: Path) -> Path:
    """Once for both drills: production settings serve hashed files from STATIC_ROOT."""
    manage(
        "collectstatic", "--no-input", "-v", "0", env=production_settings(base_environment(var_dir))
    )
    return var_dir / "static"


def serve_and_fetch(env: dict[str, str], var_dir: Path, static: "Future[Path]") -> None:
    production = production_settings(env)
    (var_dir / "static").symlink_to(static.result())
    port = free_port()
    log = (var_dir / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        [*gunicorn_command(port=port), "--graceful-timeout", "5"],
        cwd=ROOT, env=production, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise DrillError(
                        "gunicorn did not start:\n" + (var_dir / "gunicorn.log").read_text()
                    ) from None
                time.sleep(0.2)
        health = manage("healthcheck", "--url", f"http://127.0.0.1:{port}/healthz", env=production)
        if '"database": {"status": "ok"}' not in health:
            raise DrillError(f"/healthz on the copy: {health}")
        step(f"portal on the copy (gunicorn, production settings): /healthz {health.strip()}")
        cookies: dict[str, str] = {}
        card = get(port, "/n/demo-newcomer-card/", cookies)
        page = get(port, card.headers.get("Location", "/"), cookies) if card.status == 302 else card
        if card.status != 302 or page.status != 200:
            raise DrillError(
                f"The demo newcomer's card answered {card.status}, its page {page.status}."
            )
        step(f"the demo newcomer's card opens their page ({card.headers['Location']}: 200)")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# --- The drill, per database kind ---------------------------------------------------------


def seed(env: dict[str, str], var_dir: Path) -> None:
    manage("shell", "-c", SEED, env=env)
    upload = var_dir / "media" / "drill" / "Aufnahmebogen.txt"
    upload.parent.mkdir(parents=True)
    upload.write_text("Ein hochgeladenes Dokument.\n")


def back_up_and_restore(
    source_env: dict[str, str], copy_env: dict[str, str], work: Path
) -> dict[str, str]:
    manage("backup", "--to", str(work / "backups"), "--with-keys", env=source_env)
    archive = next((work / "backups").glob("*.tar.gz"))
    keys = read_keys(next((work / "backups").glob("*.keys.env")))
    step(f"backup {archive.name} ({archive.stat().st_size // 1024} KiB) and its keys file")
    # A different secret key on purpose: the second factors must open with the keys file alone.
    copy_env = {**copy_env, "ANKOMMEN_MFA_KEYS": keys["ANKOMMEN_MFA_KEYS"]}
    output = manage("restore", str(archive), env=copy_env)
    if "Row counts match" not in output:
        raise DrillError(f"restore did not confirm the row counts:\n{output}")
    step("restored into a new database")
    # Also runs the system checks on the database, among them whether the configured keys
    # open every stored second-factor secret (accounts.E003).
    manage("migrate", "--check", env=copy_env)
    step("the copy needs no migration, and the keys file opens its second-factor secrets")
    return copy_env


def check_upload(work: Path) -> None:
    restored = work / "copy" / "media" / "drill" / "Aufnahmebogen.txt"
    if restored.read_text() != "Ein hochgeladenes Dokument.\n":
        raise DrillError(f"The uploaded file was not restored to {restored}.")
    step("the uploaded file is back")


def drill_postgresql(server_url: str, work: Path, static: "Future[Path]") -> None:
    import psycopg  # noqa: PLC0415

    parts = urlsplit(server_url)

    def url(database: str) -> str:
        return urlunsplit(parts._replace(path=f"/{database}"))

    def recreate(*names: str, create: bool = True) -> None:
        with psycopg.connect(url("postgres"), autocommit=True) as admin:
            for name in names:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                if create:
                    admin.execute(f"CREATE DATABASE {name}")

    recreate(SOURCE_DB, COPY_DB)
    try:
        source_env = {
            **base_environment(work / "source"),
            "DATABASE_URL": url(SOURCE_DB),
            "ANKOMMEN_MFA_KEYS": fernet_key(),
        }
        seed(source_env, work / "source")
        step(f"seeded {SOURCE_DB}")
        copy_env = {
            **base_environment(work / "copy"),
            "DATABASE_URL": url(COPY_DB),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        }
        copy_env = back_up_and_restore(source_env, copy_env, work)
        compare(count_rows_postgresql(url(SOURCE_DB)), count_rows_postgresql(url(COPY_DB)))
        check_upload(work)
        serve_and_fetch(copy_env, work / "copy", static)
    finally:
        recreate(SOURCE_DB, COPY_DB, create=False)


def drill_sqlite(work: Path, static: "Future[Path]") -> None:
    # The embedded default as `make run` leaves it: no MFA keys set, derived from the secret key.
    source_env = base_environment(work / "source")
    seed(source_env, work / "source")
    step("seeded the embedded default (SQLite)")
    copy_env = {**base_environment(work / "copy"), "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    copy_env = back_up_and_restore(source_env, copy_env, work)
    compare(
        count_rows_sqlite(work / "source" / "ankommen.sqlite3"),
        count_rows_sqlite(work / "copy" / "ankommen.sqlite3"),
    )
    check_upload(work)
    serve_and_fetch(copy_env, work / "copy", static)


def run(kind: str, options: argparse.Namespace, static: "Future[Path]") -> bool:
    CURRENT.kind, CURRENT.started = kind, time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=f"ankommen-restore-drill-{kind}-"))
    try:
        if kind == "postgresql":
            drill_postgresql(options.postgres, work, static)
        else:
            drill_sqlite(work, static)
    except Exception as error:  # the drill reports every failure, then the other drill's result
        print(f"{kind:>10} FAILED: {error}", file=sys.stderr, flush=True)
        return False
    finally:
        if options.keep:
            step(f"scratch folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    step("passed")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DRILL_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="A PostgreSQL server (any database in it); scratch databases are made beside it.",
    )
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--keep", action="store_true", help="Keep the scratch folders.")
    options = parser.parse_args()
    kinds = [kind for kind in ("postgresql", "sqlite") if options.only in (None, kind)]
    started = time.monotonic()
    shared = Path(tempfile.mkdtemp(prefix="ankommen-restore-drill-static-"))
    try:
        with ThreadPoolExecutor(max_workers=len(kinds) + 1) as pool:
            static = pool.submit(collect_static, shared)
            results = list(pool.map(lambda kind: run(kind, options, static), kinds))
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    verdict = "passed" if all(results) else "FAILED"
    print(f"Restore drill {verdict} ({', '.join(kinds)}) in {time.monotonic() - started:.0f} s")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
