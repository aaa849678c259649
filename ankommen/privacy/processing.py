"""The record of processing activities (GDPR Art. 30), generated from the data model: every
model that holds a person, or points at one, with its purpose (the model's docstring), its
fields, the special-category ones marked, and how long it is kept. A new model that stores
something about a person appears here without anyone remembering to add it."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models

PERSON_MODELS = ("accounts.User", "refugees.Newcomer", "volunteers.Volunteer")
# Data about residence, health, family or inner life: Art. 9 or close to it.
SPECIAL_CATEGORY = frozenset(
    {
        "refugees.Newcomer.residence_status",
        "refugees.Newcomer.internal_notes",
        "refugees.Need.note",
        "refugees.HouseholdMember.age_group",
        "refugees.HouseholdMember.birth_year",
        "matching.CheckIn.note",
        "matching.Mentorship.goals",
        "volunteers.ClearanceCheck.valid_until",
        "workgroups.MediatorRequest.topic",
    }
)


@dataclass(frozen=True)
class Activity:
    label: str
    app: str
    purpose: str
    fields: list[tuple[str, bool]]  # (field label, special category)
    concerns: list[str]  # whose data: newcomers, volunteers, accounts


def _person_labels() -> dict[type[models.Model], str]:
    return {
        apps.get_model(label): str(apps.get_model(label)._meta.verbose_name_plural)
        for label in PERSON_MODELS
    }


# Models that refer to people by bare id on purpose (so they outlive an erasure).
BY_ID = {"audit.AuditEvent": ("accounts.User", "refugees.Newcomer", "volunteers.Volunteer")}
SKIPPED_APPS = frozenset({"admin", "contenttypes", "sessions", "auth"})


def people_reached(ignore: frozenset[str] = frozenset()) -> dict[type[models.Model], set[str]]:
    """Whose data each model holds ("app_label.Model" of the person models): directly, or
    through the records it points at (a check-in points at a mentorship, which points at a
    newcomer and a volunteer). Fields named in `ignore` ("app_label.Model.field") are not
    followed."""
    reached: dict[type[models.Model], set[str]] = {
        apps.get_model(label): {label} for label in PERSON_MODELS
    }
    for label, targets in BY_ID.items():
        reached[apps.get_model(label)] = set(targets)
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model._meta.app_label in SKIPPED_APPS:
                continue
            found = set().union(
                *(
                    reached.get(field.related_model, set())
                    for field in model._meta.concrete_fields
                    if field.is_relation and f"{model._meta.label}.{field.name}" not in ignore
                )
            )
            if not found <= reached.get(model, set()):
                reached[model] = reached.get(model, set()) | found
                changed = True
    return reached


def _concerns() -> dict[type[models.Model], set[str]]:
    names = {model._meta.label: name for model, name in _person_labels().items()}
    return {model: {names[label] for label in whose} for model, whose in people_reached().items()}


def activities() -> list[Activity]:
    found = []
    for model, whose in _concerns().items():
        meta = model._meta
        doc = (model.__doc__ or "").strip()
        found.append(
            Activity(
                label=str(meta.verbose_name_plural),
                app=str(meta.app_config.verbose_name),
                # Django writes a signature as the docstring of models that have none.
                purpose="" if doc.startswith(model.__name__ + "(") else doc,
                fields=[
                    (str(field.verbose_name), f"{meta.label}.{field.name}" in SPECIAL_CATEGORY)
                    for field in meta.concrete_fields
                    if not field.primary_key and not field.is_relation
                ],
                concerns=sorted(whose),
            )
        )
    return sorted(found, key=lambda activity: (activity.app, activity.label))


def retention_periods() -> dict[str, int]:
    return {
        "newcomer_days": settings.NEWCOMER_RETENTION.days,
        "volunteer_days": settings.VOLUNTEER_RETENTION.days,
        "staff_session_hours": int(settings.STAFF_SESSION_AGE.total_seconds() // 3600),
    }
