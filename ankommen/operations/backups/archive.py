"""One archive per backup (manifest, database, uploaded files); the keys in a file of their own."""

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from . import engines
from .manifest import (
    MANIFEST_NAME,
    BackupError,
    Manifest,
    compare_counts,
    missing_migrations,
    portal_commit,
    portal_version,
    unknown_migrations,
)

MEDIA_PREFIX = "media"
DATABASE_FILES = {engines.POSTGRESQL: "database.pgdump", engines.SQLITE: "database.sqlite3"}
Report = Callable[[str], None]


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    manifest: Manifest
    keys_file: Path | None


@dataclass(frozen=True)
class RestoreResult:
    manifest: Manifest
    restored_counts: dict[str, int]
    mismatches: list[tuple[str, int | None, int | None]]
    missing_migrations: list[str]
    dropped_tables: list[str]
    media_restored_to: Path | None
    media_set_aside: Path | None
    unopened_authenticators: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _private_file(path: Path) -> int:
    """Backups hold personal data (and keys files secrets): readable by the owner only."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)


def create_backup(*, to: Path, with_keys: bool = False, report: Report = print) -> BackupResult:
    """A copy of the database (one snapshot), of the uploaded files and a manifest of both."""
    wrapper = connections["default"]
    kind = engines.database_kind(wrapper)
    created_at = timezone.now()
    stem = f"ankommen-backup-{created_at:%Y%m%d-%H%M%S}"
    to.mkdir(parents=True, exist_ok=True)
    archive = to / f"{stem}.tar.gz"
    partial = to / f".{stem}.tar.gz.partial"
    media_root = Path(settings.MEDIA_ROOT)
    media = _media_files(media_root)

    with tempfile.TemporaryDirectory(prefix="ankommen-backup-") as scratch:
        database_file = Path(scratch) / DATABASE_FILES[kind]
        report(f"Copying the {engines.describe(wrapper)} ...")
        if kind == engines.POSTGRESQL:
            snapshot = engines.dump_postgresql(wrapper, database_file)
        else:
            snapshot = engines.dump_sqlite(wrapper, database_file)
        manifest = Manifest(
            created_at=created_at.isoformat(),
            database_kind=kind,
            database_file=database_file.name,
            database_sha256=_sha256(database_file),
            database_server=snapshot.server,
            portal_version=portal_version(),
            portal_commit=portal_commit(),
            migrations=snapshot.migrations,
            row_counts=snapshot.row_counts,
            media_files=len(media),
            media_bytes=sum(path.stat().st_size for path in media),
            notes=[
                "The second-factor keys (ANKOMMEN_MFA_KEYS) are not in this archive: keep "
                "them apart from it (backup --with-keys writes them to a file of their own)."
            ],
        )
        report(f"Packing {len(media)} uploaded files from {media_root} ...")
        with (
            os.fdopen(_private_file(partial), "wb") as stream,
            tarfile.open(fileobj=stream, mode="w:gz") as tar,
        ):
            data = manifest.to_json().encode()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime, info.mode = len(data), int(created_at.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(database_file, arcname=database_file.name, recursive=False)
            for path in media:
                tar.add(path, arcname=f"{MEDIA_PREFIX}/{path.relative_to(media_root)}")
        # Only a finished archive gets its name: a backup cut short never looks complete.
        partial.replace(archive)

    keys_file = write_keys(to / f"{stem}.keys.env", archive=archive) if with_keys else None
    return BackupResult(archive=archive, manifest=manifest, keys_file=keys_file)


def write_keys(path: Path, *, archive: Path) -> Path:
    """The keys that open what the backup holds in encrypted or signed form, ready to go into
    the restored installation's environment (.env)."""
    derived = not os.environ.get("ANKOMMEN_MFA_KEYS")
    lines = [
        f"# Keys for the Ankommen backup {archive.name}.",
        "# KEEP THIS FILE SECRET AND APART FROM THE BACKUP. With it, whoever holds the backup",
        "# can read the second-factor (TOTP) secrets of coordinators and administrators and",
        "# sign links in the portal's name. Store it like a password (a password manager, a",
        "# safe), not next to the archive.",
        "# To restore: put these lines into the environment (.env) of the restored portal.",
    ]
    if derived:
        lines.append(
            "# ANKOMMEN_MFA_KEYS was not set: this key was derived from DJANGO_SECRET_KEY."
        )
    lines += [
        f"ANKOMMEN_MFA_KEYS='{','.join(settings.MFA_ENCRYPTION_KEYS)}'",
        # Unsubscribe links in newsletters already sent are signed with it.
        f"DJANGO_SECRET_KEY='{settings.SECRET_KEY}'",
    ]
    with os.fdopen(_private_file(path), "w") as stream:
        stream.write("\n".join(lines) + "\n")
    return path


