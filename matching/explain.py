"""Scores and leftovers in words a coordinator understands, in the reader's language."""

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ankommen.vocabulary.models import Language
from matching import leftovers
from matching.models import Leftover
from matching.scoring import CRITERIA

CRITERION_LABELS = {
    "language": gettext_lazy("Shared language"),
    "district": gettext_lazy("Lives in the same or a nearby district"),
    "themes": gettext_lazy("Interests match the needs"),
    "availability": gettext_lazy("Free time during the week"),
    "waiting": gettext_lazy("Waiting time"),
    "age": gettext_lazy("Age group the volunteer would like to accompany"),
}


@dataclass(frozen=True)
class Part:
    label: str
    points: int
    weight: int


def score_parts(components: dict[str, int], weights: dict[str, int]) -> list[Part]:
    return [
        Part(str(CRITERION_LABELS[name]), components.get(name, 0), weights.get(name, 0))
        for name in CRITERIA
    ]


def leftover_texts(items: list[Leftover]) -> dict[int, str]:
    """Leftover pk -> its reason as a sentence; one query for the language names."""
    language_ids = {pk for item in items for pk in item.details.get("languages", [])}
    names = {
        language.pk: str(language) for language in Language.objects.filter(pk__in=language_ids)
    }
    return {item.pk: _sentence(item, names) for item in items}


def _sentence(item: Leftover, names: dict[int, str]) -> str:
    count = item.details.get("volunteers", 0)
    if item.reason == leftovers.NO_SHARED_LANGUAGE:
        spoken = ", ".join(names[pk] for pk in item.details.get("languages", []) if pk in names)
        if not spoken:
            return _(
                "This newcomer speaks no language at conversational level yet: a language "
                "mediator can help."
            )
        return _("No ready volunteer with a free place speaks %(languages)s.") % {
            "languages": spoken
        }
    speak = ngettext(
        "%(count)d volunteer with a free place speaks a shared language",
        "%(count)d volunteers with a free place speak a shared language",
        count,
    ) % {"count": count}
    if item.reason == leftovers.SAME_GENDER:
        return format_lazy(_("{speak}, but none of the same gender."), speak=speak)
    if item.reason == leftovers.FAMILY:
        return format_lazy(_("{speak}, but none of them accompanies families."), speak=speak)
    if item.reason == leftovers.MINORS:
        return format_lazy(
            _("{speak}, but none of them works with minors and has a valid police clearance."),
            speak=speak,
        )
    if item.reason == leftovers.ALL_REJECTED:
        return _("Every suitable volunteer was turned down for this newcomer before.")
    return ngettext(
        "The one suitable volunteer's places went to newcomers who fit better or waited longer.",
        "All %(count)d suitable volunteers' places went to newcomers who fit better or waited "
        "longer.",
        count,
    ) % {"count": count}
