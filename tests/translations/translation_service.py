"""A translation service on loopback that speaks LibreTranslate's and DeepL's APIs as they do:
the same paths, keys, status codes and error bodies, and a small dictionary for answers.

    with TranslationService(key="k:fx") as service:
        settings.MACHINE_TRANSLATION_URL = service.url
        ...
        service.received  # every request, in order

Switches for what can go wrong: `overloaded` (429), `quota_used_up` (DeepL's 456), `char_limit`
(LibreTranslate's --char-limit; DeepL's 413 for a request too large), `delay` (seconds before
answering), `answer` (raw bytes instead of a translation), `redirect_to`.
"""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What the fake knows to say; anything else comes back as "[<target>] <text>".
DICTIONARY = {
    ("Deutsch im Alltag", "ar"): "الألمانية في الحياة اليومية",
    ("Deutsch im Alltag", "en"): "German in everyday life",
    ("Deutsch im Alltag", "uk"): "Німецька в повсякденному житті",
}
# A LibreTranslate server with these models installed (none for ps, ku, ti, so).
LIBRETRANSLATE_LANGUAGES = {"de", "en", "ar", "fa", "uk", "ru", "tr", "fr"}
LIBRETRANSLATE_NAMES = {"de": "German", "en": "English", "ar": "Arabic", "fa": "Persian"}
DEEPL_SOURCES = {"AR", "BG", "CS", "DE", "EN", "ES", "FR", "IT", "JA", "NL", "PL", "RU", "TR", "UK"}
DEEPL_TARGETS = (DEEPL_SOURCES - {"EN"}) | {"EN-GB", "EN-US"}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


class TranslationService(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, key: str = "") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.key = key
        self.received: list[Received] = []
        self.overloaded = False
        self.quota_used_up = False
        self.char_limit = 0
        self.delay = 0.0
        self.answer: bytes | None = None
        self.redirect_to = ""
        # Set when the test ends, so that a delayed answer does not outlive it.
        self.released = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> "TranslationService":
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.released.set()
        self.shutdown()
        self.server_close()


def translate(text: str, target: str) -> str:
    return DICTIONARY.get((text, target.lower()[:2]), f"[{target.lower()}] {text}")


class _Handler(BaseHTTPRequestHandler):
    server: TranslationService
    protocol_version = "HTTP/1.1"
    rfile_body = b""

    def do_POST(self) -> None:
        raw = self.rfile_body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        self.server.received.append(Received(self.path, dict(self.headers.items()), body))
        if self.server.delay:
            self.server.released.wait(self.server.delay)
        if self.server.redirect_to:
            self._send(302, b"", location=self.server.redirect_to)
        elif self.server.answer is not None:
            self._send(200, self.server.answer, content_type="text/html")
        elif self.path == "/translate":
            self._libretranslate(body)
        elif self.path == "/v2/translate":
            self._deepl(body)
        else:
            self._json(404, {"error": "Not Found"})

    def _libretranslate(self, body: Any) -> None:
        """As LibreTranslate's app.py answers with --api-keys (and a key required)."""
        if not isinstance(body, dict):
            return self._json(400, {"error": "Invalid JSON format"})
        key = body.get("api_key")
        if self.server.key and key and key != self.server.key:
            return self._json(403, {"error": "Invalid API key"})
        if self.server.key and not key:
            return self._json(
                400, {"error": "Please contact the server operator to get an API key"}
            )
        if self.server.overloaded:
            return self._json(429, {"error": "Slowdown: 1 per 1 minute"})
        for name in ("q", "source", "target"):
            if not body.get(name):
                return self._json(400, {"error": f"Invalid request: missing {name} parameter"})
        if self.server.char_limit and len(body["q"]) > self.server.char_limit:
            size, limit = len(body["q"]), self.server.char_limit
            return self._json(
                400, {"error": f"Invalid request: request ({size}) exceeds text limit ({limit})"}
            )
        source, target = body["source"], body["target"]
        if source not in LIBRETRANSLATE_LANGUAGES:
            detected = {"confidence": 100.0, "language": source}
            return self._json(400, {"error": f"{detected} is not supported"})
        if target not in LIBRETRANSLATE_LANGUAGES:
            return self._json(400, {"error": f"{target} is not supported"})
        if {source, target} == {"fa", "ar"}:  # no model between the two
            target_name = LIBRETRANSLATE_NAMES[target]
            source_name = LIBRETRANSLATE_NAMES[source]
            return self._json(
                400,
                {
                    "error": f"{target_name} ({target}) is not available as a target language "
                    f"from {source_name} ({source})"
                },
            )
        return self._json(200, {"translatedText": translate(body["q"], target)})

    def _deepl(self, body: Any) -> None:
        """As DeepL's /v2/translate answers JSON requests."""
        if self.headers.get("Authorization") != f"DeepL-Auth-Key {self.server.key}":
            return self._json(403, {"message": "Forbidden"})
        if self.server.char_limit and len(self.rfile_body) > self.server.char_limit:
            return self._json(413, {"message": "Request Entity Too Large"})
        if self.server.quota_used_up:
            return self._json(456, {"message": "Quota Exceeded"})
        if self.server.overloaded:
            return self._json(429, {"message": "Too many requests"})
        if not isinstance(body, dict) or not isinstance(body.get("text"), list):
            return self._json(400, {"message": "Parameter 'text' not specified."})
        if body.get("target_lang") not in DEEPL_TARGETS:
            return self._json(400, {"message": "Value for 'target_lang' not supported."})
        if body.get("source_lang") not in DEEPL_SOURCES:
            return self._json(400, {"message": "Value for 'source_lang' not supported."})
        translations = [
            {"detected_source_language": body["source_lang"], "text": translate(text, target)}
            for text in body["text"]
            for target in [body["target_lang"]]
        ]
        return self._json(200, {"translations": translations})

    def _json(self, status: int, answer: Any) -> None:
        self._send(status, json.dumps(answer).encode(), content_type="application/json")

    def _send(
        self, status: int, body: bytes, *, content_type: str = "", location: str = ""
    ) -> None:
        try:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client gave up waiting

    def log_message(self, format: str, *args: object) -> None:
        pass
