"""Production settings only harden: they refuse unsafe values and pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ankommen.settings.production", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS="portal.example.org")

    assert result.returncode != 0


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
