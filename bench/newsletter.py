"""Benchmark: a newsletter to N recipients, rendered and handed to the e-mail backend.

Runs the real code path in one process (fan-out, outbox rows, claiming, rendering in each
recipient's language, MIME building) on PostgreSQL, with Celery eager so that all the
worker's work is measured here. Prints a table and merges {"newsletter": {...}} into
bench/results.json (or $BENCH_OUT).

    make bench            # or: .venv/bin/python -m bench.newsletter --recipients 10000
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankommen.settings.base")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ankommen_bench")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ankommen.celery import app
from ankommen.messaging.models import Newsletter, OutboxMessage
from ankommen.messaging.services.newsletters import send_newsletter_now
from bench.backends import CountingEmailBackend
from bench.memory import MemorySampler, rss_mb
from bench.results import merge_results
from bench.subscribers import replace_subscribers

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["de", "de", "de", "ar", "fa", "uk", "tr", "en", "ru", "fr"]
BODY = (
    """Liebe Ehrenamtliche,

**im Dezember** beginnen drei neue Schulungen. Melden Sie sich bis zum 30. November an:

- Grundlagenschulung für Patenschaften (Samstag, 10–16 Uhr)
- Interkulturelle Kommunikation
- Begleitung zu Behörden

Außerdem sucht die AG *Wohnen* Unterstützung bei Besichtigungen in Linden-Limmer und
Vahrenwald-List. [Zur Aufgabenbeschreibung](https://ankommen.example/aufgaben/42)

> Danke für alles, was Sie in diesem Jahr möglich gemacht haben!
"""
    * 3
)


def prepare(recipients: int) -> Newsletter:
    call_command("migrate", verbosity=0)
    replace_subscribers(recipients, domain="bench.ankommen.example", languages=LANGUAGES)
    newsletter = Newsletter.objects.create(subject="Rundbrief Dezember", body=BODY)
    newsletter.translations.create(language="ar", subject="النشرة", body="مرحبا " * 200)
    newsletter.translations.create(language="uk", subject="Розсилка", body="Привіт " * 200)
    return newsletter


def run(recipients: int) -> dict[str, float]:
    newsletter = prepare(recipients)
    settings.EMAIL_BACKEND = "bench.backends.CountingEmailBackend"
    app.conf.task_always_eager = True
    connection.close()

    sampler = MemorySampler()
    rss_before = rss_mb()
    sampler.start()
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    send_newsletter_now(newsletter=newsletter)  # on commit: fan-out and delivery, inline
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    sampler.running = False
    sampler.join()

    sent_rows = OutboxMessage.objects.filter(newsletter=newsletter, state="sent").count()
    if sent_rows != recipients or CountingEmailBackend.sent != recipients:
        sys.exit(f"expected {recipients} sent, got {sent_rows} rows / {CountingEmailBackend.sent}")
    return {
        "recipients": recipients,
        "worker_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "messages_per_second": round(recipients / wall, 1),
        "rss_before_mb": round(rss_before, 1),
        "rss_peak_mb": round(sampler.peak, 1),
        "rss_growth_mb": round(sampler.peak - rss_before, 1),
        "mime_megabytes": round(CountingEmailBackend.bytes_total / 2**20, 1),
        "database": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    arguments = parser.parse_args()
    result = run(arguments.recipients)
    width = max(len(key) for key in result)
    print("Newsletter benchmark")
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    out = merge_results(newsletter=result)
    print(f"written to {out}")


if __name__ == "__main__":
    main()
