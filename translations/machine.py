"""Suggestions from a machine translation service, for volunteer translators to edit.

A suggestion only fills the translator's field: like every translation it reaches readers after a
second person's review, never before. Without ANKOMMEN_MACHINE_TRANSLATION_SERVICE nothing is
sent anywhere. Two services are spoken: a (self-hosted) LibreTranslate, and DeepL's API v2.
Whatever goes wrong comes back as SuggestionUnavailable, whose text a page can show as it is.
"""

import http.client
import json
import logging
import re
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LIBRETRANSLATE = "libretranslate"
DEEPL = "deepl"
SERVICES = (LIBRETRANSLATE, DEEPL)

# A field of a course or an event is far shorter; a longer text is refused, not cut.
MAX_TEXT_LENGTH = 5000
# The JSON of 5,000 characters translated, with room to spare; a longer answer is no suggestion.
MAX_ANSWER_BYTES = 1_000_000

# DeepL's own addresses: free keys end in ":fx" and work only on the free one.
DEEPL_FREE_URL = "https://api-free.deepl.com"
DEEPL_PRO_URL = "https://api.deepl.com"
# DeepL's codes for the portal's languages. It offers neither Dari/Persian, Pashto, Kurmanji,
# Tigrinya nor Somali; English is written British, as in Europe.
DEEPL_SOURCE_LANGUAGES = {
    "de": "DE",
    "en": "EN",
    "ar": "AR",
    "uk": "UK",
    "ru": "RU",
    "tr": "TR",
    "fr": "FR",
}
DEEPL_TARGET_LANGUAGES = {**DEEPL_SOURCE_LANGUAGES, "en": "EN-GB"}


class SuggestionUnavailable(Exception):  # noqa: N818 (the name the callers know)
    """No suggestion: str() says why in the reader's language, naming no key and no address."""


def is_configured() -> bool:
    """Suggestions are offered only when the organisation chose a service and said where it is."""
    service = settings.MACHINE_TRANSLATION_SERVICE
    if service == LIBRETRANSLATE:
        return bool(settings.MACHINE_TRANSLATION_URL)
    if service == DEEPL:
        return bool(settings.MACHINE_TRANSLATION_KEY)
    return False


def suggest(text: str, *, source: str, target: str) -> str:
    """The service's translation of `text` (Django language codes), for a translator to edit."""
    if not is_configured():
        raise SuggestionUnavailable(_("No translation service is set up for suggestions."))
    if len(text) > MAX_TEXT_LENGTH:
        raise SuggestionUnavailable(
            _("This text is too long for a suggestion: at most %(limit)s characters are sent.")
            % {"limit": number_format(MAX_TEXT_LENGTH, force_grouping=True)}
        )
    if not text.strip() or source == target:
        return text
    if settings.MACHINE_TRANSLATION_SERVICE == DEEPL:
        return _deepl(text, source=source, target=target)
    return _libretranslate(text, source=source, target=target)


def deepl_url(key: str) -> str:
    """DeepL's address for this key, unless the organisation gave another (a proxy, say)."""
    if settings.MACHINE_TRANSLATION_URL:
        return str(settings.MACHINE_TRANSLATION_URL).rstrip("/")
    return DEEPL_FREE_URL if key.endswith(":fx") else DEEPL_PRO_URL


# --- LibreTranslate --------------------------------------------------------------------------


def _libretranslate(text: str, *, source: str, target: str) -> str:
    key = settings.MACHINE_TRANSLATION_KEY
    # LibreTranslate names languages by the ISO 639-1 codes the portal uses; a server without
    # a language's model says so, and that answer is turned into a message below.
    payload = {"q": text, "source": source, "target": target, "format": "text"}
    if key:
        payload["api_key"] = key
    url = str(settings.MACHINE_TRANSLATION_URL).rstrip("/")
    status, answer = _post(f"{url}/translate", payload=payload, headers={})
    if status == 200:
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str):
            return translated
        raise _not_understood(status, answer)
    error = _error_text(answer, "error")
    _log_refusal(status, error)
    if status in (400, 403) and "api key" in error.lower():
        raise _key_refused()
    if status == 400 and "exceeds text limit" in error:
        raise _too_long_for_service()
    if status == 400 and re.search(r"not (supported|available)", error):
        # "ps is not supported", or "Pashto (ps) is not available as a target language from
        # German (de)": the target first, as the pair fails for want of it.
        for code in (target, source):
            if re.search(rf"(?<![A-Za-z-]){re.escape(code)}(?![A-Za-z-])", error):
                raise _unsupported(code)
        raise _unsupported(target)
    if status in (403, 429):
        # 403 without a word about keys: the server banned the portal for too many requests.
        raise _too_many_requests()
    raise _could_not_translate()


# --- DeepL -----------------------------------------------------------------------------------


