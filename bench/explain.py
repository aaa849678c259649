"""The query plans behind the page timings: for each key page, its slowest query and the plan
PostgreSQL chose for it (EXPLAIN ANALYZE), on the city-scale database.

    .venv/bin/python -m bench.explain                      # every key page, plan summaries
    .venv/bin/python -m bench.explain "newcomer list" -v   # one page, the whole plan
"""

import argparse

from bench.city import use_city_database

use_city_database()

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.key_pages import key_pages, signed_in_clients

# The plan lines that tell how rows were found: index or full scan, sort, join.
TELLING = ("Index", "Seq Scan", "Sort", "Join", "Nested Loop", "Limit", "Execution Time")


def slowest_query(client: object, path: str) -> str:
    client.get(path)  # warm: caches filled, templates compiled
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return max(captured.captured_queries, key=lambda query: float(query["time"]))["sql"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="*", help="page names (default: all key pages)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print whole plans")
    arguments = parser.parse_args()
    clients = signed_in_clients()
    pages = key_pages()
    for name in arguments.pages or pages:
        who, path = pages[name]
        sql = slowest_query(clients[who], path)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"== {name}: {sql[:120]} ...")
        for line in plan:
            if arguments.verbose or any(word in line for word in TELLING):
                print("   ", line[:160])


if __name__ == "__main__":
    main()
