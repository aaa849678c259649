"""Benchmark: the key pages at city scale, median and p95 server time and queries per page.

Runs against the city-scale database of bench/city.py (or DATABASE_URL). Each page is
requested in-process through Django's full stack (middleware, views, templates) REPEAT times
after two warm-up requests; the query count comes from a separate request so that capturing
them does not slow the timed ones. Prints a table and merges {"pages": {...}} into
bench/results.json (or $BENCH_OUT).

    .venv/bin/python -m bench.pages [--repeat 30]
"""

import argparse
import os
import statistics
import time

from bench.city import CITY_DATABASE_URL

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings.base")
os.environ.setdefault("DATABASE_URL", CITY_DATABASE_URL)
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("ANKOMMEN_REQUIRE_SECOND_FACTOR", "false")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.key_pages import key_pages, signed_in_clients
from bench.results import merge_results
from refugees.models import Newcomer
from volunteers.models import Volunteer


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
    signed_in = signed_in_clients()
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
    out = merge_results(pages=results, pages_dataset=people)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
