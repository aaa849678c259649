"""Authenticator secrets and recovery-code seeds stored before encryption: encrypted now with
the first key of ANKOMMEN_MFA_KEYS (ankommen/accounts/mfa_encryption.py); the reverse decrypts."""

from django.db import migrations

from ankommen.accounts.mfa_encryption import decrypt, is_encrypted, reencrypt, transform_secrets

KINDS = ("totp", "recovery_codes")


def _rewrite(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=KINDS).order_by("pk"):
        authenticator.data = transform_secrets(authenticator.type, authenticator.data, change)
        authenticator.save(update_fields=["data"])


def encrypt_plain_secrets(apps, schema_editor):
    _rewrite(apps, reencrypt)


def decrypt_secrets(apps, schema_editor):
    _rewrite(apps, lambda value: decrypt(value) if is_encrypted(value) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_move_sessions_to_account_sessions"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_plain_secrets, decrypt_secrets)]
