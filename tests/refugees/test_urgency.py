"""The newcomer list sorts by a stored "most urgent open need"; every way needs change keeps it
right."""

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from ankommen.vocabulary.models import Theme
from refugees import urgency
from refugees.models import Need, Newcomer
from refugees.services import add_need, set_need_status
from tests.factories import NeedFactory, NewcomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def stored(newcomer: Newcomer) -> int:
    newcomer.refresh_from_db(fields=["most_urgent_need"])
    return newcomer.most_urgent_need


def test_adding_resolving_and_deleting_needs_keep_the_rank(coordinator):
    newcomer = NewcomerFactory()
    assert stored(newcomer) == 0
    housing = Theme.objects.get(slug="housing")

    def add(level: str) -> Need:
        return add_need(
            newcomer=newcomer,
            theme=housing,
            urgency=level,
            note="",
            by=coordinator,
            source="coordinator",
        )

    add("low")
    urgent = add("urgent")
    assert stored(newcomer) == urgency.URGENCY_RANK["urgent"]

    set_need_status(need=urgent, status=Need.Status.RESOLVED)
    assert stored(newcomer) == urgency.URGENCY_RANK["low"]

    Need.objects.filter(newcomer=newcomer).delete()
    assert stored(newcomer) == 0


def test_a_need_changed_in_the_admin_moves_the_newcomer(client):
    admin_user = UserFactory(admin=True)
    need = NeedFactory(urgency="low", created_by=admin_user)
    client.force_login(admin_user)
    data = {key: value for key, value in model_to_dict(need).items() if value is not None}
    data["urgency"] = "urgent"

    response = client.post(reverse("admin:refugees_need_change", args=[need.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors

    assert stored(need.newcomer) == urgency.URGENCY_RANK["urgent"]


def test_the_list_puts_the_most_urgent_first_then_the_longest_waiting(client, coordinator):
    waiting_long = NewcomerFactory(full_name="Bashir Omari")
    NeedFactory(newcomer=waiting_long, urgency="medium")
    urgent = NewcomerFactory(full_name="Amira Karimi")
    NeedFactory(newcomer=urgent, urgency="urgent")
    Newcomer.objects.filter(pk=waiting_long.pk).update(waiting_since="2025-01-01")
    client.force_login(coordinator)

    page = client.get(reverse("refugees:newcomer_list")).content.decode()

    assert page.index("Amira Karimi") < page.index("Bashir Omari")


def test_refresh_mends_needs_written_in_bulk():
    newcomer = NewcomerFactory()
    Need.objects.bulk_create([NeedFactory.build(newcomer=newcomer, urgency="high")])
    assert stored(newcomer) == 0

    assert urgency.refresh([newcomer.pk]) == 1
    assert stored(newcomer) == urgency.URGENCY_RANK["high"]
