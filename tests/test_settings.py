"""Production settings only harden: they refuse unsafe values and pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MFA_KEY = "vhyu-PWTUhgW28iFZ9BY3VtHIIlibL1ldK8Y0Y5vTCI="


def _manage(*args, **env):
    production = {"DJANGO_SETTINGS_MODULE": "ankommen.settings.production"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **production, "ANKOMMEN_MFA_KEYS": MFA_KEY, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS="portal.example.org")

    assert result.returncode != 0


def test_production_refuses_to_start_without_a_key_for_second_factor_secrets():
    result = _manage(
        "check",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        ANKOMMEN_MFA_KEYS="",
    )

    assert result.returncode != 0
    assert "ANKOMMEN_MFA_KEYS" in result.stderr


def test_production_refuses_a_key_that_cannot_encrypt():
    result = _manage(
        "check",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        ANKOMMEN_MFA_KEYS=f"{MFA_KEY},short",
    )

    assert result.returncode != 0
    assert "accounts.E002" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="a-long-random-value-for-the-test-" + "x7Qp2" * 8,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )

    assert result.returncode == 0, result.stderr


def test_production_always_requires_the_second_factor():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_SECOND_FACTOR)",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        ANKOMMEN_REQUIRE_SECOND_FACTOR="false",
    )

    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr
