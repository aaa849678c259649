"""Copying the database out and back in: pg_dump/pg_restore for PostgreSQL, the online backup
API for SQLite. Both read one consistent snapshot while the portal keeps running."""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import environ
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from .manifest import BackupError, group_migrations

POSTGRESQL = "postgresql"
SQLITE = "sqlite"
KIND_NAMES = {POSTGRESQL: "PostgreSQL", SQLITE: "SQLite"}


class Cursor(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


@dataclass(frozen=True)
class Snapshot:
    """What was copied: the file, and the rows and migrations of exactly that copy."""

    server: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]


def database_kind(wrapper: BaseDatabaseWrapper) -> str:
    if wrapper.vendor == "postgresql":
        return POSTGRESQL
    if wrapper.vendor == "sqlite":
        return SQLITE
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {wrapper.vendor}.")


def connection_for(url: str | None) -> BaseDatabaseWrapper:
    """The portal's own database, or another one named by a URL (a copy to restore into)."""
    if not url:
        return connections["default"]
    try:
        config = environ.Env.db_url_config(url)
    except Exception as error:
        raise BackupError(f"Cannot read the database URL {url!r}: {error}") from error
    return ConnectionHandler({"default": config})["default"]


def describe(wrapper: BaseDatabaseWrapper) -> str:
    settings = wrapper.settings_dict
    if wrapper.vendor == "sqlite":
        return f"SQLite file {settings['NAME']}"
    host = settings.get("HOST") or "local socket"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"PostgreSQL database {settings['NAME']!r} on {host}{port}"


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor: Cursor, kind: str) -> list[str]:
    if kind == SQLITE:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        # The tables Django sees (the search path), as introspection does; no views.
        cursor.execute(
            "SELECT c.relname FROM pg_catalog.pg_class c "
            "WHERE c.relkind IN ('r', 'p') AND pg_catalog.pg_table_is_visible(c.oid) "
            "AND c.relnamespace NOT IN (SELECT oid FROM pg_catalog.pg_namespace "
            "WHERE nspname IN ('pg_catalog', 'information_schema'))"
        )
    return sorted(row[0] for row in cursor.fetchall())


def row_counts(cursor: Cursor, kind: str) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor, kind):
        # The names come from the database's own catalogue, quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor: Cursor, kind: str) -> dict[str, list[str]]:
    if "django_migrations" not in table_names(cursor, kind):
        return {}
    cursor.execute("SELECT app, name FROM django_migrations")
    return group_migrations((str(app), str(name)) for app, name in cursor.fetchall())


@contextmanager
def raw_connection(wrapper: BaseDatabaseWrapper) -> Iterator[Any]:
    """A connection of our own, apart from the one Django's ORM holds (transactions differ)."""
    try:
        raw = wrapper.get_new_connection(wrapper.get_connection_params())
    except Exception as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise BackupError(f"Cannot connect to the {describe(wrapper)}: {first_line}") from error
    try:
        yield raw
    finally:
        raw.close()


def inspect(wrapper: BaseDatabaseWrapper) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Applied migrations and rows per table of a database, as it is now."""
    kind = database_kind(wrapper)
    if kind == SQLITE:
        path = Path(wrapper.settings_dict["NAME"])
        if not path.exists():
            return {}, {}
        with closing(sqlite3.connect(path)) as raw, closing(raw.cursor()) as cursor:
            return applied_migrations(cursor, kind), row_counts(cursor, kind)
    with raw_connection(wrapper) as raw, raw.cursor() as cursor:
        result = applied_migrations(cursor, kind), row_counts(cursor, kind)
        raw.rollback()
        return result


# --- PostgreSQL -----------------------------------------------------------------------------


def _client(program: str, server_major: int | None) -> str:
    path = shutil.which(program)
    if path is None:
        version = f"-{server_major}" if server_major else ""
        raise BackupError(
            f"{program} was not found. Install the PostgreSQL client tools of the server's "
            f"version (Debian/Ubuntu: apt-get install postgresql-client{version})."
        )
    return path


def _libpq_environment(wrapper: BaseDatabaseWrapper) -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore, passed in the environment so that the
    password never shows in the process list."""
    settings = wrapper.settings_dict
    _, extra = wrapper.client.settings_to_cmd_args_env(settings, [])
    environment = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings.get(key):
            environment[variable] = str(settings[key])
    environment["PGDATABASE"] = str(settings["NAME"])
    return environment


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 (a fixed program with our own arguments)
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-8:])
        hint = ""
        if "version mismatch" in result.stderr:
            hint = "\nInstall the PostgreSQL client tools of the server's major version."
        raise BackupError(f"{what} failed:\n{detail}{hint}")


