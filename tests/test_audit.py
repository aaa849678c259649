"""The audit log: staff reads and every change to a person's record, with who and when; it
cannot be rewritten, not even with SQL."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ankommen.audit.models import AuditEvent
from ankommen.audit.services import _actor, recorded_by
from ankommen.audit.tracking import track
from ankommen.privacy.registry import VOLUNTEER, erase_person
from ankommen.vocabulary.models import Language, Theme
from refugees.models import Need, Newcomer
from tests.factories import NewcomerFactory, UserFactory, VolunteerFactory
from volunteers.models import Stage, Volunteer
from volunteers.services import move_stage

pytestmark = pytest.mark.django_db


def events(subject):
    return list(
        AuditEvent.objects.filter(
            subject_type=subject._meta.model_name, subject_id=subject.pk
        ).values_list("action", "actor_id")
    )


def test_a_coordinator_reading_a_record_is_logged_and_shown_on_it(client, coordinator):
    newcomer = NewcomerFactory()
    client.force_login(coordinator)

    page = client.get(reverse("refugees:newcomer_detail", args=[newcomer.pk]))

    assert ("read", coordinator.pk) in events(newcomer)
    assert coordinator.full_name in page.content.decode()


def test_changes_name_the_fields_and_the_person_but_never_the_values(client, coordinator):
    newcomer = NewcomerFactory(residence_status="in_procedure", phone="")
    client.force_login(coordinator)
    newcomer.residence_status = "recognised"
    newcomer.internal_notes = "Schwanger, Termin beim Frauenarzt"

    token = _actor.set(coordinator.pk)
    try:
        newcomer.save()
    finally:
        _actor.reset(token)

    change = AuditEvent.objects.get(subject_type="newcomer", action="change")
    assert change.actor_id == coordinator.pk
    assert change.details == {"fields": ["internal_notes", "residence_status"]}
    assert "Schwanger" not in str(change.details)


def test_creating_and_deleting_a_person_is_logged_even_without_a_request():
    volunteer = VolunteerFactory()
    pk = volunteer.pk
    volunteer.delete()

    actions = list(
        AuditEvent.objects.filter(subject_type="volunteer", subject_id=pk).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "delete"]


def test_an_export_is_logged_for_every_person_in_it(client, coordinator):
    people = [VolunteerFactory() for _ in range(3)]
    client.force_login(coordinator)

    client.get(reverse("volunteers:card_file_export", args=["csv"]))

    exported = AuditEvent.objects.filter(action="export", actor_id=coordinator.pk)
    assert sorted(exported.values_list("subject_id", flat=True)) == sorted(p.pk for p in people)


def test_the_log_cannot_be_changed_through_the_model_or_in_sql():
    event = AuditEvent.objects.create(action="read", subject_type="newcomer", subject_id=1)

    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(subject_id=2)


@pytest.mark.postgres
def test_postgres_refuses_deleting_rows_too():
    event = AuditEvent.objects.create(action="read", subject_type="newcomer", subject_id=1)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_administrators_may_read_the_log_but_not_change_it(client):
    client.force_login(UserFactory(admin=True))
    event = AuditEvent.objects.create(action="read", subject_type="newcomer", subject_id=1)

    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403


def _changes(subject):
    return AuditEvent.objects.filter(
        action="change", subject_type=subject._meta.model_name, subject_id=subject.pk
    )


def test_adding_a_need_that_reopens_a_closed_record_audits_the_reopening(client, coordinator):
    """The reopening is a bulk UPDATE, not a save: it is audited all the same."""
    newcomer = NewcomerFactory(closed_at=timezone.now() - timedelta(days=90))
    client.force_login(coordinator)

    client.post(
        reverse("refugees:need_add", args=[newcomer.pk]),
        {"theme": Theme.objects.get(slug="health").pk, "urgency": "high", "note": ""},
    )

    newcomer.refresh_from_db()
    assert newcomer.closed_at is None
    change = _changes(newcomer).get()
    assert change.actor_id == coordinator.pk
    assert change.details == {"fields": ["closed_at", "waiting_since"]}


def _edit(client, newcomer, **changes):
    data = {
        "full_name": newcomer.full_name,
        "household": "family",
        "district": newcomer.district_id,
        "residence_status": newcomer.residence_status,
        "preferred_language": newcomer.preferred_language,
        "phone": "",
        "email": "",
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": Language.objects.get(code="ar").pk,
        "languages-0-level": "native",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-relation": "child",
        "members-0-age_group": "6-13",
        **changes,
    }
    return client.post(reverse("refugees:newcomer_edit", args=[newcomer.pk]), data)


def test_one_edit_is_one_audit_entry_naming_the_fields_and_the_record_shows_it(client, coordinator):
    newcomer = NewcomerFactory(residence_status="in_procedure", household="single")
    client.force_login(coordinator)

    response = _edit(client, newcomer, residence_status="tolerated", internal_notes="Schwanger")

    assert response.status_code == 302, response.context["form"].errors

    change = _changes(newcomer).get()
    assert change.actor_id == coordinator.pk
    assert change.details == {
        "fields": ["household", "internal_notes", "languages", "members", "residence_status"]
    }
    assert "tolerated" not in str(change.details)
    assert "Schwanger" not in str(change.details)
    page = client.get(f"/en/newcomers/{newcomer.pk}/").content.decode()
    history = page.split("History of changes", 1)[1].split("</section>", 1)[0]
    assert coordinator.full_name in history
    assert "household members" in history
    assert "residence status" in history


def test_no_second_change_history_exists_next_to_the_audit_log():
    assert "refugees_newcomerchange" not in connection.introspection.table_names()
    with pytest.raises(LookupError):
        apps.get_model("refugees", "NewcomerChange")


def test_bulk_writes_to_person_rows_are_audited_with_the_actor(coordinator):
    volunteers = [VolunteerFactory(phone="") for _ in range(2)]
    token = _actor.set(coordinator.pk)
    try:
        for volunteer in volunteers:
            volunteer.phone = "+49301234567"
        Volunteer.objects.bulk_update(volunteers, ["phone", "last_activity_at"])
        Volunteer.objects.filter(pk=volunteers[0].pk).update(skills="Kochen", withdrawal_reason="")
        created = Newcomer.objects.bulk_create([NewcomerFactory.build()])
    finally:
        _actor.reset(token)

    first, second = (
        list(_changes(v).order_by("pk").values_list("actor_id", "details")) for v in volunteers
    )
    assert first == [
        (coordinator.pk, {"fields": ["phone"]}),
        (coordinator.pk, {"fields": ["skills"]}),
    ]
    assert second == [(coordinator.pk, {"fields": ["phone"]})]
    assert events(created[0]) == [("create", coordinator.pk)]


def test_bookkeeping_updates_cost_no_audit_entry(django_assert_num_queries):
    volunteer = VolunteerFactory()

    with django_assert_num_queries(1):
        Volunteer.objects.filter(pk=volunteer.pk).update(last_activity_at=timezone.now())


def test_a_person_model_whose_bulk_writes_would_go_unseen_is_refused_at_start_up():
    with pytest.raises(ImproperlyConfigured):
        track(Need)


def test_an_admin_save_with_its_inlines_is_one_audit_entry(client, admin_user):
    newcomer = NewcomerFactory(residence_status="in_procedure", registered_by=admin_user)
    client.force_login(admin_user)
    url = reverse("admin:refugees_newcomer_change", args=[newcomer.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {**form.initial, "residence_status": "tolerated"}.items()
        if value is not None
    }
    data |= {"district": newcomer.district_id, "registered_by": admin_user.pk}
    data["waiting_since"] = newcomer.waiting_since.isoformat()
    for prefix in ("members", "languages", "needs", "consents", "access_links"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data |= {"members-TOTAL_FORMS": "1", "members-0-relation": "child"}
    data |= {"members-0-age_group": "0-5"}

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _changes(newcomer).get().details == {"fields": ["members", "residence_status"]}
    assert _changes(newcomer).get().actor_id == admin_user.pk


def test_a_service_run_outside_a_request_records_the_person_it_acts_for(client, coordinator):
    """A worker or a command has no request: the actor is the service's `by`, and the record's
    page shows it."""
    volunteer = VolunteerFactory()

    move_stage(
        volunteer=volunteer,
        to_stage=Stage.CONVERSATION_SCHEDULED,
        by=coordinator,
        first_conversation_at=timezone.now() + timedelta(days=2),
    )

    change = _changes(volunteer).get()
    assert change.actor_id == coordinator.pk
    assert change.details == {"fields": ["first_conversation_at", "stage"]}
    client.force_login(coordinator)
    page = client.get(f"/en/volunteers/{volunteer.pk}/").content.decode()
    assert f"· {escape(coordinator.full_name)} · Changed" in page


def test_a_change_nobody_made_is_the_systems_and_one_erasure_is_one_entry():
    volunteer = VolunteerFactory(phone="+49301234567")

    erase_person(VOLUNTEER, volunteer, by=None)

    change = _changes(volunteer).get()
    assert change.actor_id is None
    assert {"phone", "stage", "withdrawn_at"} <= set(change.details["fields"])


def test_what_a_service_did_not_name_is_added_to_its_entry(coordinator):
    volunteer = VolunteerFactory(phone="", skills="")

    with recorded_by(coordinator) as trail:
        trail.assign(volunteer, phone="+49301234567")
        volunteer.skills = "Kochen"
        volunteer.save()

    assert list(_changes(volunteer).values_list("actor_id", "details")) == [
        (coordinator.pk, {"fields": ["phone", "skills"]})
    ]


def test_saves_outside_the_services_are_still_caught_by_the_safety_net():
    volunteer = VolunteerFactory(skills="")
    volunteer.skills = "Kochen"

    volunteer.save()  # as in a shell: no service, no request

    assert list(_changes(volunteer).values_list("actor_id", "details")) == [
        (None, {"fields": ["skills"]})
    ]
