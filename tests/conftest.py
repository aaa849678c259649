import importlib
import os
import socket
from urllib.parse import urlparse

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from tests.factories import UserFactory


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def _missing_service(marker: str) -> str | None:
    if marker == "browser":
        path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
        return None if os.access(path, os.X_OK) else f"no Chromium at {path}"
    if marker == "redis":
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return "REDIS_URL is not set"
        return None if _reachable(url, 6379) else f"Redis at {url} does not answer"
    if (
        marker == "postgres"
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        return "DATABASE_URL does not point at PostgreSQL"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Services a test needs must be there in CI: a missing one fails, it is not skipped."""
    for marker in ("redis", "postgres", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason is None:
            continue
        if os.environ.get("CI"):
            pytest.fail(f"{item.nodeid} needs {marker}: {reason}", pytrace=False)
        pytest.skip(f"needs {marker}: {reason}")


@pytest.fixture(autouse=True)
def _german_by_default(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture
def volunteer(db):
    return UserFactory(role="volunteer")


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinator")


@pytest.fixture
def newcomer_user(db):
    return UserFactory(role="newcomer", email=None)


@pytest.fixture
def admin_user(db):
    return UserFactory(admin=True)


SEEDING_MIGRATIONS = [
    ("ankommen.vocabulary.migrations.0002_seed_vocabulary", "seed"),
    ("matching.migrations.0002_hannover_neighbours", "add_borders"),
]


@pytest.fixture
def seeded_vocabulary(transactional_db: None) -> None:
    """The rows the data migrations wrote (languages, themes, districts, their borders).
    A transactional test empties every table afterwards; the next one needs them again."""
    from ankommen.vocabulary.models import Theme

    if Theme.objects.exists():
        return
    for module, function in SEEDING_MIGRATIONS:
        getattr(importlib.import_module(module), function)(django_apps, None)
