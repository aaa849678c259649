from typing import Any

from django.core.management.base import BaseCommand

from ankommen.accounts.mfa_encryption import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored second-factor secret with the first key of ANKOMMEN_MFA_KEYS; "
        "afterwards the other keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rotated = rotate_keys()
        self.stdout.write(f"Re-encrypted the secrets of {rotated} authenticators.")
