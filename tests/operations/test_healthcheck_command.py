import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from ankommen.operations import health

pytestmark = pytest.mark.django_db(transaction=True)


def test_healthcheck_prints_what_healthz_reports_about_workers(live_server):
    health.record_heartbeat(hostname="worker@test")
    out = io.StringIO()

    call_command(
        "healthcheck", "--url", f"{live_server.url}/healthz", "--require-workers", stdout=out
    )

    assert '"workers": {"status": "ok"' in out.getvalue()


def test_healthcheck_passes_without_workers_unless_they_are_required(live_server):
    cache.delete(health.HEARTBEAT_CACHE_KEY)
    out = io.StringIO()

    call_command("healthcheck", "--url", f"{live_server.url}/healthz", stdout=out)

    assert '"database": {"status": "ok"}' in out.getvalue()
    with pytest.raises(CommandError, match="Workers are unknown"):
        call_command("healthcheck", "--url", f"{live_server.url}/healthz", "--require-workers")


def test_healthcheck_fails_when_nothing_answers():
    with pytest.raises(CommandError, match="does not answer"):
        call_command("healthcheck", "--url", "http://127.0.0.1:1/healthz", "--timeout", "1")
