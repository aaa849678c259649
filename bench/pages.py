"""Benchmark: the key pages at city scale, median and p95 server time and queries per page.

Runs against the database in DATABASE_URL (default: PostgreSQL `ankommen_city`, filled with
`seed_demo --volunteers 10000 --newcomers 10000 --sessions 1000 --partners 500`). Each page is
requested in-process through Django's full stack (middleware, views, templates) REPEAT times
after two warm-up requests; the query count comes from a separate request so that capturing
them does not slow the timed ones. Prints a table and merges {"pages": {...}} into
bench/results.json (or $BENCH_OUT).

    .venv/bin/python -m bench.pages [--repeat 30]
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings.base")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ankommen_city")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("ANKOMMEN_REQUIRE_SECOND_FACTOR", "false")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.accounts.models import User
from matching.models import MatchingRun
from refugees.models import Newcomer
from refugees.services import issue_access_link
from trainings.models import Session
from volunteers.models import Volunteer

ROOT = Path(__file__).resolve().parent.parent


def key_pages() -> dict[str, tuple[str, str]]:
    """Page name -> (who, path). Objects are the first of their kind, so every run is alike."""
    volunteer = Volunteer.objects.order_by("pk").first()
    newcomer = Newcomer.objects.order_by("pk").first()
    session = Session.objects.order_by("-confirmed_count", "pk").first()
    run = MatchingRun.objects.order_by("-pk").first()
    return {
        "coordinator dashboard": ("coordinator", reverse("cockpit:dashboard")),
        "card file": ("coordinator", reverse("volunteers:card_file")),
        "card file, filtered": (
            "coordinator",
            reverse("volunteers:card_file") + "?stage=ready&stage=active&language=1&ordering=name",
        ),
        "volunteer detail": (
            "coordinator",
            reverse("volunteers:volunteer_detail", args=[volunteer.pk]),
        ),
        "newcomer list": ("coordinator", reverse("refugees:newcomer_list")),
        "newcomer view": ("newcomer", reverse("newcomer:home")),
        "training catalogue": ("volunteer", reverse("trainings:catalogue")),
        "session page": ("volunteer", reverse("trainings:session_detail", args=[session.pk])),
        "matching proposals": ("coordinator", reverse("matching:run_detail", args=[run.pk])),
        "gap matrix": ("coordinator", reverse("workgroups:gaps")),
        "admin: volunteers": ("admin", "/admin/volunteers/volunteer/"),
        "admin: newcomers": ("admin", "/admin/refugees/newcomer/"),
        "admin: outbox": ("admin", "/admin/messaging/outboxmessage/"),
        "newcomer detail": ("coordinator", reverse("refugees:newcomer_detail", args=[newcomer.pk])),
    }


def clients() -> dict[str, Client]:
    signed_in = {}
    for role, email in (
        ("coordinator", "coordinator@demo.ankommen.example"),
        ("volunteer", "volunteer@demo.ankommen.example"),
        ("admin", "admin@demo.ankommen.example"),
    ):
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        client.force_login(User.objects.get(email=email))
        signed_in[role] = client
    newcomer_client = Client(HTTP_ACCEPT_LANGUAGE="de")
    newcomer = Newcomer.objects.filter(user__isnull=False).order_by("pk").first() or (
        Newcomer.objects.order_by("pk").first()
    )
    card = issue_access_link(
        newcomer=newcomer, by=User.objects.get(email="coordinator@demo.ankommen.example")
    )
    newcomer_client.get(f"/n/{card.token}/")
    signed_in["newcomer"] = newcomer_client
    return signed_in


def measure(client: Client, path: str, repeat: int) -> dict[str, float]:
    for _ in range(2):
        response = client.get(path, follow=True)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path, follow=True)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(path, follow=True)
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "queries": len(captured),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    people = {"volunteers": Volunteer.objects.count(), "newcomers": Newcomer.objects.count()}
    signed_in = clients()
    results = {}
    print(
        f"Key pages on {connection.vendor}, {people['volunteers']:,} volunteers, "
        f"{people['newcomers']:,} newcomers, {args.repeat} requests each"
    )
    print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, (who, path) in key_pages().items():
        results[name] = measure(signed_in[who], path, args.repeat)
        row = results[name]
        print(f"{name:28} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['queries']:>8}")
    out = Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results.json"))
    merged = json.loads(out.read_text()) if out.exists() else {}
    merged["pages"] = results
    merged["pages_dataset"] = people
    out.write_text(json.dumps(merged, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
