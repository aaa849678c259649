"""Fast settings for the test suite; the database and broker still come from the environment."""

import os

from .base import *

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A fixed key for second-factor secrets; tests of rotation put another in front of it.
MFA_ENCRYPTION_KEYS = ["vhyu-PWTUhgW28iFZ9BY3VtHIIlibL1ldK8Y0Y5vTCI="]
# Tasks run inline unless a test starts a real worker (tests/operations/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker process started by a test sees the same database;
    # one per test run, so that two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-ankommen-{os.getpid()}.sqlite3")}
LOGGING["root"]["level"] = "WARNING"
STATIC_ROOT = None  # whitenoise serves from the finders; nothing is collected in tests
WHITENOISE_USE_FINDERS = True
# Look a static file up when it is asked for: otherwise every test client's middleware walks all
# static files on its first request (about 7 ms a test), and tests rarely ask for one.
WHITENOISE_AUTOREFRESH = True
