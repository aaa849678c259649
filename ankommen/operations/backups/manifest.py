"""What a backup says about itself: enough to refuse a wrong restore and to prove a right one."""

import json
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

FORMAT = "ankommen-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"


class BackupError(Exception):
    """Something the administrator must fix; the message says what (commands show no traceback)."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    database_kind: str  # "postgresql" or "sqlite"
    database_file: str
    database_sha256: str
    database_server: str
    portal_version: str
    portal_commit: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]
    media_files: int = 0
    media_bytes: int = 0
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    notes: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.row_counts.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str, *, source: str) -> "Manifest":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise BackupError(f"{source}: the manifest is not valid JSON ({error}).") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(f"{source} is not an Ankommen backup (its manifest is foreign).")
        if data.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{source} has backup format {data.get('format_version')!r}; this version of "
                f"Ankommen reads format {FORMAT_VERSION}. Restore it with the version that made it."
            )
        try:
            return cls(**data)
        except TypeError as error:
            raise BackupError(f"{source}: the manifest is incomplete ({error}).") from error


def portal_commit() -> str:
    """The checkout's commit when there is one (images carry no .git, so "unknown" there)."""
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments)
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def portal_version() -> str:
    import tomllib  # noqa: PLC0415 (only here)

    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as pyproject:
            return str(tomllib.load(pyproject)["project"]["version"])
    except (OSError, KeyError, ValueError):
        return "unknown"


def group_migrations(applied: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for app, name in applied:
        grouped.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(grouped.items())}


def unknown_migrations(migrations: Mapping[str, list[str]]) -> list[str]:
    """Migrations the backup's database has applied that this code does not have: restoring
    would give a schema the code does not understand, and `migrate` could not go back."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in known
    ]


def missing_migrations(migrations: Mapping[str, list[str]]) -> list[str]:
    """Migrations of this code that the backup's database has not applied yet (an older backup)."""
    applied = {(app, name) for app, names in migrations.items() for name in names}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    replaced = {key for migration in loader.graph.nodes.values() for key in migration.replaces}
    return sorted(
        f"{app}.{name}"
        for app, name in loader.graph.nodes
        if (app, name) not in applied and (app, name) not in replaced
    )


def compare_counts(
    expected: Mapping[str, int], actual: Mapping[str, int]
) -> list[tuple[str, int | None, int | None]]:
    """Tables whose rows differ, with the manifest's count and the restored one (None: absent)."""
    return [
        (table, expected.get(table), actual.get(table))
        for table in sorted(set(expected) | set(actual))
        if expected.get(table) != actual.get(table)
    ]
