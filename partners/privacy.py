"""The organisations a person acts for, in their export and erasure (see ankommen.privacy)."""

from typing import Any

from ankommen.privacy.registry import NEWCOMER, PERSON_KINDS, VOLUNTEER, PersonalData
from partners.models import PartnerStaff
from refugees.models import Newcomer
from volunteers.models import Volunteer

MODELS = ("partners.PartnerStaff",)


def export_staff(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "organisation": staff.partner.name,
            "invited_at": staff.invited_at.isoformat(),
            "accepted_at": staff.accepted_at and staff.accepted_at.isoformat(),
            "ended_at": staff.ended_at and staff.ended_at.isoformat(),
        }
        for staff in PartnerStaff.objects.filter(user=user).select_related("partner")
    ]


def erase_staff(user: Any) -> None:
    """Erased people act for nobody; the rows stay as the record that someone had access."""
    from partners.services import end_all_for  # noqa: PLC0415 (services import the outbox)

    end_all_for(user=user)


def _export_volunteer(volunteer: Volunteer) -> dict[str, Any]:
    return {"partner_organisations": export_staff(volunteer.user)}


def _erase_volunteer(volunteer: Volunteer) -> None:
    erase_staff(volunteer.user)


def _export_newcomer(newcomer: Newcomer) -> dict[str, Any]:
    """A newcomer's account is never invited (services.invite); listed so that it stays so."""
    return {"partner_organisations": export_staff(newcomer.user) if newcomer.user else []}


def _erase_newcomer(newcomer: Newcomer) -> None:
    if newcomer.user:
        erase_staff(newcomer.user)


def register() -> None:
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData("partner_organisations", MODELS, _export_newcomer, _erase_newcomer)
    )
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData("partner_organisations", MODELS, _export_volunteer, _erase_volunteer)
    )
