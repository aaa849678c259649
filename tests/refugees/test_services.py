"""Changing a newcomer's record through the refugees services."""

import pytest

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary.models import Language
from refugees.models import HouseholdMember
from refugees.services import update_newcomer
from tests.factories import NewcomerFactory

pytestmark = pytest.mark.django_db


def test_an_edit_of_record_languages_and_household_is_one_entry_by_whoever_edits(coordinator):
    newcomer = NewcomerFactory(residence_status="in_procedure")
    gone = HouseholdMember.objects.create(newcomer=newcomer, relation="child", age_group="0-5")
    newcomer.residence_status = "recognised"

    update_newcomer(
        newcomer=newcomer,
        by=coordinator,
        languages=[(Language.objects.get(code="ar"), "native")],
        members=[HouseholdMember(relation="partner", age_group="27-45")],
        removed_members=[gone],
    )

    assert sorted(newcomer.members.values_list("relation", flat=True)) == ["partner"]
    assert newcomer.languages.get().level == "native"
    change = AuditEvent.objects.get(
        subject_type="newcomer", subject_id=newcomer.pk, action="change"
    )
    assert change.actor_id == coordinator.pk
    assert change.details == {"fields": ["languages", "members", "residence_status"]}


def test_saving_an_unchanged_record_leaves_no_entry(coordinator):
    newcomer = NewcomerFactory()

    update_newcomer(newcomer=newcomer, by=coordinator, languages=[])

    assert not AuditEvent.objects.filter(subject_type="newcomer", action="change").exists()
