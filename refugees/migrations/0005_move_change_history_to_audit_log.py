"""The history of changes moves into the audit log, the one trail of who changed what.

Most edits were recorded twice, once in each. An entry is copied only for what the audit log
does not already hold: a change with no twin there (same newcomer and person, within a
minute), or the fields its twin does not name (household members were named only in the
history). Like every audit entry, the copies name fields, never values.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import migrations

SAME_EDIT = timedelta(minutes=1)
RECORD_ACTIONS = ("create", "change")


def _fields(summary):
    return {
        "members" if name == "household members" else name
        for name in summary
        if name != "created"
    }


def _keep_given_times(*models):
    # These historical models are this migration's own copies: turning auto_now_add off on
    # them keeps each entry's original time and touches nothing outside.
    for model, name in models:
        model._meta.get_field(name).auto_now_add = False


def copy_history_into_audit_log(apps, schema_editor):
    NewcomerChange = apps.get_model("refugees", "NewcomerChange")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    _keep_given_times((AuditEvent, "at"))
    recorded = defaultdict(list)
    for event in AuditEvent.objects.filter(
        subject_type="newcomer", action__in=RECORD_ACTIONS
    ).values("subject_id", "actor_id", "action", "at", "details"):
        recorded[event["subject_id"], event["actor_id"]].append(event)
    copies = []
    for change in NewcomerChange.objects.order_by("pk").iterator():
        action = "create" if change.summary.get("created") else "change"
        fields = set() if action == "create" else _fields(change.summary)
        twins = [
            event
            for event in recorded[change.newcomer_id, change.changed_by_id]
            if event["action"] == action and abs(event["at"] - change.changed_at) <= SAME_EDIT
        ]
        if twins:
            fields -= {
                name.removesuffix("_id")
                for twin in twins
                for name in (twin["details"] or {}).get("fields", [])
            }
            if not fields:
                continue
            action = "change"
        copies.append(
            AuditEvent(
                at=change.changed_at,
                actor_id=change.changed_by_id,
                action=action,
                subject_type="newcomer",
                subject_id=change.newcomer_id,
                details={"fields": sorted(fields)} if fields else {},
            )
        )
    AuditEvent.objects.bulk_create(copies, batch_size=1000)


def rebuild_history_from_audit_log(apps, schema_editor):
    """The audit log is append-only, so its entries stay; the history is rebuilt from them."""
    NewcomerChange = apps.get_model("refugees", "NewcomerChange")
    Newcomer = apps.get_model("refugees", "Newcomer")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model("accounts", "User")
    _keep_given_times((NewcomerChange, "changed_at"))
    newcomers = set(Newcomer.objects.values_list("pk", flat=True))
    users = set(User.objects.values_list("pk", flat=True))
    NewcomerChange.objects.bulk_create(
        (
            NewcomerChange(
                newcomer_id=event.subject_id,
                changed_by_id=event.actor_id if event.actor_id in users else None,
                changed_at=event.at,
                summary={"created": True}
                if event.action == "create"
                else {name: ["•", "•"] for name in (event.details or {}).get("fields", [])},
            )
            for event in AuditEvent.objects.filter(
                subject_type="newcomer", action__in=RECORD_ACTIONS
            ).iterator()
            if event.subject_id in newcomers
        ),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_create_user"),
        ("audit", "0002_append_only"),
        ("refugees", "0004_household_member_birth_year"),
    ]

    operations = [
        migrations.RunPython(copy_history_into_audit_log, rebuild_history_from_audit_log),
    ]
