"""The export and erasure come from one registry: every part of a person's data brings an
exporter and an eraser, every model that points at a person is covered by a part, and whatever
erasure removes is in the export."""

import json
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ankommen.privacy.processing import PERSON_MODELS, people_reached
from ankommen.privacy.registry import (
    ACTOR_FIELDS,
    NEWCOMER,
    VOLUNTEER,
    PersonalData,
    erase_person,
    export_person,
    personal_data_parts,
)
from tests.test_privacy import (
    NEWCOMER_CANARIES,
    VOLUNTEER_CANARIES,
    dump,
    newcomer_with_everything,
    sign_in,
    volunteer_with_everything,
)

pytestmark = pytest.mark.django_db

# What erasure removes but the export must never hand out: secrets, not data about the person.
SECRETS = ("session_key",)
OWN_PERSON = {NEWCOMER: "refugees.Newcomer", VOLUNTEER: "volunteers.Volunteer"}


@pytest.mark.parametrize("kind", [NEWCOMER, VOLUNTEER])
def test_every_model_that_points_at_a_person_is_covered_by_a_registered_part(kind):
    """Followed through every chain of foreign keys, except the fields that only name who
    acted (ACTOR_FIELDS) and the way into the other kind of person's account."""
    other = next(label for k, label in OWN_PERSON.items() if k != kind)
    ignore = ACTOR_FIELDS | {f"{other}.user"}
    holding = {
        model._meta.label
        for model, whose in people_reached(ignore).items()
        if whose & {OWN_PERSON[kind], "accounts.User"}
    }
    covered = {label for part in personal_data_parts(kind) for label in part.models}

    assert holding - covered == set()
    assert set(PERSON_MODELS) - {apps.get_model(OWN_PERSON[kind])._meta.label} - {other} <= covered


def test_every_actor_field_exists_and_points_at_a_person():
    for name in ACTOR_FIELDS:
        label, field = name.rsplit(".", 1)
        related = apps.get_model(label)._meta.get_field(field).related_model
        assert related._meta.label in PERSON_MODELS, name


def test_a_part_needs_an_exporter_and_an_eraser_and_the_models_it_covers():
    with pytest.raises(TypeError):
        PersonalData("notes", ("volunteers.CoordinatorNote",), lambda person: {}, None)
    with pytest.raises(TypeError):
        PersonalData("notes", ("volunteers.CoordinatorNote",), None, lambda person: None)
    with pytest.raises(ValueError, match="models"):
        PersonalData("notes", (), lambda person: {}, lambda person: None)
    with pytest.raises(LookupError):
        PersonalData("notes", ("volunteers.Nothing",), lambda person: {}, lambda person: None)


def _tables_written(queries) -> set[str]:
    written = set()
    for query in queries:
        found = re.match(r'\s*(?:UPDATE|DELETE FROM)\s+"?(\w+)"?', query["sql"], re.IGNORECASE)
        if found:
            written.add(found.group(1))
    return written


@pytest.mark.parametrize(
    ("kind", "everything", "canaries"),
    [
        (NEWCOMER, newcomer_with_everything, NEWCOMER_CANARIES),
        (VOLUNTEER, volunteer_with_everything, VOLUNTEER_CANARIES),
    ],
)
def test_whatever_erasure_removes_is_in_the_export(coordinator, kind, everything, canaries):
    person = everything(coordinator)
    user = person.user
    markers = {**canaries, "session_key": sign_in(user)}
    before = dump()

    export = export_person(kind, person, by=coordinator)
    with CaptureQueriesContext(connection) as erasure:
        erase_person(kind, person, by=coordinator)

    after = dump()
    exported = json.dumps(export, ensure_ascii=False, default=str)
    removed = {name for name, value in markers.items() if value in before and value not in after}
    assert removed == set(markers)
    assert {name for name in removed - set(SECRETS) if markers[name] not in exported} == set()
    assert all(markers[name] not in exported for name in SECRETS)
    # Every table erasure writes to belongs to a registered part, which exports it too.
    tables = {model._meta.db_table: model._meta.label for model in apps.get_models()}
    covered = {label for part in personal_data_parts(kind) for label in part.models}
    written = _tables_written(erasure.captured_queries)
    assert {tables[table] for table in written} - covered == set()
    assert [part.section for part in personal_data_parts(kind)] == list(export)
