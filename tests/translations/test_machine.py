"""Machine translation suggestions, against a real HTTP server on loopback that speaks
LibreTranslate's and DeepL's APIs (tests/translations/translation_service.py): a suggestion
arrives; whatever goes wrong becomes a plain message; without the setting nothing is sent."""

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import translation

from tests.translations.translation_service import TranslationService
from translations import checks, machine
from translations.machine import SuggestionUnavailable, is_configured, suggest

KEY = "5e1f0c3a-a-secret-key:fx"
ARABIC = "الألمانية في الحياة اليومية"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch):
    # A proxy set for the machine running the tests must not stand between client and server.
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def service():
    with TranslationService(key=KEY) as server:
        yield server


@pytest.fixture
def libretranslate(settings, service):
    settings.MACHINE_TRANSLATION_SERVICE = "libretranslate"
    settings.MACHINE_TRANSLATION_URL = service.url
    settings.MACHINE_TRANSLATION_KEY = KEY
    settings.MACHINE_TRANSLATION_TIMEOUT = 5
    return service


@pytest.fixture
def deepl(settings, service):
    settings.MACHINE_TRANSLATION_SERVICE = "deepl"
    settings.MACHINE_TRANSLATION_URL = service.url
    settings.MACHINE_TRANSLATION_KEY = KEY
    settings.MACHINE_TRANSLATION_TIMEOUT = 5
    return service


def _refusal(**kwargs):
    with pytest.raises(SuggestionUnavailable) as refused:
        suggest("Deutsch im Alltag", **{"source": "de", "target": "ar", **kwargs})
    return str(refused.value)


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- A suggestion arrives ---------------------------------------------------------------------


def test_libretranslate_suggests_a_translation(libretranslate):
    suggestion = suggest("Deutsch im Alltag", source="de", target="ar")

    assert is_configured()
    assert suggestion == ARABIC
    [request] = libretranslate.received
    assert request.path == "/translate"
    assert request.headers["Content-Type"] == "application/json"
    assert request.body == {
        "q": "Deutsch im Alltag",
        "source": "de",
        "target": "ar",
        "format": "text",
        "api_key": KEY,
    }


def test_libretranslate_without_a_key_sends_none(settings, libretranslate):
    settings.MACHINE_TRANSLATION_KEY = ""
    libretranslate.key = ""

    suggestion = suggest("Deutsch im Alltag", source="de", target="uk")

    assert suggestion == "Німецька в повсякденному житті"
    assert "api_key" not in libretranslate.received[0].body


def test_deepl_suggests_a_translation(deepl):
    suggestion = suggest("Deutsch im Alltag", source="de", target="ar")

    assert is_configured()
    assert suggestion == ARABIC
    [request] = deepl.received
    assert request.path == "/v2/translate"
    assert request.headers["Authorization"] == f"DeepL-Auth-Key {KEY}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.body == {"text": ["Deutsch im Alltag"], "source_lang": "DE", "target_lang": "AR"}


def test_deepl_is_asked_for_british_english(deepl):
    suggestion = suggest("Deutsch im Alltag", source="de", target="en")

    assert suggestion == "German in everyday life"
    assert deepl.received[0].body["target_lang"] == "EN-GB"


def test_deepl_free_keys_go_to_the_free_address_and_others_to_the_paid_one(settings):
    settings.MACHINE_TRANSLATION_URL = ""

    assert machine.deepl_url("abc:fx") == "https://api-free.deepl.com"
    assert machine.deepl_url("abc") == "https://api.deepl.com"
    settings.MACHINE_TRANSLATION_URL = "https://deepl-proxy.example.org/"
    assert machine.deepl_url("abc:fx") == "https://deepl-proxy.example.org"


# --- A wrong key, a quota, an overload ---------------------------------------------------------


