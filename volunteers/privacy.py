"""A volunteer's data for export and erasure (see ankommen.privacy)."""

from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password
from django.db.models import QuerySet

from ankommen.messaging.privacy import erase_messages, export_messages
from ankommen.privacy.registry import (
    ERASED_NAME,
    VOLUNTEER,
    PersonalData,
    register_personal_data,
    register_retention_rule,
)
from ankommen.privacy.serialize import record, records
from volunteers.models import Stage, Volunteer
from volunteers.services import withdraw_for_erasure

ACCOUNT_FIELDS = (
    "email", "full_name", "preferred_name", "preferred_language", "role", "date_joined",
    "last_login", "heard_via",
)  # fmt: skip


def _export(volunteer: Volunteer) -> dict[str, Any]:
    user = volunteer.user
    return {
        "account": {name: record(user).get(name) for name in ACCOUNT_FIELDS},
        "profile": record(volunteer, exclude=("user",)),
        "themes": [str(theme) for theme in volunteer.themes.all()],
        "languages": [
            {"language": str(skill.language), "level": skill.level}
            for skill in volunteer.languages.select_related("language")
        ],
        "consents": records(volunteer.consents.all(), exclude=("volunteer",)),
        "stage_changes": records(volunteer.stage_changes.all(), exclude=("volunteer",)),
        "hours": records(volunteer.hours.select_related("theme"), exclude=("volunteer",)),
        "clearance_checks": records(volunteer.clearance_checks.all(), exclude=("volunteer",)),
        "coordinator_notes": records(volunteer.notes.all(), exclude=("volunteer",)),
        # Which factors are set up and when they were used; never the secrets themselves.
        "second_factors": [
            {
                "type": factor.type,
                "name": factor.data.get("name", ""),
                "created_at": factor.created_at.isoformat(),
                "last_used_at": factor.last_used_at and factor.last_used_at.isoformat(),
            }
            for factor in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
    }


def _erase(volunteer: Volunteer) -> None:
    """The account can no longer sign in and names nobody; stage, hours and district stay, so
    the network's figures do not change."""
    withdraw_for_erasure(volunteer=volunteer)
    user = volunteer.user
    type(user).objects.filter(pk=user.pk).update(
        email=None,
        full_name=ERASED_NAME,
        preferred_name="",
        is_active=False,
        invite_code=None,
        password=make_password(None),
    )
    EmailAddress.objects.filter(user=user).delete()
    # The account can no longer sign in; its keys (named by the person) and secrets go too.
    Authenticator.objects.filter(user=user).delete()
    Volunteer.objects.filter(pk=volunteer.pk).update(
        phone="", skills="", qualifications="", withdrawal_reason="", gender=""
    )
    volunteer.notes.all().delete()
    volunteer.stage_changes.update(reason="")
    volunteer.hours.update(note="")
    volunteer.consents.update(ip_address=None)


def volunteers_due(today: date) -> QuerySet[Volunteer]:
    """Withdrawn, and kept as long as promised (`retain_until`, set when they withdrew)."""
    return Volunteer.objects.filter(stage=Stage.WITHDRAWN, retain_until__lt=today).exclude(
        user__full_name=ERASED_NAME
    )


def register() -> None:
    register_retention_rule(VOLUNTEER, volunteers_due)
    register_personal_data(
        VOLUNTEER,
        PersonalData(
            "messages",
            lambda volunteer: export_messages(volunteer.user, volunteer.user.email or ""),
            lambda volunteer: erase_messages(volunteer.user, volunteer.user.email or ""),
        ),
    )
    register_personal_data(VOLUNTEER, PersonalData("volunteer", _export, _erase))