def read_manifest(archive: Path) -> Manifest:
    """The manifest of an archive; a clear refusal for anything that is not one of ours."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist (or is not a file).")
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            member = tar.extractfile(MANIFEST_NAME)
            if member is None:
                raise KeyError(MANIFEST_NAME)
            text = member.read().decode()
    except tarfile.ReadError as error:
        raise BackupError(
            f"{archive} is not a backup archive (not a .tar.gz file that `backup` made)."
        ) from error
    except KeyError as error:
        raise BackupError(f"{archive} is not an Ankommen backup: it has no {MANIFEST_NAME}.") from (
            error
        )
    except (OSError, EOFError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is damaged and cannot be read: {error}") from error
    return Manifest.from_json(text, source=str(archive))


def _extract(archive: Path, manifest: Manifest, scratch: Path) -> tuple[Path, Path]:
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            # The "data" filter refuses absolute paths, links out of the folder and devices.
            tar.extractall(scratch, filter="data")
    except (OSError, EOFError, tarfile.TarError) as error:
        raise BackupError(f"{archive} is damaged and cannot be unpacked: {error}") from error
    database_file = scratch / manifest.database_file
    if not database_file.is_file():
        raise BackupError(f"{archive} is incomplete: {manifest.database_file} is missing.")
    if _sha256(database_file) != manifest.database_sha256:
        raise BackupError(
            f"{archive} is damaged: {manifest.database_file} does not match its checksum."
        )
    return database_file, scratch / MEDIA_PREFIX


def restore_backup(
    *,
    archive: Path,
    database_url: str | None = None,
    media_root: Path | None = None,
    replace: bool = False,
    report: Report = print,
) -> RestoreResult:
    """Restores into the configured database (or the one at `database_url`), then counts."""
    manifest = read_manifest(archive)
    newer = unknown_migrations(manifest.migrations)
    if newer:
        shown = ", ".join(newer[:5]) + (" ..." if len(newer) > 5 else "")
        raise BackupError(
            f"The backup was made by a newer version of Ankommen: its database has migrations "
            f"this code does not know ({shown}). Restore it with that version (commit "
            f"{manifest.portal_commit}), or update this installation first."
        )
    wrapper = engines.connection_for(database_url)
    kind = engines.database_kind(wrapper)
    if kind != manifest.database_kind:
        name = engines.KIND_NAMES.get(manifest.database_kind, manifest.database_kind)
        raise BackupError(
            f"The backup holds a {name} database, but the target is the "
            f"{engines.describe(wrapper)}. Restore it into a {name} database."
        )
    if media_root is None and database_url is None:
        media_root = Path(settings.MEDIA_ROOT)

    existing = engines.user_tables(wrapper)
    media_present = media_root is not None and any(_media_files(media_root))
    if (existing or media_present) and not replace:
        held = [f"{len(existing)} tables in the {engines.describe(wrapper)}"] if existing else []
        held += [f"uploaded files in {media_root}"] if media_present else []
        raise BackupError(
            f"The target is not empty ({' and '.join(held)}). Restoring replaces all of it: "
            "run again with --yes, or restore into a new, empty database (--into-database)."
        )

    with tempfile.TemporaryDirectory(prefix="ankommen-restore-") as scratch:
        report(f"Checking {archive.name} ...")
        database_file, media_folder = _extract(archive, manifest, Path(scratch))
        # The ORM's own connection must not hold the file or old state while we replace them.
        connections.close_all()
        report(f"Restoring into the {engines.describe(wrapper)} ...")
        dropped: list[str] = []
        if kind == engines.POSTGRESQL:
            engines.restore_postgresql(wrapper, database_file, replace=existing)
            dropped = sorted(set(existing) - set(manifest.row_counts))
        else:
            engines.restore_sqlite(wrapper, database_file)
        set_aside = None
        if media_root is not None:
            set_aside = _restore_media(media_folder, media_root, report=report)

    _, restored = engines.inspect(wrapper)
    return RestoreResult(
        manifest=manifest,
        restored_counts=restored,
        mismatches=compare_counts(manifest.row_counts, restored),
        missing_migrations=missing_migrations(manifest.migrations),
        dropped_tables=dropped,
        media_restored_to=media_root,
        media_set_aside=set_aside,
        unopened_authenticators=unopened_authenticators(wrapper),
    )


def _restore_media(source: Path, media_root: Path, *, report: Report) -> Path | None:
    """Files there before are set aside, not deleted: the administrator decides."""
    set_aside = None
    if media_root.exists() and any(media_root.iterdir()):
        set_aside = media_root.with_name(
            f"{media_root.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}"
        )
        media_root.rename(set_aside)
    media_root.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        report(f"Restoring uploaded files into {media_root} ...")
        shutil.copytree(source, media_root, dirs_exist_ok=True)
    return set_aside


def unopened_authenticators(wrapper: BaseDatabaseWrapper) -> int:
    """Second-factor secrets the configured keys cannot open: a restore without the backup's
    keys leaves everyone with an authenticator app unable to sign in."""
    from ankommen.accounts.mfa_encryption import (  # noqa: PLC0415
        SECRET_FIELDS,
        SecondFactorKeyError,
        decrypt,
        is_encrypted,
        transform_secrets,
    )

    if wrapper is connections["default"]:
        # The restored rows, not what the ORM's connection may still have cached.
        connections.close_all()
    kinds = [str(kind) for kind in SECRET_FIELDS]
    unopened = 0
    with wrapper.cursor() as cursor:
        if "mfa_authenticator" not in wrapper.introspection.table_names(cursor):
            return 0
        placeholders = ", ".join(["%s"] * len(kinds))
        cursor.execute(
            f"SELECT type, data FROM mfa_authenticator WHERE type IN ({placeholders})",  # noqa: S608
            kinds,
        )
        for kind, data in cursor.fetchall():
            values = data if isinstance(data, dict) else json.loads(data)
            try:
                transform_secrets(kind, values, lambda v: decrypt(v) if is_encrypted(v) else v)
            except SecondFactorKeyError:
                unopened += 1
    if wrapper is not connections["default"]:
        wrapper.close()
    return unopened
