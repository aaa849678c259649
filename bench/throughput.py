"""Benchmark: requests per second under gunicorn with 2 workers, loaded by wrk on loopback.

Serves the city-scale database (see bench/city.py) with gunicorn, 2 sync workers, the
portal's own settings and middleware, and loads it from another process with wrk (1 thread,
8 connections: on a 2-core machine the load generator must leave the server its cores). The
floor is a view that does nothing behind the same middleware, measured in the same run: the
most this machine allows. Merges {"throughput": {"<page>": {"rps": ..}, "floor": {"rps": ..}}}
into bench/results.json (or $BENCH_OUT).

    .venv/bin/python -m bench.throughput [--seconds 15]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.city import use_city_database

use_city_database("bench.settings")

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from bench.key_pages import signed_in_clients
from bench.results import ROOT, merge_results
from tools.serving import free_port

GOAL_SHARE_OF_FLOOR = 0.4
WORKERS = 2
CONNECTIONS = 8


def start_gunicorn(port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "ankommen.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer within 30 s")


def session_cookies() -> dict[str, str]:
    """A signed-in volunteer and a newcomer who opened their access card, as browsers would."""
    clients = signed_in_clients()
    return {
        who: client.cookies[settings.SESSION_COOKIE_NAME].value
        for who, client in clients.items()
        if settings.SESSION_COOKIE_NAME in client.cookies  # a visitor has no session
    }


def load(url: str, cookie: str | None, seconds: int) -> float:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-H", "Accept-Language: de"]
    if cookie:
        command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"]
    # A short warm-up so that both workers have loaded templates and translations.
    subprocess.run([*command[:3], "-d2s", *command[4:], url], check=True, capture_output=True)
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"{url} answered errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def status_of(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url, headers={"Accept-Language": "de"})  # noqa: S310
    if cookie:
        request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}")
    # Redirects would hide a sign-in page behind a 200: they count as failures here.
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    seconds = parser.parse_args().seconds
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    cookies = session_cookies()
    with translation.override("de"):
        targets = {
            "floor": ("/bench/floor/", None),
            # The same empty view for a signed-in volunteer: what reading the session costs.
            "floor, signed in": ("/bench/floor/", cookies["volunteer"]),
            "newcomer view": (reverse("newcomer:home"), cookies["newcomer"]),
            "training catalogue": (reverse("trainings:catalogue"), cookies["volunteer"]),
        }
    port = free_port()
    server = start_gunicorn(port)
    results = {}
    try:
        for name, (path, cookie) in targets.items():
            url = f"http://127.0.0.1:{port}{path}"
            status = status_of(url, cookie)
            if status != 200:
                raise SystemExit(f"{name} ({path}) answered {status}, not 200")
            results[name] = {"rps": round(load(url, cookie, seconds), 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor = results["floor"]["rps"]
    signed_in_floor = results["floor, signed in"]["rps"]
    print(
        f"Throughput, gunicorn with {WORKERS} workers, wrk with {CONNECTIONS} connections, "
        f"{seconds} s each"
    )
    print(f"{'page':22} {'req/s':>8} {'of floor':>9} {'of signed-in floor':>19}")
    for name, row in results.items():
        if not name.startswith("floor"):
            row["share_of_floor"] = round(row["rps"] / floor, 2)
            row["share_of_signed_in_floor"] = round(row["rps"] / signed_in_floor, 2)
            row["goal_share_of_floor"] = GOAL_SHARE_OF_FLOOR
        of_signed_in = "" if name == "floor" else f"{row['rps'] / signed_in_floor:.0%}"
        print(f"{name:22} {row['rps']:>8} {row['rps'] / floor:>9.0%} {of_signed_in:>19}")
    print(f"written to {merge_results(throughput=results)}")


if __name__ == "__main__":
    main()
