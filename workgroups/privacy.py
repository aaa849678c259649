"""Referrals and interpreting requests in a person's export and erasure."""

from typing import Any

from ankommen.privacy.registry import NEWCOMER, VOLUNTEER, PersonalData, register_personal_data
from ankommen.privacy.serialize import records
from workgroups.models import MediatorRequest, Membership, Referral


def _export_newcomer(newcomer: Any) -> dict[str, Any]:
    return {
        "referrals": records(
            Referral.objects.filter(newcomer=newcomer).select_related("offer"),
            exclude=("newcomer", "referred_by"),
        ),
        "interpreting": records(
            MediatorRequest.objects.filter(newcomer=newcomer),
            exclude=("newcomer", "requested_by", "mediator"),
        ),
    }


def _erase_newcomer(newcomer: Any) -> None:
    Referral.objects.filter(newcomer=newcomer).update(note="")
    MediatorRequest.objects.filter(newcomer=newcomer).update(topic="—", place="—")


def _export_volunteer(volunteer: Any) -> dict[str, Any]:
    return {
        "working_groups": [
            {"group": membership.group.name, "role": membership.role, "state": membership.state}
            for membership in Membership.objects.filter(user=volunteer.user).select_related("group")
        ]
    }


def _erase_volunteer(volunteer: Any) -> None:
    Membership.objects.filter(user=volunteer.user).update(request_note="")


def register() -> None:
    register_personal_data(NEWCOMER, PersonalData("network", _export_newcomer, _erase_newcomer))
    register_personal_data(VOLUNTEER, PersonalData("network", _export_volunteer, _erase_volunteer))
