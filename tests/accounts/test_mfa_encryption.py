"""Second-factor secrets are encrypted at rest with keys from the environment, can be moved to
a new key, and a database copy without the key yields no code."""

import importlib
import io
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from ankommen.accounts.mfa_encryption import (
    SecondFactorKeyError,
    check_mfa_keys,
    check_mfa_keys_open_stored_secrets,
    decrypt,
)
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_KEY = Fernet.generate_key().decode()


def stored_data(user) -> str:
    """The authenticator rows as the database holds them, not as the model decodes them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE user_id = %s", [user.pk])
        return "\n".join(str(row[0]) for row in cursor.fetchall())


def code_for(secret: str, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def set_up_authenticator(client, user) -> str:
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    return secret


def signs_in_with_code(user, code: str) -> bool:
    cache.clear()  # allauth remembers used codes; each attempt here uses a fresh one anyway
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    return client.get("/de/cockpit/").status_code == 200


def test_the_authenticator_secret_is_stored_encrypted_and_signing_in_still_works(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)

    secret = set_up_authenticator(client, coordinator)

    assert secret not in stored_data(coordinator)
    assert "fernet:" in stored_data(coordinator)
    assert not signs_in_with_code(coordinator, "000000")
    assert signs_in_with_code(coordinator, code_for(secret, step=1))


def test_recovery_code_seeds_are_stored_encrypted_and_their_codes_still_work(client):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    set_up_authenticator(client, coordinator)
    recovery = RecoveryCodes.activate(coordinator)
    seed = decrypt(recovery.instance.data["seed"])

    assert seed not in stored_data(coordinator)
    assert signs_in_with_code(coordinator, recovery.get_unused_codes()[0])


def test_rotation_moves_every_secret_to_the_new_key_and_sign_in_still_works(client, settings):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    secret = set_up_authenticator(client, coordinator)
    before = stored_data(coordinator)
    old_key = settings.MFA_ENCRYPTION_KEYS[0]

    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY, old_key]
    call_command("rotate_mfa_keys", stdout=io.StringIO())
    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]

    assert stored_data(coordinator) != before
    assert secret not in stored_data(coordinator)
    assert signs_in_with_code(coordinator, code_for(secret, step=1))


def test_a_wrong_key_cannot_open_the_secret(client, settings):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    set_up_authenticator(client, coordinator)
    stored = Authenticator.objects.get(user=coordinator, type="totp").data["secret"]

    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(SecondFactorKeyError):
        decrypt(stored)


def test_the_migration_encrypts_secrets_stored_in_plain_text_and_reverses(settings):
    migration = importlib.import_module(
        "ankommen.accounts.migrations.0008_encrypt_second_factor_secrets"
    )
    user = UserFactory(role="coordinator", second_factor=False)
    plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    Authenticator.objects.create(user=user, type="totp", data={"secret": plain})
    Authenticator.objects.create(
        user=user, type="recovery_codes", data={"seed": "ab" * 40, "used_mask": 0}
    )

    migration.encrypt_plain_secrets(django_apps, None)

    assert plain not in stored_data(user)
    assert "ab" * 40 not in stored_data(user)
    assert signs_in_with_code(user, format_hotp_value(hotp_value(plain, int(time.time()) // 30)))

    migration.decrypt_secrets(django_apps, None)
    assert Authenticator.objects.get(user=user, type="totp").data["secret"] == plain


def test_a_key_that_is_not_a_fernet_key_fails_the_system_check(settings):
    settings.MFA_ENCRYPTION_KEYS = ["not-a-key"]

    assert [error.id for error in check_mfa_keys()] == ["accounts.E002"]


def test_a_deploy_with_a_key_that_cannot_open_the_stored_secrets_fails_the_check(client, settings):
    coordinator = UserFactory(role="coordinator", second_factor=False)
    set_up_authenticator(client, coordinator)
    assert check_mfa_keys_open_stored_secrets(databases=["default"]) == []

    settings.MFA_ENCRYPTION_KEYS = [NEW_KEY]

    errors = check_mfa_keys_open_stored_secrets(databases=["default"])
    assert [error.id for error in errors] == ["accounts.E003"]
