"""`{% translation_work record %}`: on a coordinator's page of a text (a course, a session, an
offer, an event), where its translations stand per language, and a form to ask for more."""

from dataclasses import dataclass

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from translations import selectors
from translations.forms import AskForm
from translations.models import TranslationTask

register = template.Library()


@dataclass(frozen=True)
class Cell:
    label: str
    tone: str  # a Bootstrap colour: what needs someone's attention stands out


def _cell(task: TranslationTask | None) -> Cell:
    if task is None:
        return Cell(_("not asked for"), "light")
    if selectors.is_outdated(task):
        return Cell(_("outdated"), "warning")
    if selectors.has_lapsed(task) or task.state == TranslationTask.State.OPEN:
        return Cell(_("to translate"), "secondary")
    if task.state == TranslationTask.State.CLAIMED:
        return Cell(_("being translated"), "info")
    if task.state == TranslationTask.State.SUBMITTED:
        return Cell(_("to review"), "primary")
    return Cell(_("translated"), "success")


@register.inclusion_tag("translations/_record_work.html", takes_context=True)
def translation_work(
    context: template.Context, record: models.Model, ask: bool = True
) -> dict[str, object]:
    """`ask=False` leaves out the form asking for more languages (coordinators' only): partner
    staff see where their offer's translations stand."""
    fields = selectors.translated_fields(type(record))
    tasks = selectors.tasks_of(record)
    languages = sorted({language for _field, language in tasks})
    rows = [
        (code, name, [_cell(tasks.get((field, code))) for field in fields])
        for code, name in selectors.language_choices(languages)
    ]
    return {
        "request": context.get("request"),
        "record": record,
        "content_type_id": ContentType.objects.get_for_model(record).pk,
        "headers": [selectors.field_label(type(record), field) for field in fields],
        "rows": rows,
        "form": AskForm() if ask else None,
    }
