"""Logs never hold a link that works like a password.

A token in a path (access cards `/n/<token>/`, calendar feeds, check-in, newsletter confirmation
and unsubscribe links, allauth's password-reset and address-confirmation keys, invite codes,
links to sign in despite the throttle) is replaced, and so is every query string, which carries
search terms (people's names) and the page to return to after signing in. Both gunicorn's access
log and Django's own request logging (runserver, `django.request`) go through `redact`;
tests/operations/test_log_redaction.py walks every URL pattern whose converter names a token and
fails when one is not covered here.
"""

import logging
import re

REDACTED = "[redacted]"

# The path segment after each of these is the secret.
_TOKEN_PREFIXES = (
    "n",
    "calendar",
    "check-in",
    "newsletter/confirm",
    "newsletter/unsubscribe",
    "confirm-email",
    "password/reset/key",
    "invite",
    "sign-in-link",
    "partner/welcome",
)
_TOKEN_SEGMENT = re.compile(
    r"(?P<prefix>/(?:" + "|".join(re.escape(p) for p in _TOKEN_PREFIXES) + r"))/[^/?#\s\"']+"
)
_QUERY = re.compile(r"\?[^\s\"'#]*")


def redact(text: str) -> str:
    """A request line, path, URL or log message with its secrets replaced."""
    text = _TOKEN_SEGMENT.sub(rf"\g<prefix>/{REDACTED}", text)
    return _QUERY.sub(f"?{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """runserver's request lines, the paths of `django.request`, gunicorn's error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
