from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ankommen.operations.backups import BackupError, RestoreResult, restore_backup


def quiet(message: str) -> None:
    """Progress is not shown with --verbosity 0."""


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database (or another, "
        "empty one), then compare every table's rows with the backup's manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz archive `backup` wrote.")
        parser.add_argument(
            "--into-database",
            metavar="URL",
            help="Restore into this database instead of DATABASE_URL, e.g. "
            "postgres://user@host:5432/ankommen_copy or sqlite:////srv/copy.sqlite3 "
            "(uploaded files are then left alone unless --media-root is given).",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="Where the uploaded files go (default: MEDIA_ROOT when restoring into the "
            "configured database).",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace a database (and uploaded files) that are not empty.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report: Callable[[str], None] = self.stdout.write if options["verbosity"] >= 1 else quiet
        try:
            result = restore_backup(
                archive=options["archive"],
                database_url=options["into_database"],
                media_root=options["media_root"],
                replace=options["yes"],
                report=report,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1 or result.mismatches:
            self.report(result, verbosity=options["verbosity"])
        if result.mismatches:
            raise CommandError(
                "The restored database does not hold what the backup's manifest lists; "
                "do not use it. Tables that differ are listed above."
            )

    def report(self, result: RestoreResult, *, verbosity: int) -> None:
        manifest = result.manifest
        self.stdout.write(
            f"Backup of {manifest.created_at} ({manifest.database_server}, Ankommen "
            f"{manifest.portal_version}, commit {manifest.portal_commit[:12]})"
        )
        if verbosity >= 2:
            self.stdout.write(f"  {'table':<50} {'backup':>10} {'restored':>10}")
            for table, count in manifest.row_counts.items():
                restored = result.restored_counts.get(table)
                self.stdout.write(f"  {table:<50} {count:>10} {restored!s:>10}")
        for table, expected, restored in result.mismatches:
            self.stdout.write(
                self.style.ERROR(f"  {table}: {expected} in the backup, {restored} restored")
            )
        if not result.mismatches:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Row counts match the backup in all {len(manifest.row_counts)} tables "
                    f"({manifest.total_rows} rows)."
                )
            )
        if result.dropped_tables:
            self.stdout.write(
                f"Dropped {len(result.dropped_tables)} tables the backup does not have: "
                + ", ".join(result.dropped_tables)
            )
        if result.media_restored_to is not None:
            self.stdout.write(
                f"{manifest.media_files} uploaded files restored into {result.media_restored_to}."
            )
        if result.media_set_aside is not None:
            self.stdout.write(f"The files that were there are kept in {result.media_set_aside}.")
        if result.unopened_authenticators:
            self.stdout.write(
                self.style.WARNING(
                    f"The configured ANKOMMEN_MFA_KEYS cannot open the second-factor secrets of "
                    f"{result.unopened_authenticators} authenticators: set the keys of the "
                    "installation that made the backup (its .keys.env file) before starting."
                )
            )
        if result.missing_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(result.missing_migrations)} migrations of this "
                    "code: run `manage.py migrate` before starting the portal."
                )
            )
