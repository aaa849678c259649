"""Coordinators set the dashboard's targets on their own page, never in the admin: each change
is audited with who made it, and the dashboard shows it on the next visit."""

import pytest
from django.urls import reverse
from django.utils import translation

from ankommen.audit.models import AuditEvent
from cockpit import services
from cockpit.models import Target
from tests.factories import MentorshipFactory, TargetFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_a_target_set_on_its_page_shows_on_the_dashboard_at_once(
    signed_in, coordinator, django_capture_on_commit_callbacks
):
    MentorshipFactory(state="active")
    before = signed_in.get("/en/cockpit/").content.decode()  # the figures are now cached

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            "/en/cockpit/targets/add/", {"metric": "friendships", "value": "4", "note": "By May"}
        )
    after = signed_in.get("/en/cockpit/").content.decode()

    assert response.status_code == 302
    assert "No target set yet." in before
    assert "25 % of the target of 4" in after
    assert "No target set yet." not in after
    target = Target.objects.get()
    assert (target.value, target.note, target.changed_by) == (4, "By May", coordinator)


def test_the_dashboard_links_to_the_targets_page_instead_of_the_admin(signed_in):
    page = signed_in.get(reverse("cockpit:dashboard")).content.decode()

    assert reverse("cockpit:targets") in page
    assert "/admin/" not in page
    assert reverse("matching:weights") in page
    assert reverse("vocabulary:entry_list", args=["districts"]) in page


def test_a_changed_target_shows_on_the_dashboard_at_once(
    signed_in, django_capture_on_commit_callbacks
):
    target = TargetFactory(metric="friendships", value=10)
    MentorshipFactory(state="active")
    signed_in.get("/en/cockpit/")

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(f"/en/cockpit/targets/{target.pk}/", {"value": "2", "note": ""})
    page = signed_in.get("/en/cockpit/").content.decode()

    assert "50 % of the target of 2" in page


def test_removing_a_target_asks_first_and_then_the_dashboard_shows_none(
    signed_in, django_capture_on_commit_callbacks
):
    target = TargetFactory(metric="friendships", value=10)
    signed_in.get("/en/cockpit/")

    question = signed_in.get(f"/en/cockpit/targets/{target.pk}/delete/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(f"/en/cockpit/targets/{target.pk}/delete/")
    page = signed_in.get("/en/cockpit/").content.decode()

    assert "The target of 10 for “Friendships that came about” will be removed." in question
    assert not Target.objects.exists()
    assert "No target set yet." in page


def test_each_change_leaves_an_audit_entry_with_who_and_which_fields(coordinator):
    other = UserFactory(role="coordinator")

    target = services.set_target(metric="trained", value=50, note="", by=coordinator)
    services.change_target(target=target, value=60, note="", by=other)
    services.change_target(target=target, value=60, note="", by=other)  # nothing changed
    pk = target.pk
    services.delete_target(target=target, by=coordinator)

    entries = list(
        AuditEvent.objects.filter(subject_type="target", subject_id=pk)
        .order_by("pk")
        .values_list("action", "actor_id", "details")
    )
    assert entries == [
        ("create", coordinator.pk, {}),
        ("change", other.pk, {"fields": ["value"]}),
        ("delete", coordinator.pk, {}),
    ]


def test_the_targets_page_shows_who_changed_what_and_when(signed_in):
    changer = UserFactory(role="coordinator", full_name="Greta Lindner")
    target = services.set_target(metric="ready", value=20, note="", by=changer)
    services.change_target(target=target, value=25, note="Spring", by=changer)

    with translation.override("en"):
        page = signed_in.get(reverse("cockpit:targets")).content.decode()

    assert "Last changed by Greta Lindner" in page
    assert "Greta Lindner · Changed: Ready to accompany (note, target)" in page
    assert "Greta Lindner · Created: Ready to accompany" in page


@pytest.mark.parametrize("value", ["0", "-3", "1000001", "ten", ""])
def test_a_target_out_of_bounds_is_refused_with_a_message_and_nothing_saved(signed_in, value):
    response = signed_in.post(
        "/en/cockpit/targets/add/", {"metric": "trained", "value": value, "note": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["value"]
    assert not Target.objects.exists()


@pytest.mark.parametrize("value", [0, 1_000_001])
def test_the_service_refuses_a_target_out_of_bounds_whoever_calls_it(coordinator, value):
    with pytest.raises(services.TargetError), translation.override("en"):
        services.set_target(metric="trained", value=value, note="", by=coordinator)

    assert not Target.objects.exists()
    assert not AuditEvent.objects.filter(subject_type="target").exists()


def test_a_second_target_for_the_same_figure_is_refused(signed_in, coordinator):
    TargetFactory(metric="trained", value=5)

    with pytest.raises(services.TargetError):
        services.set_target(metric="trained", value=9, note="", by=coordinator)
    response = signed_in.post("/en/cockpit/targets/add/", {"metric": "trained", "value": "9"})

    assert response.status_code == 400
    assert Target.objects.get().value == 5


def test_volunteers_cannot_see_or_change_targets(client, volunteer):
    target = TargetFactory(metric="trained", value=5)
    client.force_login(volunteer)

    answers = [
        client.get(reverse("cockpit:targets")).status_code,
        client.post(reverse("cockpit:target_add"), {"metric": "ready", "value": "3"}).status_code,
        client.post(reverse("cockpit:target_edit", args=[target.pk]), {"value": "1"}).status_code,
        client.post(reverse("cockpit:target_delete", args=[target.pk])).status_code,
    ]

    assert answers == [403, 403, 403, 403]
    assert list(Target.objects.values_list("metric", "value")) == [("trained", 5)]


def test_a_target_that_does_not_exist_is_a_404(signed_in):
    assert signed_in.get(reverse("cockpit:target_edit", args=[999_999])).status_code == 404
    assert signed_in.post(reverse("cockpit:target_delete", args=[999_999])).status_code == 404


@pytest.mark.parametrize("changes", [1, 12])
def test_the_targets_page_costs_the_same_queries_at_any_size(
    signed_in, coordinator, django_assert_max_num_queries, changes
):
    metrics = list(Target.Metric.values)
    for number in range(changes):
        metric = metrics[number % len(metrics)]
        target = Target.objects.filter(metric=metric).first()
        if target is None:
            services.set_target(metric=metric, value=number + 1, note="", by=coordinator)
        else:
            services.change_target(target=target, value=number + 100, note="", by=coordinator)

    # Session and user, the targets, the history with its actors.
    with django_assert_max_num_queries(5):
        response = signed_in.get(reverse("cockpit:targets"))

    assert response.status_code == 200


def test_targets_saved_in_the_administration_are_audited_too(client, admin_user):
    client.force_login(admin_user)

    client.post(reverse("admin:cockpit_target_add"), {"metric": "ready", "value": "8", "note": ""})
    target = Target.objects.get()
    client.post(
        reverse("admin:cockpit_target_change", args=[target.pk]),
        {"metric": "ready", "value": "9", "note": ""},
    )
    client.post(reverse("admin:cockpit_target_delete", args=[target.pk]), {"post": "yes"})

    entries = list(
        AuditEvent.objects.filter(subject_type="target", subject_id=target.pk)
        .order_by("pk")
        .values_list("action", "actor_id", "details")
    )
    assert entries == [
        ("create", admin_user.pk, {}),
        ("change", admin_user.pk, {"fields": ["value"]}),
        ("delete", admin_user.pk, {}),
    ]