def _server_major(cursor: Cursor) -> tuple[int, str]:
    cursor.execute("SHOW server_version")
    version = str(cursor.fetchone()[0])
    return int(version.split(".")[0]), f"PostgreSQL {version}"


def dump_postgresql(wrapper: BaseDatabaseWrapper, target: Path) -> Snapshot:
    """pg_dump reads the snapshot our transaction exported, so the counts in the manifest are
    those of exactly the rows in the dump, even while the portal writes."""
    with raw_connection(wrapper) as raw, raw.cursor() as cursor:
        major, server = _server_major(cursor)
        program = _client("pg_dump", major)
        raw.rollback()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        migrations = applied_migrations(cursor, POSTGRESQL)
        counts = row_counts(cursor, POSTGRESQL)
        _run(
            [program, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            _libpq_environment(wrapper),
            "pg_dump",
        )
        raw.rollback()
    return Snapshot(server=server, migrations=migrations, row_counts=counts)


def user_tables(wrapper: BaseDatabaseWrapper) -> list[str]:
    kind = database_kind(wrapper)
    if kind == SQLITE:
        path = Path(wrapper.settings_dict["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return []
        try:
            with closing(sqlite3.connect(path)) as raw, closing(raw.cursor()) as cursor:
                return table_names(cursor, kind)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a SQLite database: {error}") from error
    with raw_connection(wrapper) as raw, raw.cursor() as cursor:
        names = table_names(cursor, kind)
        raw.rollback()
        return names


def restore_postgresql(wrapper: BaseDatabaseWrapper, dump: Path, *, replace: list[str]) -> None:
    """One transaction: a restore that fails half-way leaves the database as it was. Tables to
    replace are dropped first, in the same transaction, together with whatever depends on them:
    tables of newer migrations than the backup's (after a failed upgrade) would otherwise keep
    foreign keys to the tables being replaced, and the next `migrate` would trip over them."""
    with raw_connection(wrapper) as raw, raw.cursor() as cursor:
        major, _ = _server_major(cursor)
        raw.rollback()
    environment = _libpq_environment(wrapper)
    # The objects belong to whoever restores; grants to roles of the old server are left out.
    restore = [_client("pg_restore", major), "--no-owner", "--no-privileges"]
    if not replace:
        single = [
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={environment['PGDATABASE']}",
        ]
        _run([*restore, *single, str(dump)], environment, "pg_restore")
        return
    environment["PGOPTIONS"] = "-c client_min_messages=warning"
    drop = "DROP TABLE IF EXISTS " + ", ".join(quote(table) for table in replace) + " CASCADE"
    script = [*restore, "--clean", "--if-exists", "--file=-", str(dump)]
    psql = [_client("psql", major), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
    producer = subprocess.Popen(  # noqa: S603 (fixed programs with our own arguments)
        script, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        result = subprocess.run(  # noqa: S603
            [*psql, "-c", drop, "-f", "-"],
            env=environment,
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        # Closed before waiting: if psql stopped early, pg_restore must not block on the pipe.
        if producer.stdout:
            producer.stdout.close()
        producer_errors = producer.stderr.read().decode() if producer.stderr else ""
        producer.wait()
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-8:])
        raise BackupError(f"Restoring failed; the database is unchanged:\n{detail}")
    if producer.returncode != 0:
        raise BackupError(f"pg_restore failed:\n{producer_errors.strip()}")


# --- SQLite ---------------------------------------------------------------------------------


def dump_sqlite(wrapper: BaseDatabaseWrapper, target: Path) -> Snapshot:
    """SQLite's online backup API copies a consistent state while the portal writes (WAL)."""
    path = Path(wrapper.settings_dict["NAME"])
    if not path.is_file():
        raise BackupError(f"There is no database to back up: {path} does not exist.")
    with (
        closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
        # A self-contained file: no -wal beside it is needed to read it.
        copy.execute("PRAGMA journal_mode = DELETE")
        with closing(copy.cursor()) as cursor:
            migrations = applied_migrations(cursor, SQLITE)
            counts = row_counts(cursor, SQLITE)
    return Snapshot(
        server=f"SQLite {sqlite3.sqlite_version}", migrations=migrations, row_counts=counts
    )


def restore_sqlite(wrapper: BaseDatabaseWrapper, copy: Path) -> None:
    """Through SQLite itself, not a file copy: a -wal file beside the target stays coherent."""
    path = Path(wrapper.settings_dict["NAME"])
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(copy)) as source, closing(sqlite3.connect(path)) as target:
            source.backup(target)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"Restoring into {path} failed: {error}") from error
