from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ankommen.operations.backups import BackupError, create_backup


def quiet(message: str) -> None:
    """Progress is not shown with --verbosity 0."""


class Command(BaseCommand):
    help = (
        "Back up the database (one consistent snapshot, while the portal runs) and the uploaded "
        "files into one .tar.gz archive with a manifest; restore it with `manage.py restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            default=Path(settings.VAR_DIR) / "backups",
            help="Folder for the archive (default: var/backups, or $ANKOMMEN_VAR_DIR/backups).",
        )
        parser.add_argument(
            "--with-keys",
            action="store_true",
            help="Also write the second-factor keys and the secret key to a separate "
            "<archive>.keys.env. Keep that file apart from the archive, like a password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report: Callable[[str], None] = self.stdout.write if options["verbosity"] >= 1 else quiet
        try:
            result = create_backup(to=options["to"], with_keys=options["with_keys"], report=report)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        if options["verbosity"] >= 2:
            for table, count in manifest.row_counts.items():
                self.stdout.write(f"  {table:<50} {count:>10}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.archive}\n"
                f"  {manifest.database_server}, {len(manifest.row_counts)} tables, "
                f"{manifest.total_rows} rows, {manifest.media_files} uploaded files"
            )
        )
        if result.keys_file:
            self.stdout.write(
                self.style.WARNING(
                    f"Keys written: {result.keys_file}\n"
                    "  Whoever has this file and the archive can read second-factor secrets.\n"
                    "  Store it apart from the archive, like a password; never copy it along."
                )
            )
        else:
            self.stdout.write(
                "The second-factor keys (ANKOMMEN_MFA_KEYS) are not in the archive. Without "
                "them a restored portal cannot check authenticator codes: keep them safe "
                "elsewhere, or run once with --with-keys."
            )
