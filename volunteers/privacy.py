"""A volunteer's data for export and erasure (see ankommen.privacy)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from ankommen.accounts.privacy import MODELS as ACCOUNT_MODELS
from ankommen.accounts.privacy import account_emails, erase_account, export_account
from ankommen.messaging.privacy import MODELS as MESSAGE_MODELS
from ankommen.messaging.privacy import Correspondent, erase_messages, export_messages
from ankommen.privacy.history import MODELS as HISTORY_MODELS
from ankommen.privacy.history import export_history, keep_history
from ankommen.privacy.registry import (
    ERASED_NAME,
    PERSON_KINDS,
    VOLUNTEER,
    PersonalData,
)
from ankommen.privacy.serialize import record, records
from volunteers.models import Stage, Volunteer
from volunteers.services import withdraw_for_erasure


def _export(volunteer: Volunteer) -> dict[str, Any]:
    return {
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
        # What coordinators noted about the person is their personal data (Art. 15); the
        # author, another person, appears as an account id only (README, "Audit log and GDPR").
        "coordinator_notes": [
            {
                "text": note.text,
                "created_at": note.created_at.isoformat(),
                "by_account": note.author_id,
            }
            for note in volunteer.notes.all()
        ],
    }


def _erase(volunteer: Volunteer) -> None:
    """Commitments end first (a withdrawal without the coordinators' mail); stage, hours and
    district stay, so the network's figures do not change."""
    withdraw_for_erasure(volunteer=volunteer)
    Volunteer.objects.filter(pk=volunteer.pk).update(
        phone="", skills="", qualifications="", withdrawal_reason="", gender=""
    )
    volunteer.notes.all().delete()
    volunteer.stage_changes.update(reason="")
    volunteer.hours.update(note="", decline_reason="")
    volunteer.consents.update(ip_address=None)


def correspondent(volunteer: Volunteer) -> Correspondent:
    user = volunteer.user
    return Correspondent.of(
        user=user,
        emails=account_emails(user),
        subjects=[volunteer, user],
        identifying=[user.full_name, user.email, volunteer.phone],
    )


def volunteers_due(today: date) -> QuerySet[Volunteer]:
    """Withdrawn, and kept as long as promised (`retain_until`, set when they withdrew)."""
    return Volunteer.objects.filter(stage=Stage.WITHDRAWN, retain_until__lt=today).exclude(
        user__full_name=ERASED_NAME
    )


def register() -> None:
    PERSON_KINDS[VOLUNTEER].model.register("volunteers.Volunteer")
    PERSON_KINDS[VOLUNTEER].retention.register(volunteers_due)
    # Messages first: their eraser needs the addresses and names the later erasers remove.
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData(
            "messages",
            MESSAGE_MODELS,
            lambda volunteer: export_messages(correspondent(volunteer)),
            lambda volunteer: erase_messages(correspondent(volunteer)),
        ),
    )
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData(
            "volunteer",
            (
                "volunteers.Volunteer",
                "volunteers.VolunteerConsent",
                "volunteers.LanguageSkill",
                "volunteers.StageChange",
                "volunteers.HoursEntry",
                "volunteers.ClearanceCheck",
                "volunteers.CoordinatorNote",
            ),
            _export,
            _erase,
        ),
    )
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData(
            "account",
            ACCOUNT_MODELS,
            lambda volunteer: export_account(volunteer.user),
            lambda volunteer: erase_account(volunteer.user),
        ),
    )
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData(
            "history",
            HISTORY_MODELS,
            lambda volunteer: export_history(volunteer, volunteer.user),
            lambda volunteer: keep_history(volunteer, volunteer.user),
        ),
    )
