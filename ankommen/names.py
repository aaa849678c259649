"""People's names as the portal stores them: without the invisible characters that turn the
direction of the text around them.

Names arrive in Arabic, Farsi, Pashto and Tigrinya as well as Latin scripts, and browsers lay
them out by themselves. Bidi *controls* (embeddings, overrides and isolates, U+202A to U+202E and
U+2066 to U+2069) have no place in a name. A name ending in U+202E, shown in a list, would flip
what follows it on the line, e.g. make "Ahmad<RLO> 3 Anfragen" read differently. So they are
removed; the zero-width non-joiner that Farsi spelling needs (U+200C) stays.
"""

from functools import reduce
from operator import or_
from typing import Any

from django.db import models
from django.db.models import Q

BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)


class PersonNameField(models.CharField):
    """A CharField whose value loses bidi controls on validation and on every save."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return without_bidi_controls(value) if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = without_bidi_controls(value)
            setattr(model_instance, self.attname, value)
        return value


def clean_stored_names(model: type[models.Model], *fields: str) -> None:
    """For the migrations that made these fields PersonNameFields: rows saved before."""
    for field in fields:
        having = reduce(or_, (Q(**{f"{field}__contains": chr(code)}) for code in BIDI_CONTROLS))
        for row in model._default_manager.filter(having).only("pk", field):
            setattr(row, field, without_bidi_controls(getattr(row, field)))
            row.save(update_fields=[field])
