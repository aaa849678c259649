"""Referrals, interpreting requests, groups, tasks and network events in a person's export and
erasure (see ankommen.privacy)."""

from typing import Any

from django.utils import timezone

from ankommen.privacy.registry import NEWCOMER, PERSON_KINDS, VOLUNTEER, PersonalData
from ankommen.privacy.serialize import records
from refugees.models import Newcomer
from volunteers.models import Volunteer
from workgroups.models import EventResponse, MediatorRequest, Membership, Referral, TaskSignup

MODELS = (
    "workgroups.Referral",
    "workgroups.MediatorRequest",
    "workgroups.Membership",
    "workgroups.TaskSignup",
    "workgroups.EventResponse",
)


def _export_newcomer(newcomer: Newcomer) -> dict[str, Any]:
    return {
        "referrals": records(
            Referral.objects.filter(newcomer=newcomer).select_related("offer"),
            exclude=("newcomer", "referred_by", "answered_by", "consent_withdrawn_by"),
        ),
        "interpreting": records(
            MediatorRequest.objects.filter(newcomer=newcomer),
            exclude=("newcomer", "requested_by", "mediator"),
        ),
    }


def _erase_newcomer(newcomer: Newcomer) -> None:
    """What was written about the person goes, and no partner sees their referrals any more
    (as if consent were withdrawn); outcomes stay for the network's figures."""
    referrals = Referral.objects.filter(newcomer=newcomer)
    referrals.filter(consent_withdrawn_at__isnull=True).update(consent_withdrawn_at=timezone.now())
    referrals.update(
        note="",
        need_summary="",
        shared_contact=Referral.SharedContact.NONE,
        decline_reason="",
        outcome_note="",
        appointment_place="",
    )
    MediatorRequest.objects.filter(newcomer=newcomer).update(topic="—", place="—")


def _export_volunteer(volunteer: Volunteer) -> dict[str, Any]:
    """The person's own sign-ups; whom they interpreted for stays out (a newcomer)."""
    user = volunteer.user
    return {
        "working_groups": [
            {
                "group": membership.group.name,
                "role": membership.role,
                "state": membership.state,
                "note": membership.request_note,
            }
            for membership in Membership.objects.filter(user=user).select_related("group")
        ],
        "tasks": [
            {
                "task": signup.task.title,
                "signed_up_at": signup.created_at.isoformat(),
                "cancelled_at": signup.cancelled_at and signup.cancelled_at.isoformat(),
            }
            for signup in TaskSignup.objects.filter(user=user).select_related("task")
        ],
        "events": [
            {"event": response.event.title, "answer": response.answer}
            for response in EventResponse.objects.filter(user=user).select_related("event")
        ],
        "interpreting": list(
            MediatorRequest.objects.filter(mediator=user).values(
                "starts_at", "ends_at", "state", "language__code", "other_language__code"
            )
        ),
    }


def _erase_volunteer(volunteer: Volunteer) -> None:
    """Sign-ups, answers and interpreting count in the network's figures and name no one once
    the account is erased; only what the person wrote goes."""
    Membership.objects.filter(user=volunteer.user).update(request_note="")


def register() -> None:
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData("network", MODELS, _export_newcomer, _erase_newcomer)
    )
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData("network", MODELS, _export_volunteer, _erase_volunteer)
    )
