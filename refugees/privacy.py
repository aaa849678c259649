"""A newcomer's data for export and erasure (see ankommen.privacy)."""

from typing import Any

from django.utils import timezone

from ankommen.accounts.privacy import MODELS as ACCOUNT_MODELS
from ankommen.accounts.privacy import account_emails, erase_account, export_account
from ankommen.messaging.privacy import MODELS as MESSAGE_MODELS
from ankommen.messaging.privacy import Correspondent, erase_messages, export_messages
from ankommen.privacy.history import MODELS as HISTORY_MODELS
from ankommen.privacy.history import export_history, keep_history
from ankommen.privacy.registry import (
    ERASED_NAME,
    NEWCOMER,
    PERSON_KINDS,
    PersonalData,
)
from ankommen.privacy.serialize import record, records
from refugees.models import HouseholdMember, Newcomer, kept_age_group


def _export(newcomer: Newcomer) -> dict[str, Any]:
    return {
        "record": record(newcomer, exclude=("user",)),
        "languages": [
            {"language": str(spoken.language), "level": spoken.level}
            for spoken in newcomer.languages.select_related("language")
        ],
        "household": records(newcomer.members.all(), exclude=("newcomer",)),
        "needs": records(newcomer.needs.select_related("theme"), exclude=("newcomer",)),
        "consents": records(newcomer.consents.all(), exclude=("newcomer",)),
        "access_cards": records(newcomer.access_links.all(), exclude=("newcomer", "token_hash")),
    }


def _erase(newcomer: Newcomer) -> None:
    """Everything that names or describes the person goes; what the statistics count stays
    (district, age group, household, language, waiting time, needs by theme). Whether the
    record is open or closed does not change, so no figure moves. An age known only by the
    year of birth stays as an age group, which keeps a child under the minors' rule."""
    today = timezone.localdate()
    Newcomer.objects.filter(pk=newcomer.pk).update(
        full_name=ERASED_NAME,
        age_group=kept_age_group(
            age_group=newcomer.age_group, birth_year=newcomer.birth_year, today=today
        ),
        birth_year=None,
        gender="",
        residence_status="",
        phone="",
        email="",
        share_phone=False,
        share_email=False,
        internal_notes="",
    )
    aged_by_year = list(newcomer.members.filter(age_group="", birth_year__isnull=False))
    for member in aged_by_year:
        member.age_group = kept_age_group(age_group="", birth_year=member.birth_year, today=today)
    HouseholdMember.objects.bulk_update(aged_by_year, ["age_group"])
    newcomer.members.update(first_name="", birth_year=None)
    newcomer.needs.update(note="")
    newcomer.access_links.all().delete()


def correspondent(newcomer: Newcomer) -> Correspondent:
    return Correspondent.of(
        user=newcomer.user,
        emails=[newcomer.email, *account_emails(newcomer.user)],
        subjects=[newcomer, newcomer.user],
        identifying=[newcomer.full_name, newcomer.phone, newcomer.email],
    )


def register() -> None:
    PERSON_KINDS[NEWCOMER].model.register("refugees.Newcomer")
    # Messages first: their eraser needs the addresses and names the later erasers remove.
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData(
            "messages",
            MESSAGE_MODELS,
            lambda newcomer: export_messages(correspondent(newcomer)),
            lambda newcomer: erase_messages(correspondent(newcomer)),
        ),
    )
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData(
            "newcomer",
            (
                "refugees.Newcomer",
                "refugees.NewcomerLanguage",
                "refugees.HouseholdMember",
                "refugees.Need",
                "refugees.NewcomerConsent",
                "refugees.AccessLink",
            ),
            _export,
            _erase,
        ),
    )
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData(
            "account",
            ACCOUNT_MODELS,
            lambda newcomer: export_account(newcomer.user),
            lambda newcomer: erase_account(newcomer.user),
        ),
    )
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData(
            "history",
            HISTORY_MODELS,
            lambda newcomer: export_history(newcomer, newcomer.user),
            lambda newcomer: keep_history(newcomer, newcomer.user),
        ),
    )
