"""The audit log: staff reads and every change to a person's record, with who and when; it
cannot be rewritten, not even with SQL."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from ankommen.audit.models import AuditEvent
from tests.factories import NewcomerFactory, UserFactory, VolunteerFactory

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

    from ankommen.audit.services import _actor

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
