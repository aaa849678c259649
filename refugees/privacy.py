"""A newcomer's data for export and erasure (see ankommen.privacy)."""

from typing import Any

from django.contrib.auth.hashers import make_password

from ankommen.messaging.privacy import erase_messages, export_messages
from ankommen.privacy.registry import ERASED_NAME, NEWCOMER, PersonalData, register_personal_data
from ankommen.privacy.serialize import record, records
from refugees.models import Newcomer


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
    record is open or closed does not change, so no figure moves."""
    Newcomer.objects.filter(pk=newcomer.pk).update(
        full_name=ERASED_NAME,
        birth_year=None,
        gender="",
        residence_status="",
        phone="",
        email="",
        share_phone=False,
        share_email=False,
        internal_notes="",
    )
    newcomer.members.update(first_name="")
    newcomer.needs.update(note="")
    newcomer.access_links.all().delete()
    if newcomer.user_id:
        type(newcomer.user).objects.filter(pk=newcomer.user_id).update(
            email=None,
            full_name="",
            preferred_name="",
            is_active=False,
            password=make_password(None),
        )


def register() -> None:
    # Messages first: their eraser needs the address the record's eraser removes.
    register_personal_data(
        NEWCOMER,
        PersonalData(
            "messages",
            lambda newcomer: export_messages(newcomer.user, newcomer.email),
            lambda newcomer: erase_messages(newcomer.user, newcomer.email),
        ),
    )
    register_personal_data(NEWCOMER, PersonalData("newcomer", _export, _erase))
