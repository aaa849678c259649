import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from ankommen.operations import health
from tests.brokers import celery_broker

pytestmark = pytest.mark.django_db

STOPPED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_reports_every_part_and_needs_no_sign_in(client, settings):
    health.record_heartbeat(hostname="worker@test")

    response = client.get("/healthz")

    body = response.json()
    workers = body.pop("workers")
    assert response.status_code == 200
    assert body == {
        "status": "ok",
        "database": {"status": "ok"},
        "broker": {
            "status": "ok",
            "detail": "filesystem" if settings.IS_EMBEDDED_BROKER else "redis",
        },
    }
    assert workers["status"] == "ok"
    assert re.fullmatch(r"last heartbeat \d+ s ago", workers["detail"])
    assert "no-cache" in response["Cache-Control"]


def test_stopped_broker_is_reported_while_pages_are_still_served(client, settings):
    settings.IS_EMBEDDED_BROKER = False

    with celery_broker(STOPPED_REDIS):
        health_response = client.get("/healthz")
        page = client.get("/de/")

    assert health_response.status_code == 200
    assert health_response.json()["status"] == "degraded"
    assert health_response.json()["broker"]["status"] == "down"
    assert page.status_code == 200


def test_database_down_answers_503(client):
    with mock.patch.object(
        health.connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == {"status": "down", "detail": "OperationalError"}
    assert response.json()["workers"] == {"status": "unknown"}


def test_workers_are_unknown_before_the_first_heartbeat():
    assert health.check_workers().status == "unknown"


def test_an_old_heartbeat_means_the_workers_are_stale(settings):
    settings.HEARTBEAT_INTERVAL = timedelta(seconds=30)
    health.record_heartbeat(hostname="worker@test")

    with mock.patch.object(
        health.timezone, "now", return_value=timezone.now() + timedelta(minutes=5)
    ):
        check = health.check_workers()

    assert check.status == "stale"
