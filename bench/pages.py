"""Benchmark: the key pages at city scale, median and p95 server time and queries per page.

Runs against the city-scale database of bench/city.py (or DATABASE_URL). Each page is
requested in-process through Django's full stack (middleware, views, templates) REPEAT times
after two warm-up requests, in RUNS rounds over all pages; the medians of the rounds are
reported with the range of p95. The query count comes from a separate request so that
capturing them does not slow the timed ones. Prints a table and merges {"pages": {...}} into
bench/results.json (or $BENCH_OUT).

    .venv/bin/python -m bench.pages [--repeat 30] [--runs 3]
"""

import argparse
import statistics
import time

from bench.city import use_city_database

use_city_database()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.key_pages import key_pages, signed_in_clients
from bench.results import merge_results
from refugees.models import Newcomer
from volunteers.models import Volunteer


def measure(client: Client, path: str, repeat: int) -> list[float]:
    for _ in range(2):
        response = client.get(path, follow=True)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path, follow=True)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def count_queries(client: Client, path: str) -> int:
    """The steady state: caches that expired during the rounds are refilled first (the
    dashboard recomputes its figures once a minute, with 40 queries)."""
    client.get(path, follow=True)
    with CaptureQueriesContext(connection) as captured:
        client.get(path, follow=True)
    return len(captured)


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page and run")
    parser.add_argument(
        "--runs", type=int, default=3, help="rounds over all pages; medians are reported"
    )
    args = parser.parse_args()
    people = {"volunteers": Volunteer.objects.count(), "newcomers": Newcomer.objects.count()}
    signed_in = signed_in_clients()
    pages = key_pages()
    # Rounds over all pages rather than one page at a time: a slow spell of a shared machine
    # then lands on every page instead of on whichever page it happened to hit.
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    for _ in range(args.runs):
        for name, (who, path) in pages.items():
            runs[name].append(percentiles(measure(signed_in[who], path, args.repeat)))
    print(
        f"Key pages on {connection.vendor}, {people['volunteers']:,} volunteers, "
        f"{people['newcomers']:,} newcomers; {args.runs} runs of {args.repeat} requests each, "
        "medians of the runs"
    )
    print(f"{'page':28} {'p50 ms':>8} {'p95 ms':>8} {'p95 range':>14} {'queries':>8}")
    results = {}
    for name, (who, path) in pages.items():
        p95s = [p95 for _, p95 in runs[name]]
        results[name] = {
            "p50_ms": round(statistics.median(p50 for p50, _ in runs[name]), 1),
            "p95_ms": round(statistics.median(p95s), 1),
            "p95_range_ms": [round(min(p95s), 1), round(max(p95s), 1)],
            "queries": count_queries(signed_in[who], path),
        }
        row = results[name]
        spread = f"{row['p95_range_ms'][0]}-{row['p95_range_ms'][1]}"
        print(f"{name:28} {row['p50_ms']:>8} {row['p95_ms']:>8} {spread:>14} {row['queries']:>8}")
    out = merge_results(pages=results, pages_dataset=people)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
