"""Backups that restore: one archive with the database, the uploaded files and a manifest."""

from .archive import (
    BackupResult,
    RestoreResult,
    create_backup,
    read_manifest,
    restore_backup,
    write_keys,
)
from .manifest import BackupError, Manifest, compare_counts

__all__ = [
    "BackupError",
    "BackupResult",
    "Manifest",
    "RestoreResult",
    "compare_counts",
    "create_backup",
    "read_manifest",
    "restore_backup",
    "write_keys",
]