@pytest.mark.parametrize("fixture", ["libretranslate", "deepl"])
def test_a_wrong_key_gives_a_clear_message_naming_no_key(request, settings, caplog, fixture):
    service = request.getfixturevalue(fixture)
    settings.MACHINE_TRANSLATION_KEY = "wrong-key-0815"

    with caplog.at_level(logging.DEBUG):
        message = _refusal()

    assert message == (
        "The translation service did not accept the portal's key. "
        "An administrator needs to check the setting."
    )
    assert len(service.received) == 1
    assert "wrong-key-0815" not in message
    assert service.url not in message
    assert "wrong-key-0815" not in caplog.text


def test_libretranslate_asking_for_a_key_that_is_not_set_is_a_key_problem(settings, libretranslate):
    settings.MACHINE_TRANSLATION_KEY = ""

    message = _refusal()

    assert "did not accept the portal's key" in message


def test_deepl_quota_used_up_says_so(deepl):
    deepl.quota_used_up = True

    message = _refusal()

    assert message == (
        "The organisation's allowance at the translation service is used up. "
        "Suggestions come back when it renews."
    )


@pytest.mark.parametrize("fixture", ["libretranslate", "deepl"])
def test_an_overloaded_service_asks_to_try_again_later(request, fixture):
    request.getfixturevalue(fixture).overloaded = True

    message = _refusal()

    assert message == (
        "The translation service has too many requests at the moment. "
        "Please try again in a few minutes."
    )


# --- A service that is down or slow -------------------------------------------------------------


@pytest.mark.parametrize("service_name", ["libretranslate", "deepl"])
def test_a_service_that_is_down_cannot_be_reached(settings, service_name):
    settings.MACHINE_TRANSLATION_SERVICE = service_name
    settings.MACHINE_TRANSLATION_URL = f"http://127.0.0.1:{_closed_port()}"
    settings.MACHINE_TRANSLATION_KEY = KEY

    message = _refusal()

    assert message == (
        "The translation service cannot be reached at the moment. Please try again later."
    )
    assert "127.0.0.1" not in message


@pytest.mark.parametrize("fixture", ["libretranslate", "deepl"])
def test_a_slow_service_is_given_up_after_the_timeout(request, settings, fixture):
    service = request.getfixturevalue(fixture)
    settings.MACHINE_TRANSLATION_TIMEOUT = 0.3
    service.delay = 10
    started = time.monotonic()

    message = _refusal()

    assert message == "The translation service took too long to answer. Please try again later."
    assert time.monotonic() - started < 3
    assert len(service.received) == 1


# --- Languages a service does not offer ---------------------------------------------------------


def test_libretranslate_without_the_language_names_it(libretranslate):
    message = _refusal(target="ti")

    assert message == "The translation service offers no suggestions for ትግርኛ."
    assert libretranslate.received[0].body["target"] == "ti"


def test_libretranslate_without_the_pair_names_the_target(libretranslate):
    message = _refusal(source="fa", target="ar")

    arabic = translation.get_language_info("ar")["name_local"]
    assert message == f"The translation service offers no suggestions for {arabic}."


@pytest.mark.parametrize(("code", "name"), [("ti", "ትግርኛ"), ("ps", "پښتو"), ("so", "Soomaali")])
def test_deepl_is_not_asked_for_a_language_it_does_not_offer(deepl, code, name):
    message = _refusal(target=code)

    assert message == f"The translation service offers no suggestions for {name}."
    assert deepl.received == []


def test_the_message_is_in_the_readers_language(libretranslate):
    with translation.override("de"):
        message = _refusal(target="ti")

    assert "ትግርኛ" in message
    assert "The translation service" not in message


# --- Answers that are no translation -------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["libretranslate", "deepl"])
def test_an_answer_that_is_no_json_is_not_understood(request, fixture):
    request.getfixturevalue(fixture).answer = b"<html><body>Bad Gateway</body></html>"

    message = _refusal()

    assert message == "The translation service gave an answer the portal does not understand."


def test_an_answer_too_large_is_not_read(libretranslate):
    libretranslate.answer = b'{"translatedText": "' + b"a" * 1_200_000 + b'"}'

    message = _refusal()

    assert message == "The translation service gave an answer the portal does not understand."


