"""gunicorn's settings for the image (`--config python:ankommen.operations.gunicorn_conf`).

The access log is gunicorn's usual combined format, with token paths, query strings and
referrers redacted; request and response headers and the environment (cookies among them) are
not available to the format at all. The error log ("Error handling request /n/…") is redacted
the same way.
"""

from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]  # gunicorn ships no types

from ankommen.operations.log_redaction import REDACTED, RedactSecrets, redact

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
logger_class = "ankommen.operations.gunicorn_conf.RedactingLogger"
# One instance: a reload (SIGHUP) runs setup again, and logging keeps a filter only once.
_redact_secrets = RedactSecrets()


class RedactingLogger(Logger):
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_redact_secrets)

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta
    ) -> dict[str, Any]:
        atoms = {
            name: value
            for name, value in super().atoms(resp, req, environ, request_time).items()
            if not name.startswith("{")
        }
        for name in ("r", "U", "f"):
            if isinstance(atoms.get(name), str):
                atoms[name] = redact(atoms[name])
        atoms["q"] = REDACTED if atoms.get("q") else ""
        return atoms
