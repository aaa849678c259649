"""The key pages of bench/pages.py cost the same number of queries with a small demo and with
one about three times its size, and none more than the budget: a page that grows with the data fails
here before it is slow in a city."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ankommen.accounts.models import User
from bench.key_pages import DEMO_STAFF, key_pages, signed_in_clients
from tests.factories import give_second_factor
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 15


def queries_per_page() -> dict[str, int]:
    clients = signed_in_clients()
    counts = {}
    for name, (who, path) in key_pages().items():
        clients[who].get(path)  # the first request fills per-process caches (vocabulary)
        with CaptureQueriesContext(connection) as captured:
            response = clients[who].get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


def seed(seed: int, size: int) -> None:
    call_command(
        "seed_demo",
        *("--seed", str(seed), "--coordinators", "1", "--volunteers", str(size)),
        *("--newcomers", str(size), "--sessions", str(size // 2), "--partners", str(size // 4)),
        *("--mentorships", str(size // 8)),
    )


def test_key_pages_cost_the_same_at_two_sizes():
    seed(1, 40)
    for email in (DEMO_STAFF["coordinator"], DEMO_STAFF["admin"], DEMO_STAFF["partner"]):
        give_second_factor(User.objects.get(email=email))
    small = queries_per_page()

    seed(2, 120)
    assert Volunteer.objects.count() > 100  # about three times as many
    large = queries_per_page()

    assert {name: (small[name], large[name]) for name in small if small[name] != large[name]} == {}
    assert {name: count for name, count in large.items() if count > QUERY_BUDGET} == {}
