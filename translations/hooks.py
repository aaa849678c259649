"""Where content apps tell the translators' queue what their texts are."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise

from ankommen.hooks import Hook, declare


@dataclass(frozen=True)
class Translatable:
    """A model whose texts (its fields registered with django-modeltranslation) volunteers
    translate. `still_read` gives the records readers still see (a course not retired, a
    session to come): only their texts are offered, so nobody translates a past session's place.
    """

    model: type[models.Model]
    label: str | Promise | None  # a model's verbose name
    still_read: Callable[[], "models.QuerySet[models.Model]"]


TRANSLATABLE: Hook[Translatable] = declare(
    "translations.translatable",
    "Models whose texts readers see in their language, with the records still read; the "
    "translators' queue offers their texts.",
    key=lambda item: item.model._meta.label_lower,
)
