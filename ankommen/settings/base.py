"""Every setting of the portal, read from the environment; other modules only adjust these."""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import django.conf.locale
import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.conf import global_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# Everything the portal writes at run time (SQLite file, broker folders, collected static).
VAR_DIR = Path(env.str("ANKOMMEN_VAR_DIR", default=str(BASE_DIR / "var")))

# An insecure default keeps `make run` a one-step affair; production.py refuses it.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="insecure-development-key-do-not-use-in-production"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

PORTAL_NAME: str = env.str("ANKOMMEN_PORTAL_NAME", default="Ankommen")
# Absolute base URL used in e-mails, which are rendered outside any request.
PORTAL_URL: str = env.str("ANKOMMEN_PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")
# Who reports to funders: the name heads the report PDF, with the logo (PNG, JPEG or SVG) if set.
ORGANISATION_NAME: str = env.str("ANKOMMEN_ORGANISATION_NAME", default=PORTAL_NAME)
ORGANISATION_LOGO: str = env.str("ANKOMMEN_ORGANISATION_LOGO", default="")

INSTALLED_APPS = [
    # Before the admin, so that translated fields show per language there too.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ankommen.accounts",
    "ankommen.vocabulary",
    "ankommen.audit",
    "ankommen.privacy",
    "ankommen.messaging",
    "ankommen.operations",
    "volunteers",
    "refugees",
    "translations",
    "workgroups",
    "trainings",
    "partners",
    "board",
    "matching",
    "cockpit",
]

MIDDLEWARE = [
    # Outermost, so that a dropped database connection anywhere below (session, user, view)
    # gives a read one more try and a write a "please try again" page, never a 500.
    "ankommen.operations.database_blips.DatabaseBlipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in person in the audit log for every change made during the request.
    "ankommen.audit.services.AuditActorMiddleware",
    # Deny by default: a view is public only when it says so with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ankommen.security.PermissionsPolicyMiddleware",
    "ankommen.security.NoStoreForPeopleMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A newcomer account works only through a card that still works, on every URL.
    "refugees.card_sessions.CardSessionMiddleware",
    # Coordinators, admins and working-group leads set up a second factor before anything else,
    # decided on every request; their sessions end a working day after sign-in.
    "ankommen.accounts.second_factor.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "ankommen.urls"
WSGI_APPLICATION = "ankommen.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ankommen.navigation.page_frame",
            ],
            # The kernel is no app of its own: its template tags are named here.
            "libraries": {
                "filtering": "ankommen.templatetags.filtering",
                # Dates, times and numbers from CLDR in the reader's language (ankommen/dates.py).
                "reader_formats": "ankommen.templatetags.reader_formats",
                "translated": "ankommen.templatetags.translated",
            },
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ankommen.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the embedded worker write to the same file: WAL lets readers go on
    # while one writes, and IMMEDIATE transactions wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind pgbouncer in transaction mode a cursor must not outlive its transaction, because
    # the next one may run on another server connection (README, "Running on several machines").
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool(
        "DJANGO_DISABLE_SERVER_SIDE_CURSORS", default=False
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache that does not depend on Redis: allauth's rate limits must count across all
# web processes, and must not fail open (or with a 500) when Redis is away.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ankommen_cache",
    }
}
# Database sessions whose rows name their account, so a person's sessions can all be ended.
SESSION_ENGINE = "ankommen.accounts.sessions"

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# People with these roles have a start page of their own instead of the general one.
ROLE_HOMES = {
    "newcomer": "newcomer:home",
    "coordinator": "cockpit:dashboard",
    "admin": "cockpit:dashboard",
    "partner": "partners:home",
}
# New volunteers go straight on to their profile after confirming their address.
ACCOUNT_SIGNUP_REDIRECT_URL = "volunteers:start"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "ankommen.accounts.adapters.AccountAdapter"
# Closing sign-up (e.g. while a network pauses recruitment) keeps existing accounts working.
ACCOUNT_SIGNUP_OPEN = env.bool("ANKOMMEN_SIGNUP_OPEN", default=True)
ACCOUNT_SIGNUP_FORM_CLASS = "ankommen.accounts.forms.SignupDetailsForm"
# Tells the sign-in page when to offer a link by e-mail (ankommen/accounts/sign_in_links.py).
ACCOUNT_FORMS = {"login": "ankommen.accounts.login_form.LoginForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# Tell people when their password or e-mail address changes: a hijacked account is noticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For may be trusted.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PORTAL_URL.startswith("https") else "http"
# allauth's defaults, written out so that they are visible and reviewed: per IP, per key.
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    # Volunteers often register together at an information evening on one Wi-Fi.
    "signup": env.str("ANKOMMEN_SIGNUP_RATE_LIMIT", default="40/h/ip"),
    "login": "30/m/ip",
    # Only the second-factor step still uses this (per IP, and per account once the password
    # is known). Wrong passwords are counted per account and network instead, so that no
    # stranger can lock a person out: see ankommen/accounts/sign_in_throttle.py.
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    # The public newsletter form sends confirmation mails: keep it from becoming a mail cannon.
    "newsletter_subscribe": "20/h/ip,3/h/key",
}

