"""Production: only hardening on top of base.py; everything else comes from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
if not SECRET_KEY or SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a long random value.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
MFA_ENCRYPTION_KEYS = env.list("ANKOMMEN_MFA_KEYS", default=[])
if not MFA_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "Set ANKOMMEN_MFA_KEYS to a Fernet key (python -c 'from cryptography.fernet import "
        "Fernet; print(Fernet.generate_key().decode())'): it encrypts second-factor secrets."
    )

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"

LOGGING["root"]["level"] = env.str("DJANGO_LOG_LEVEL", default="WARNING")

# Never optional in production: coordinators, admins and leads see special-category data.
REQUIRE_SECOND_FACTOR = True
