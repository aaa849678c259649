"""The administration for daily work: every changelist opens, searches and filters, and costs
the same number of queries however many rows it lists."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def queries_per_changelist(client) -> dict[str, int]:
    counts = {}
    for model in MODELS:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(changelist(model))
        assert response.status_code == 200, model
        counts[model._meta.label] = len(captured)
    return counts


def test_every_changelist_costs_the_same_at_two_sizes(client):
    client.force_login(UserFactory(admin=True))
    call_command("seed_demo", "--seed", "1", "--volunteers", "8", "--coordinators", "1")
    small_people = User.objects.count()
    small = queries_per_changelist(client)

    call_command("seed_demo", "--seed", "2", "--volunteers", "30", "--coordinators", "2")
    assert User.objects.count() > small_people
    large = queries_per_changelist(client)

    differing = {
        label: (small[label], large[label]) for label in small if small[label] != large[label]
    }
    assert differing == {}
    assert max(large.values()) <= 15


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_searches_and_opens_a_record(client, model):
    client.force_login(UserFactory(admin=True))
    model_admin = admin.site._registry[model]

    response = client.get(
        changelist(model), {"q": "x' OR 1=1 --"} if model_admin.search_fields else {}
    )

    assert response.status_code == 200


def test_targets_and_weights_remember_who_changed_them(client):
    from cockpit.models import Target

    admin_user = UserFactory(admin=True)
    client.force_login(admin_user)

    client.post(reverse("admin:cockpit_target_add"), {"metric": "friendships", "value": "5003"})

    assert Target.objects.get().changed_by == admin_user