# --- Second factor (allauth.mfa) -------------------------------------------------------------
# An authenticator app (TOTP) or a security key / passkey (WebAuthn), with recovery codes;
# required for the roles that see newcomers' data (see ankommen/accounts/second_factor.py),
# optional for everyone else. Keys are a second factor only: signing in still starts with the
# password, so a lost phone or key alone opens nothing.
REQUIRE_SECOND_FACTOR = env.bool("ANKOMMEN_REQUIRE_SECOND_FACTOR", default=True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# The same forms, refusing malformed key responses with a message instead of a 500, and names
# of keys longer than 100 characters.
MFA_FORMS = {
    "add_webauthn": "ankommen.accounts.security_keys.AddSecurityKeyForm",
    "edit_webauthn": "ankommen.accounts.security_keys.EditSecurityKeyForm",
    "authenticate_webauthn": "ankommen.accounts.security_keys.AuthenticateSecurityKeyForm",
    "reauthenticate_webauthn": "ankommen.accounts.security_keys.ReauthenticateSecurityKeyForm",
}
MFA_TOTP_ISSUER = PORTAL_NAME
# Authenticator secrets and recovery-code seeds are stored encrypted with these Fernet keys
# (ankommen/accounts/mfa_encryption.py): the first encrypts, all decrypt. Without
# ANKOMMEN_MFA_KEYS, for development only, one key is derived from SECRET_KEY (so changing that
# key makes the stored second factors unreadable); production.py requires the variable.
MFA_ADAPTER = "ankommen.accounts.mfa_encryption.EncryptingMFAAdapter"
MFA_ENCRYPTION_KEYS = env.list("ANKOMMEN_MFA_KEYS", default=[]) or [
    base64.urlsafe_b64encode(
        hashlib.sha256(f"ankommen.mfa:{SECRET_KEY}".encode()).digest()
    ).decode()
]
# Phones' clocks drift: the code of the previous and the next 30 seconds counts too.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
# Staff sessions end after a working day; others keep Django's two weeks.
STAFF_SESSION_AGE = timedelta(hours=env.int("ANKOMMEN_STAFF_SESSION_HOURS", default=9))

# Map tiles for the network map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png or your own
# tile server. Empty: the partners are listed without a map (nothing is fetched from outside).
MAP_TILES_URL = env.str("ANKOMMEN_MAP_TILES_URL", default="")
MAP_ATTRIBUTION = env.str("ANKOMMEN_MAP_ATTRIBUTION", default="© OpenStreetMap contributors")

# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# Scripts only from our own static files: no inline script, no eval, nothing from a CDN. Inline
# style attributes stay allowed (progress bars, the map's size); they cannot run code.
_TILE_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILES_URL)) if MAP_TILES_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Powerful browser features the portal never uses are switched off for every page.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)

