"""Second-factor secrets are stored encrypted with keys from the environment.

allauth keeps an authenticator app's TOTP secret and the seed of the recovery codes (and codes
migrated from older versions) in `Authenticator.data`, in plain text unless its adapter
encrypts them. Here they are Fernet tokens (AES-128-CBC with HMAC-SHA256) under
`settings.MFA_ENCRYPTION_KEYS` (ANKOMMEN_MFA_KEYS): the first key encrypts, every key decrypts,
so a new key goes first, `manage.py rotate_mfa_keys` re-encrypts, and then the old key can go.
A copy of the database without the keys yields no code. Security keys (WebAuthn) store only
public keys and need no secrecy.
"""

from collections.abc import Callable
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, transaction

PREFIX = "fernet:"
# Which entries of Authenticator.data are secret, by authenticator type.
SECRET_FIELDS = {
    Authenticator.Type.TOTP: ("secret",),
    Authenticator.Type.RECOVERY_CODES: ("seed", "migrated_codes"),
}


class SecondFactorKeyError(Exception):
    """A stored secret that the configured keys cannot open (wrong or missing key)."""


def _keys() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def encrypt(text: str) -> str:
    return PREFIX + _keys().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not is_encrypted(stored):
        raise SecondFactorKeyError("A second-factor secret is stored unencrypted.")
    try:
        return _keys().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as error:
        raise SecondFactorKeyError(
            "No key in ANKOMMEN_MFA_KEYS opens a stored second-factor secret."
        ) from error


def reencrypt(stored: str) -> str:
    """Under the first key; a secret still stored in plain text gets encrypted."""
    if not is_encrypted(stored):
        return encrypt(stored)
    try:
        return PREFIX + _keys().rotate(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as error:
        raise SecondFactorKeyError(
            "No key in ANKOMMEN_MFA_KEYS opens a stored second-factor secret."
        ) from error


def transform_secrets(
    kind: str, data: dict[str, Any], change: Callable[[str], str]
) -> dict[str, Any]:
    """A copy of an authenticator's data with `change` applied to each secret it holds."""
    changed = dict(data)
    for field in SECRET_FIELDS.get(kind, ()):
        value = changed.get(field)
        if isinstance(value, str):
            changed[field] = change(value)
        elif isinstance(value, list):
            changed[field] = [change(item) for item in value]
    return changed


@transaction.atomic
def rotate_keys() -> int:
    """Every stored secret under the first key; returns how many authenticators were rewritten."""
    rotated = 0
    authenticators = Authenticator.objects.select_for_update().filter(type__in=SECRET_FIELDS)
    for authenticator in authenticators.order_by("pk"):
        authenticator.data = transform_secrets(authenticator.type, authenticator.data, reencrypt)
        authenticator.save(update_fields=["data"])
        rotated += 1
    return rotated


class EncryptingMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt(encrypted_text)


@checks.register(checks.Tags.security)
def check_mfa_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    keys = settings.MFA_ENCRYPTION_KEYS
    if not keys:
        return [checks.Error("ANKOMMEN_MFA_KEYS is empty.", id="accounts.E001")]
    errors = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            errors.append(
                checks.Error(
                    f"Key {position} of ANKOMMEN_MFA_KEYS is not a Fernet key.",
                    hint="Generate one with: python -c 'from cryptography.fernet import "
                    "Fernet; print(Fernet.generate_key().decode())'",
                    id="accounts.E002",
                )
            )
    return errors


@checks.register(checks.Tags.database)
def check_mfa_keys_open_stored_secrets(
    databases: list[str] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Run by `migrate` and `check --database default`: a deploy with a wrong or dropped key
    stops here, not at the next person's sign-in. Secrets still in plain text are left to the
    migration that encrypts them."""
    if not databases:
        return []
    unopened = 0
    try:
        for kind, data in Authenticator.objects.filter(type__in=SECRET_FIELDS).values_list(
            "type", "data"
        ):
            try:
                transform_secrets(kind, data, lambda v: decrypt(v) if is_encrypted(v) else v)
            except SecondFactorKeyError:
                unopened += 1
    except DatabaseError:  # before the first migration there is nothing to open
        return []
    if not unopened:
        return []
    return [
        checks.Error(
            f"The keys in ANKOMMEN_MFA_KEYS cannot open the secrets of {unopened} authenticators.",
            hint="Put back the key they were encrypted with (new keys go first, old ones stay "
            "until manage.py rotate_mfa_keys has run).",
            id="accounts.E003",
        )
    ]
