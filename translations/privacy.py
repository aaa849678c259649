"""A translator's part of a person's export and erasure (see ankommen.privacy): that they
translate, and which texts they translated. The texts themselves are the network's content, not
personal data; erasure keeps them and drops who wrote them."""

from typing import Any

from django.db import transaction

from ankommen.accounts.models import User
from ankommen.privacy.registry import NEWCOMER, PERSON_KINDS, VOLUNTEER, PersonalData
from translations import services
from translations.models import TranslationTask, Translator

MODELS = ("translations.Translator", "translations.TranslationTask")


def _export(user: User | None) -> dict[str, Any]:
    if user is None:
        return {"translator_since": None, "translations": []}
    translator = Translator.objects.filter(user=user).first()
    return {
        "translator_since": translator.since.isoformat() if translator else None,
        "translations": [
            {
                "text": f"{task.content_type.model}.{task.field}",
                "language": task.language,
                "state": task.state,
                "submitted_at": task.submitted_at and task.submitted_at.isoformat(),
                "minutes": task.minutes,
            }
            for task in TranslationTask.objects.filter(translator=user).select_related(
                "content_type"
            )
        ],
    }


@transaction.atomic
def _erase(user: User | None) -> None:
    if user is None:
        return
    services.leave(user=user)
    TranslationTask.objects.filter(translator=user).update(translator=None, minutes=None)


def register() -> None:
    PERSON_KINDS[VOLUNTEER].parts.register(
        PersonalData(
            "translations",
            MODELS,
            lambda volunteer: _export(volunteer.user),
            lambda volunteer: _erase(volunteer.user),
        )
    )
    PERSON_KINDS[NEWCOMER].parts.register(
        PersonalData(
            "translations",
            MODELS,
            lambda newcomer: _export(newcomer.user),
            lambda newcomer: _erase(newcomer.user),
        )
    )
