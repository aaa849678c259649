"""The city-scale dataset every page and throughput benchmark runs on, and its timed seed.

Hannover-sized (seed 004): 10,000 volunteers and newcomers, 200 working groups, 500 partners,
1,000 training sessions with 50,000 sign-ups, 5,000 mentorships with check-ins and 100,000
sent e-mails in the outbox. `python -m bench.city` (re)creates the PostgreSQL database
`ankommen_city` (or the one in $CITY_DATABASE_URL), migrates it, runs `seed_demo` at that size
in a child process, and merges {"seed": {"seconds": .., "peak_rss_mb": .., ...}} into
bench/results.json. `--if-missing` keeps a database that is already seeded.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time

import psycopg

from bench.results import ROOT, merge_results

CITY_DATABASE_URL = os.environ.get(
    "CITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ankommen_city"
)
CITY_SIZES = {
    "volunteers": 10_000,
    "newcomers": 10_000,
    "groups": 200,
    "partners": 500,
    "sessions": 1_000,
    "sign-ups": 50_000,
    "mentorships": 5_000,
    # Everyone subscribed and ten monthly newsletters: 100,000 sent e-mails.
    "subscriber-percent": 100,
    "newsletters": 10,
}
SEED_GOAL_SECONDS = 120


def use_city_database(settings_module: str = "ankommen.settings.base") -> None:
    """Set Django up in this process against the city database, as the in-process benchmarks
    need it: quiet logs, the test client's and gunicorn's hosts, demo logins without a second
    factor. Variables already set win."""
    import django  # noqa: PLC0415 (only after the environment below is set)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    os.environ.setdefault("DATABASE_URL", CITY_DATABASE_URL)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("ANKOMMEN_REQUIRE_SECOND_FACTOR", "false")
    django.setup()


def city_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": CITY_DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "ankommen.settings.base",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(*arguments: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=city_environment(),
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise SystemExit(f"manage.py {arguments[0]} failed:\n{completed.stderr}")
    return completed.stdout


def is_seeded() -> bool:
    try:
        with psycopg.connect(CITY_DATABASE_URL) as connection:
            row = connection.execute("SELECT count(*) FROM volunteers_volunteer").fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0] >= CITY_SIZES["volunteers"])


def recreate_database() -> None:
    server, name = CITY_DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed() -> dict[str, object]:
    recreate_database()
    manage("migrate", "--no-input")
    manage("createcachetable")
    arguments = [f"--{name}={value}" for name, value in CITY_SIZES.items()]
    started = time.perf_counter()
    output = manage("seed_demo", *arguments)
    seconds = time.perf_counter() - started
    # The child is the only one this process waited for, so its peak is the seed's.
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(output.split("Demo logins")[0].rstrip())
    per_app = {
        name: float(value) for name, value in re.findall(r"^(\w+): .*\(([\d.]+) s\)$", output, re.M)
    }
    return {
        "seconds": round(seconds, 1),
        "goal_seconds": SEED_GOAL_SECONDS,
        "peak_rss_mb": round(peak_kb / 1024),
        "seconds_per_app": per_app,
        "sizes": CITY_SIZES,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--if-missing", action="store_true", help="keep a seeded database")
    if parser.parse_args().if_missing and is_seeded():
        manage("migrate", "--no-input")  # a database seeded by older code gets new indexes
        print("The city database is already seeded.")
        return
    result = seed()
    print(
        f"City seed on PostgreSQL: {result['seconds']} s (goal under {SEED_GOAL_SECONDS} s), "
        f"peak {result['peak_rss_mb']} MB"
    )
    print(f"written to {merge_results(seed=result)}")


if __name__ == "__main__":
    main()