def test_a_redirect_is_not_followed_with_the_key(deepl):
    deepl.redirect_to = f"{deepl.url}/elsewhere"

    message = _refusal()

    assert message == "The translation service gave an answer the portal does not understand."
    assert [request.path for request in deepl.received] == ["/v2/translate"]


def test_a_text_too_long_is_not_sent(libretranslate):
    with pytest.raises(SuggestionUnavailable) as refused:
        suggest("x" * 5001, source="de", target="ar")

    assert str(refused.value) == (
        "This text is too long for a suggestion: at most 5,000 characters are sent."
    )
    assert libretranslate.received == []


@pytest.mark.parametrize("fixture", ["libretranslate", "deepl"])
def test_a_text_longer_than_the_service_takes_says_so(request, fixture):
    request.getfixturevalue(fixture).char_limit = 10

    message = _refusal()

    assert message == "This text is too long for the translation service."


# --- Without the setting nothing leaves the server ------------------------------------------------


def test_without_a_service_nothing_is_sent(settings, service):
    settings.MACHINE_TRANSLATION_SERVICE = ""
    settings.MACHINE_TRANSLATION_URL = service.url
    settings.MACHINE_TRANSLATION_KEY = KEY

    message = _refusal()

    assert not is_configured()
    assert message == "No translation service is set up for suggestions."
    assert service.received == []


@pytest.mark.parametrize(
    ("service_name", "url", "key"),
    [("libretranslate", "", KEY), ("deepl", "URL", ""), ("googl", "URL", KEY)],
)
def test_a_service_half_set_up_sends_nothing(settings, service, service_name, url, key):
    settings.MACHINE_TRANSLATION_SERVICE = service_name
    settings.MACHINE_TRANSLATION_URL = service.url if url else ""
    settings.MACHINE_TRANSLATION_KEY = key

    message = _refusal()

    assert not is_configured()
    assert message == "No translation service is set up for suggestions."
    assert service.received == []


def test_the_default_settings_offer_no_suggestions():
    assert not is_configured()


# --- Start-up checks ---------------------------------------------------------------------------


def _check_ids():
    return [problem.id for problem in checks.machine_translation_settings()]


def test_the_checks_accept_no_service_and_a_complete_one(settings):
    settings.MACHINE_TRANSLATION_SERVICE = ""
    assert _check_ids() == []

    settings.MACHINE_TRANSLATION_SERVICE = "libretranslate"
    settings.MACHINE_TRANSLATION_URL = "http://libretranslate:5000"
    settings.MACHINE_TRANSLATION_KEY = ""
    assert _check_ids() == []


@pytest.mark.parametrize(
    ("service_name", "url", "key", "timeout", "problem"),
    [
        ("googl", "", "", 8, "translations.E001"),
        ("libretranslate", "", "", 8, "translations.E002"),
        ("deepl", "", "", 8, "translations.E003"),
        ("libretranslate", "file:///etc/passwd", "", 8, "translations.E004"),
        ("deepl", "", KEY, 0, "translations.E005"),
    ],
)
def test_the_checks_name_what_is_missing(settings, service_name, url, key, timeout, problem):
    settings.MACHINE_TRANSLATION_SERVICE = service_name
    settings.MACHINE_TRANSLATION_URL = url
    settings.MACHINE_TRANSLATION_KEY = key
    settings.MACHINE_TRANSLATION_TIMEOUT = timeout

    assert _check_ids() == [problem]


def test_a_file_address_is_never_opened(settings, tmp_path):
    (tmp_path / "translate").write_text('{"translatedText": "read from the disk"}')
    settings.MACHINE_TRANSLATION_SERVICE = "libretranslate"
    settings.MACHINE_TRANSLATION_URL = tmp_path.as_uri()

    message = _refusal()

    assert message == (
        "The translation service cannot be reached at the moment. Please try again later."
    )


def test_manage_check_refuses_an_unknown_service():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "ANKOMMEN_MACHINE_TRANSLATION_SERVICE": "googl"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "translations.E001" in result.stderr
