"""The history of changes moved into the audit log: nothing lost, nothing doubled."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("refugees", "0004_household_member_birth_year")]
AFTER = [("refugees", "0006_remove_newcomer_change")]


def _migrate(targets):
    """Moves refugees to the target; the models returned are every app's as they stand."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    others = [node for node in loader.graph.leaf_nodes() if node[0] != "refugees"]
    return loader.project_state(others + targets).apps


def _trail(apps, newcomer_id):
    return sorted(
        (event.action, event.actor_id, event.details.get("fields", []))
        for event in apps.get_model("audit", "AuditEvent").objects.filter(
            subject_type="newcomer", subject_id=newcomer_id
        )
    )


@pytest.mark.django_db(transaction=True)
def test_the_history_of_changes_moves_into_the_audit_log_without_doubling_an_entry():
    try:
        old = _migrate(BEFORE)
        User = old.get_model("accounts", "User")
        first = User.objects.create(email="a@example.org", full_name="A")
        second = User.objects.create(email="b@example.org", full_name="B")
        newcomer = old.get_model("refugees", "Newcomer").objects.create(
            full_name="Dawit Tesfaye", waiting_since="2026-01-05"
        )
        history = old.get_model("refugees", "NewcomerChange").objects
        trail = old.get_model("audit", "AuditEvent").objects
        # Recorded in both: the creation, and an edit the audit log names only in part.
        history.create(newcomer=newcomer, changed_by=first, summary={"created": True})
        trail.create(
            actor_id=first.pk, action="create", subject_type="newcomer", subject_id=newcomer.pk
        )
        history.create(
            newcomer=newcomer,
            changed_by=first,
            summary={"residence_status": ["•", "•"], "household members": ["", ""]},
        )
        trail.create(
            actor_id=first.pk,
            action="change",
            subject_type="newcomer",
            subject_id=newcomer.pk,
            details={"fields": ["residence_status"]},
        )
        # Recorded only in the history.
        history.create(newcomer=newcomer, changed_by=second, summary={"phone": ["1", "2"]})

        new = _migrate(AFTER)

        assert _trail(new, newcomer.pk) == [
            ("change", first.pk, ["members"]),
            ("change", first.pk, ["residence_status"]),
            ("change", second.pk, ["phone"]),
            ("create", first.pk, []),
        ]
        assert "refugees_newcomerchange" not in connection.introspection.table_names()

        restored = _migrate(BEFORE)

        summaries = restored.get_model("refugees", "NewcomerChange").objects.values_list(
            "changed_by_id", "summary"
        )
        assert sorted(summaries, key=str) == sorted(
            [
                (first.pk, {"created": True}),
                (first.pk, {"members": ["•", "•"]}),
                (first.pk, {"residence_status": ["•", "•"]}),
                (second.pk, {"phone": ["•", "•"]}),
            ],
            key=str,
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
