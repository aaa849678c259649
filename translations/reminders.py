"""Translators hear of waiting texts once a week, and only when some wait in their languages."""

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from ankommen.messaging.services import DueReminder
from translations import selectors
from translations.models import Translator
from volunteers.models import LanguageSkill, Stage


def waiting_texts(now: datetime) -> list[DueReminder]:
    waiting = dict(selectors.waiting_anywhere().values_list("language").annotate(count=Count("pk")))
    if not waiting:
        return []
    languages_of: dict[int, list[str]] = defaultdict(list)
    for user_id, code in (
        LanguageSkill.objects.filter(
            volunteer__user__translator__isnull=False,
            volunteer__user__is_active=True,
            level__in=selectors.TRANSLATING_LEVELS,
        )
        .exclude(volunteer__stage=Stage.WITHDRAWN)
        .values_list("volunteer__user_id", "language__code")
    ):
        if waiting.get(code):
            languages_of[user_id].append(code)
    year, week, _day = now.isocalendar()
    url = settings.PORTAL_URL + reverse("translations:queue")
    return [
        DueReminder(
            person=translator.user,
            occasion="translations/waiting",
            key=f"{translator.user_id}:{year}-W{week}",
            context={
                "waiting": [(code, waiting[code]) for code in languages_of[translator.user_id]],
                "total": sum(waiting[code] for code in languages_of[translator.user_id]),
                "url": url,
            },
        )
        for translator in Translator.objects.filter(user_id__in=languages_of).select_related("user")
    ]