# How long a withdrawn volunteer's data are kept (e.g. for certificates they may still need).
# Newcomers' data are due this long after their last mentorship ended or their record was
# closed; a coordinator confirms every erasure (ankommen/privacy/retention.py).
NEWCOMER_RETENTION = timedelta(days=30 * env.int("ANKOMMEN_NEWCOMER_RETENTION_MONTHS", default=24))
VOLUNTEER_RETENTION = timedelta(days=env.int("ANKOMMEN_VOLUNTEER_RETENTION_DAYS", default=365))

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("ps", "پښتو"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("tr", "Türkçe"),
    ("ku", "Kurdî (Kurmancî)"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("fr", "Français"),
]
# Django ships no locale data for these; without it their URLs answer 404.
django.conf.locale.LANG_INFO.update(
    {
        "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
        "ku": {"bidi": False, "code": "ku", "name": "Kurdish (Kurmanji)", "name_local": "Kurdî"},
        "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
        "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    }
)
LANGUAGES_BIDI = [*global_settings.LANGUAGES_BIDI, "ps"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Texts newcomers read (course titles, places, offers, events) have a column per language
# (django-modeltranslation, registered in each app's translation.py). Coordinators write German;
# a reader without a version in their language gets the German text, marked as German.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
MODELTRANSLATION_AUTO_POPULATE = False
# Volunteers translate those texts; the time a translator gives for an approved translation is
# logged as hours (for the coordinators to confirm, like any hours) unless the network says no.
TRANSLATION_HOURS = env.bool("ANKOMMEN_TRANSLATION_HOURS", default=True)
# A machine translation service may suggest a translation for the translator to edit (it is
# reviewed like any other before readers see it; translations/machine.py): "libretranslate"
# (self-hosted: MACHINE_TRANSLATION_URL such as http://127.0.0.1:5000, the key only if the server
# wants one) or "deepl" (the key; the URL only to replace DeepL's own, https://api-free.deepl.com
# for free keys ending in ":fx", https://api.deepl.com for others). Empty, the default: no
# suggestions, and no text leaves the server. The timeout is in seconds; a translator waits it.
MACHINE_TRANSLATION_SERVICE = (
    env.str("ANKOMMEN_MACHINE_TRANSLATION_SERVICE", default="").strip().lower()
)
MACHINE_TRANSLATION_URL = env.str("ANKOMMEN_MACHINE_TRANSLATION_URL", default="").rstrip("/")
MACHINE_TRANSLATION_KEY = env.str("ANKOMMEN_MACHINE_TRANSLATION_KEY", default="")
MACHINE_TRANSLATION_TIMEOUT = env.float("ANKOMMEN_MACHINE_TRANSLATION_TIMEOUT", default=8.0)
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------------
# EMAIL_URL such as smtp+tls://user:password@mail.example.org:587; the console by default.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{PORTAL_NAME} <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)

# --- Security defaults that hold everywhere (production.py adds transport security) --------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "ankommen.views.csrf_failure"

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
BROKER_DIR = VAR_DIR / "broker"
# Without Redis the portal still runs its background jobs: kombu's filesystem transport needs
# no server, so one worker with an embedded beat serves a single machine (see README).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://localhost//")
IS_EMBEDDED_BROKER = CELERY_BROKER_URL.startswith("filesystem://")
if IS_EMBEDDED_BROKER:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Its exchange bindings, which kombu would otherwise write to ./control in the checkout.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the longest task and the longest retry countdown (a retried task waits
        # unacknowledged in its worker), or Redis hands it out twice. A killed worker's task
        # comes back only after it, but the outbox does not wait for that: the lease sweep
        # sends a dead worker's rows again within seconds, and the late task finds them sent.
        "visibility_timeout": 3600,
        "socket_timeout": 5,
        "socket_connect_timeout": 3,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hold a web request hostage when the broker is down: the outbox keeps
# the row pending and the beat job dispatches it again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 10
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = False
# Beat's own jobs (heartbeat, the outbox safety net, schedules) have a queue of their own, and
# so does mail: a person waiting for a password reset or a sign-in link is served from "mail",
# while a 10,000-recipient newsletter waits in "bulk" (outbox.queue_for picks it per row).
# A worker started without --queues takes only "celery": every worker command names its queues,
# and one worker consuming WORKER_QUEUES runs everything (the embedded default, compose's worker).
DEFAULT_QUEUE = "celery"
MAIL_QUEUE = "mail"
BULK_MAIL_QUEUE = "bulk"
MAINTENANCE_QUEUE = "maintenance"
WORKER_QUEUES = [MAIL_QUEUE, MAINTENANCE_QUEUE, DEFAULT_QUEUE, BULK_MAIL_QUEUE]
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_ROUTES = {
    "ankommen.messaging.tasks.deliver_messages_task": {"queue": MAIL_QUEUE},
    "ankommen.messaging.tasks.fan_out_newsletter_task": {"queue": BULK_MAIL_QUEUE},
    "ankommen.operations.tasks.record_heartbeat_task": {"queue": MAINTENANCE_QUEUE},
    "ankommen.messaging.tasks.dispatch_due_messages_task": {"queue": MAINTENANCE_QUEUE},
    "ankommen.messaging.tasks.reclaim_lapsed_messages_task": {"queue": MAINTENANCE_QUEUE},
    "ankommen.messaging.tasks.send_scheduled_newsletters_task": {"queue": MAINTENANCE_QUEUE},
    "ankommen.messaging.tasks.send_due_reminders_task": {"queue": MAINTENANCE_QUEUE},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The outbox's safety net (ankommen/messaging/services/outbox.py): how long a pending row may
# wait for its task, and how long a row claimed before leases existed (no lease_until) may stay
# "sending" before its worker is taken for dead.
OUTBOX_REDISPATCH_AFTER = timedelta(seconds=env.int("ANKOMMEN_OUTBOX_REDISPATCH_SECONDS", 120))
OUTBOX_SENDING_TIMEOUT = timedelta(seconds=env.int("ANKOMMEN_OUTBOX_SENDING_TIMEOUT", 600))
# A worker's claim on the rows it sends (ankommen/messaging/services/leases.py): renewed every
# fifth of it while the worker lives, however slow the mail server; a dead worker's rows are
# taken back by the sweep once it lapses, so they go out again within lease + sweep seconds.
OUTBOX_LEASE = timedelta(seconds=env.int("ANKOMMEN_OUTBOX_LEASE_SECONDS", 15))
OUTBOX_SWEEP_SECONDS = env.int("ANKOMMEN_OUTBOX_SWEEP_SECONDS", default=5)
OUTBOX_REDISPATCH_LIMIT = 5000
OUTBOX_BEAT_SECONDS = env.int("ANKOMMEN_OUTBOX_BEAT_SECONDS", default=60)
# A newsletter fan-out not finished this long after it started lost its task; beat restarts it.
OUTBOX_FAN_OUT_GRACE = timedelta(seconds=env.int("ANKOMMEN_FAN_OUT_GRACE_SECONDS", 120))
# A row with one-time links (password reset, confirmation) still unsent after this is given up
# and its links dropped: allauth's reset and confirmation links expire after three days too.
OUTBOX_SECRETS_EXPIRE_AFTER = timedelta(days=3)
HEARTBEAT_INTERVAL = timedelta(seconds=env.int("ANKOMMEN_HEARTBEAT_SECONDS", default=30))
CELERY_BEAT_SCHEDULE = {
    "record-worker-heartbeat": {
        "task": "ankommen.operations.tasks.record_heartbeat_task",
        "schedule": HEARTBEAT_INTERVAL,
    },
    "reclaim-lapsed-messages": {
        "task": "ankommen.messaging.tasks.reclaim_lapsed_messages_task",
        "schedule": timedelta(seconds=OUTBOX_SWEEP_SECONDS),
    },
    "dispatch-due-messages": {
        "task": "ankommen.messaging.tasks.dispatch_due_messages_task",
        "schedule": timedelta(seconds=OUTBOX_BEAT_SECONDS),
    },
    "send-scheduled-newsletters": {
        "task": "ankommen.messaging.tasks.send_scheduled_newsletters_task",
        "schedule": timedelta(seconds=OUTBOX_BEAT_SECONDS),
    },
    "send-due-reminders": {
        "task": "ankommen.messaging.tasks.send_due_reminders_task",
        "schedule": timedelta(minutes=15),
    },
    # Idempotent: a mentorship is asked again only four weeks after its last check-in.
    "mentorship-check-ins": {
        "task": "matching.tasks.check_ins_task",
        "schedule": timedelta(hours=6),
    },
    # Proposes only; nothing is erased until a coordinator confirms the list.
    "propose-retention-review": {
        "task": "ankommen.privacy.tasks.propose_retention_review_task",
        "schedule": timedelta(days=7),
    },
    "fail-stuck-matching-runs": {
        "task": "matching.tasks.fail_stuck_runs_task",
        "schedule": timedelta(minutes=5),
    },
    "fail-stuck-imports": {
        "task": "cockpit.tasks.fail_stuck_imports_task",
        "schedule": timedelta(minutes=5),
    },
}

# --- Logging --------------------------------------------------------------------------------
# Paths in log lines lose their tokens and query strings (ankommen/operations/log_redaction.py);
# runserver's request lines ("django.server") go through the same handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "ankommen.operations.log_redaction.RedactSecrets"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