def _deepl(text: str, *, source: str, target: str) -> str:
    if target not in DEEPL_TARGET_LANGUAGES:
        raise _unsupported(target)
    if source not in DEEPL_SOURCE_LANGUAGES:
        raise _unsupported(source)
    key = settings.MACHINE_TRANSLATION_KEY
    payload = {
        "text": [text],
        "source_lang": DEEPL_SOURCE_LANGUAGES[source],
        "target_lang": DEEPL_TARGET_LANGUAGES[target],
    }
    status, answer = _post(
        f"{deepl_url(key)}/v2/translate",
        payload=payload,
        headers={"Authorization": f"DeepL-Auth-Key {key}"},
    )
    if status == 200:
        translations = answer.get("translations") if isinstance(answer, dict) else None
        first = translations[0] if isinstance(translations, list) and translations else None
        translated = first.get("text") if isinstance(first, dict) else None
        if isinstance(translated, str):
            return translated
        raise _not_understood(status, answer)
    error = _error_text(answer, "message")
    _log_refusal(status, error)
    if status in (401, 403):
        raise _key_refused()
    if status == 456:
        raise SuggestionUnavailable(
            _(
                "The organisation's allowance at the translation service is used up. "
                "Suggestions come back when it renews."
            )
        )
    if status in (429, 529):  # 529: too many requests for DeepL as a whole
        raise _too_many_requests()
    if status == 413:
        raise _too_long_for_service()
    if status == 400 and "target_lang" in error:
        raise _unsupported(target)
    if status == 400 and "source_lang" in error:
        raise _unsupported(source)
    raise _could_not_translate()


# --- The conversation ------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect would carry the text, and DeepL's key in its header, to another address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# Environment proxies (HTTPS_PROXY, NO_PROXY) count, as for any server process.
_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, *, payload: dict[str, Any], headers: dict[str, str]) -> tuple[int, Any]:
    """POST JSON; the status and the decoded answer (None when it is no JSON)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        # urllib would also open file: and ftp: addresses; the system check names this.
        logger.warning("Machine translation: the service's address is no http(s) address.")
        raise _unreachable()
    request = urllib.request.Request(  # noqa: S310 (http or https, checked above)
        url,
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": "Ankommen",
            **headers,
        },
        method="POST",
    )
    timeout = float(settings.MACHINE_TRANSLATION_TIMEOUT)
    deadline = time.monotonic() + timeout
    try:
        try:
            with _opener.open(request, timeout=timeout) as response:
                status, body = response.status, _read(response, deadline)
        except urllib.error.HTTPError as error:
            with error:
                status, body = error.code, _read(error, deadline)
    except TimeoutError as error:
        _log_failure(error)
        raise _too_slow() from None
    except urllib.error.URLError as error:
        _log_failure(error.reason)
        if isinstance(error.reason, TimeoutError):
            raise _too_slow() from None
        raise _unreachable() from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        _log_failure(error)
        raise _unreachable() from None
    if body is None:
        raise _not_understood(status, f"an answer of more than {MAX_ANSWER_BYTES} bytes")
    if 300 <= status < 400:
        raise _not_understood(status, "a redirect, not followed")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, None


def _read(response: Any, deadline: float) -> bytes | None:
    """The body, unless it is too long or comes in too slowly (the timeout is per read)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(65536):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            return None
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def _error_text(answer: Any, field: str) -> str:
    text = answer.get(field) if isinstance(answer, dict) else None
    return text if isinstance(text, str) else ""


def _redacted(text: str) -> str:
    key = settings.MACHINE_TRANSLATION_KEY
    return (text.replace(key, "***") if key else text)[:300]


def _log_refusal(status: int, error: str) -> None:
    logger.warning(
        "Machine translation (%s) answered %s: %s",
        settings.MACHINE_TRANSLATION_SERVICE,
        status,
        _redacted(error),
    )


def _log_failure(reason: object) -> None:
    logger.warning(
        "Machine translation (%s) failed: %s %s",
        settings.MACHINE_TRANSLATION_SERVICE,
        type(reason).__name__,
        _redacted(str(reason)),
    )


# --- What the translator reads ---------------------------------------------------------------


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code


def _unsupported(code: str) -> SuggestionUnavailable:
    return SuggestionUnavailable(
        _("The translation service offers no suggestions for %(language)s.")
        % {"language": _language_name(code)}
    )


def _key_refused() -> SuggestionUnavailable:
    return SuggestionUnavailable(
        _(
            "The translation service did not accept the portal's key. "
            "An administrator needs to check the setting."
        )
    )


def _too_many_requests() -> SuggestionUnavailable:
    return SuggestionUnavailable(
        _(
            "The translation service has too many requests at the moment. "
            "Please try again in a few minutes."
        )
    )


def _too_long_for_service() -> SuggestionUnavailable:
    return SuggestionUnavailable(_("This text is too long for the translation service."))


def _could_not_translate() -> SuggestionUnavailable:
    return SuggestionUnavailable(
        _("The translation service could not translate this text. Please try again later.")
    )


def _unreachable() -> SuggestionUnavailable:
    return SuggestionUnavailable(
        _("The translation service cannot be reached at the moment. Please try again later.")
    )


def _too_slow() -> SuggestionUnavailable:
    return SuggestionUnavailable(
        _("The translation service took too long to answer. Please try again later.")
    )


def _not_understood(status: int, answer: object) -> SuggestionUnavailable:
    logger.warning(
        "Machine translation (%s) answered %s with something unexpected: %s",
        settings.MACHINE_TRANSLATION_SERVICE,
        status,
        _redacted(answer if isinstance(answer, str) else repr(answer)),
    )
    return SuggestionUnavailable(
        _("The translation service gave an answer the portal does not understand.")
    )
