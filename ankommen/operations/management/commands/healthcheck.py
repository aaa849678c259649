import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def local_host_name() -> str:
    """A name the portal answers to: the health check reaches it as 127.0.0.1, which production's
    ALLOWED_HOSTS does not list, and Django would answer 400."""
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


class Command(BaseCommand):
    help = (
        "Ask the running web server for /healthz (for container health checks): exit 0 while "
        "it serves pages, print what it reports about the database, the broker and the workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/healthz")
        parser.add_argument(
            "--require-workers",
            action="store_true",
            help="Fail also when the worker heartbeat is missing or stale.",
        )
        parser.add_argument("--timeout", type=float, default=5.0)

    def handle(self, *args: Any, **options: Any) -> None:
        request = urllib.request.Request(  # noqa: S310 (a URL the administrator gives)
            options["url"],
            # As the TLS proxy in front would: no redirect to https, the portal's own host name.
            headers={"Host": local_host_name(), "X-Forwarded-Proto": "https"},
        )
        try:
            with urllib.request.urlopen(request, timeout=options["timeout"]) as response:  # noqa: S310
                body = response.read().decode()
        except urllib.error.HTTPError as error:
            raise CommandError(
                f"{options['url']} answered {error.code}: {error.read().decode()[:500]}"
            ) from error
        except (OSError, ValueError) as error:
            raise CommandError(f"{options['url']} does not answer: {error}") from error
        self.stdout.write(body)
        try:
            workers = json.loads(body).get("workers", {}).get("status")
        except (ValueError, AttributeError) as error:
            raise CommandError(f"{options['url']} did not answer with JSON.") from error
        if options["require_workers"] and workers != "ok":
            raise CommandError(f"Workers are {workers}: no fresh heartbeat from beat and a worker.")
