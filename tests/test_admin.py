"""The administration for daily work: every changelist opens, searches and filters, and costs
the same number of queries however many rows it lists."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.accounts.models import User
from ankommen.admin_mixins import ReadOnlyAdminMixin
from ankommen.audit.models import AuditEvent
from matching.models import MatchingRun
from tests.factories import UserFactory, VolunteerFactory
from volunteers.models import VolunteerConsent

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


READ_ONLY = [
    model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ReadOnlyAdminMixin)
]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model._meta.label)
def test_a_record_of_what_happened_is_shown_but_never_added_or_changed(rf, model):
    request = rf.get("/")
    request.user = UserFactory(admin=True)
    model_admin = admin.site._registry[model]

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)


def test_the_audit_log_is_not_deleted_even_by_an_administrator_but_a_run_may_be(rf):
    request = rf.get("/")
    request.user = UserFactory(admin=True)

    assert not admin.site._registry[AuditEvent].has_delete_permission(request)
    assert admin.site._registry[MatchingRun].has_delete_permission(request)


def test_a_read_only_inline_shows_its_rows_without_a_field_to_edit_add_or_delete(client):
    client.force_login(UserFactory(admin=True))
    volunteer = VolunteerFactory()  # with the consent they gave

    response = client.get(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]))

    consents = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is VolunteerConsent
    )
    assert not consents.has_add_permission
    assert not consents.formset.can_delete
    assert set(consents.formset.form.base_fields) <= {"id", "volunteer"}
    assert list(consents.readonly_fields) == [
        "text_version", "text", "language", "agreed_at", "ip_address"
    ]  # fmt: skip
    assert "I agree." in response.content.decode()
