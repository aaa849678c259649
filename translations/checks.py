"""Start-up checks of the machine translation settings (translations/machine.py)."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

from translations.machine import DEEPL, LIBRETRANSLATE, SERVICES


@checks.register()
def machine_translation_settings(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """A service asked for but not usable would leave translators without suggestions, silently."""
    service = settings.MACHINE_TRANSLATION_SERVICE
    url = settings.MACHINE_TRANSLATION_URL
    problems: list[checks.CheckMessage] = []
    if service and service not in SERVICES:
        problems.append(
            checks.Error(
                f"ANKOMMEN_MACHINE_TRANSLATION_SERVICE is {service!r}: unknown.",
                hint="Use libretranslate or deepl, or leave it empty for no suggestions.",
                id="translations.E001",
            )
        )
    if service == LIBRETRANSLATE and not url:
        problems.append(
            checks.Error(
                "LibreTranslate is chosen, but ANKOMMEN_MACHINE_TRANSLATION_URL is empty.",
                hint="Give the server's address, e.g. http://127.0.0.1:5000.",
                id="translations.E002",
            )
        )
    if service == DEEPL and not settings.MACHINE_TRANSLATION_KEY:
        problems.append(
            checks.Error(
                "DeepL is chosen, but ANKOMMEN_MACHINE_TRANSLATION_KEY is empty.",
                hint="Give the organisation's DeepL API key (free keys end in ':fx').",
                id="translations.E003",
            )
        )
    parts = urlsplit(url)
    if service and url and (parts.scheme not in ("http", "https") or not parts.hostname):
        # The address itself is not repeated: it may carry a password.
        problems.append(
            checks.Error(
                "ANKOMMEN_MACHINE_TRANSLATION_URL is no http or https address.",
                hint="Give the base address, e.g. http://127.0.0.1:5000 (without /translate).",
                id="translations.E004",
            )
        )
    if service and settings.MACHINE_TRANSLATION_TIMEOUT <= 0:
        problems.append(
            checks.Error(
                "ANKOMMEN_MACHINE_TRANSLATION_TIMEOUT must be more than 0 seconds.",
                id="translations.E005",
            )
        )
    return problems
