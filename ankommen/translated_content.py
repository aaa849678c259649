"""Texts that coordinators write in German and readers get in their own language.

django-modeltranslation gives each registered field a column per language (`title_de`,
`title_ar`, ...). Reading `course.title` gives the reader's version, else the German one.
Writing it would write the *active* language's column; `writes_in_source_language` makes every
write through the plain name (`Course(title=...)`, `course.title = ...`,
`save(update_fields=["title"])`) go to the German column, whatever the coordinator's interface
language. Other languages' versions are written by their own names (`title_ar`).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import get_language_info
from modeltranslation.translator import translator

SOURCE_LANGUAGE: str = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
# Every language a version can be written in, besides the source, in the settings' order.
VERSION_LANGUAGES: tuple[str, ...] = tuple(
    code for code in settings.MODELTRANSLATION_LANGUAGES if code != SOURCE_LANGUAGE
)


@contextmanager
def in_source_language() -> Iterator[None]:
    """Reads and writes of translated fields inside go to the German columns."""
    with translation.override(SOURCE_LANGUAGE):
        yield


def writes_in_source_language(model: type[models.Model]) -> type[models.Model]:
    """Applied under `@register(...)` in an app's translation.py, after modeltranslation has
    set the model up: constructor, attribute writes and partial saves use the German column."""
    names = frozenset(translator.get_options_for_model(model).all_fields)
    made = model.__init__

    def construct(self: models.Model, *args: Any, **kwargs: Any) -> None:
        if names.isdisjoint(kwargs):  # rows loaded from the database come positionally
            made(self, *args, **kwargs)
            return
        with in_source_language():
            made(self, *args, **kwargs)

    model.__init__ = construct  # type: ignore[method-assign]
    for name in names:
        descriptor = model.__dict__[name]
        descriptor.__class__ = type(
            "SourceWriting" + type(descriptor).__name__, (_SourceWriting, type(descriptor)), {}
        )
    saves = model.save

    def save(self: models.Model, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is None or names.isdisjoint(fields):
            saves(self, *args, **kwargs)
            return
        with in_source_language():
            saves(self, *args, **kwargs)

    model.save = save  # type: ignore[method-assign]
    for manager in model._meta.local_managers:
        manager.__class__ = type(
            "German" + type(manager).__name__, (_GermanQueries, type(manager)), {}
        )
    return model


class _GermanQueries:
    """Mixed into the model's managers: lookups, ordering and values by a text's plain name
    use the plain column, which holds the German text, as before there were versions. (By
    default modeltranslation would search and sort by the reader's language's column, empty
    where no version exists.) Pages read the reader's version from the record itself."""

    def get_queryset(self) -> Any:
        queryset = super().get_queryset().rewrite(False)  # type: ignore[misc]
        ordering = queryset.model._meta.ordering
        if ordering and queryset.query.default_ordering:
            # modeltranslation has put the model's ordering in the reader's language already.
            queryset.query.clear_ordering(force=True, clear_default=False)
            queryset.query.add_ordering(*ordering)
        return queryset


class _SourceWriting:
    """Mixed into modeltranslation's field descriptor: `record.title = ...` is German."""

    def __set__(self, instance: models.Model, value: Any) -> None:
        with in_source_language():
            super().__set__(instance, value)  # type: ignore[misc]


def version_fields(*names: str) -> list[str]:
    """The per-language columns of these fields, for a form's `Meta.fields`."""
    return [f"{name}_{code}" for name in names for code in VERSION_LANGUAGES]


def reader_version(instance: models.Model, name: str) -> tuple[str, str]:
    """The text of a field in the active language, and the language it is in: the reader's
    own version, else the source text (with the source language), else empty."""
    language = translation.get_language() or SOURCE_LANGUAGE
    language = language.split("-")[0]
    if language != SOURCE_LANGUAGE:
        own = getattr(instance, f"{name}_{language}", None)
        if own:
            return own, language
    source = getattr(instance, f"{name}_{SOURCE_LANGUAGE}", None)
    if source is None:  # a record made before the versions, or read with `only()`
        with in_source_language():
            source = getattr(instance, name)
    return source or "", SOURCE_LANGUAGE


def all_versions(instance: models.Model, name: str) -> dict[str, dict[str, str]]:
    """A text with every version it has, for a message that is written later in the language
    its reader has then (`in_language` picks it when the mail is rendered)."""
    versions = {}
    for code in (SOURCE_LANGUAGE, *VERSION_LANGUAGES):
        text = getattr(instance, f"{name}_{code}", None)
        if text:
            versions[code] = text
    return {"versions": versions}


def in_language(value: Any, language: str) -> Any:
    """A value of a message's context in the reader's language: a text made by
    `all_versions` becomes the reader's version, else the German one; other values stay."""
    if isinstance(value, dict) and value.keys() == {"versions"}:
        versions = value["versions"]
        return versions.get(language.split("-")[0]) or versions.get(SOURCE_LANGUAGE, "")
    return value


class ReaderText(str):
    """A text that knows which language it is in: what the newcomer pages' items carry, so the
    page can mark a German text inside another language's page."""

    language: str

    def __new__(cls, text: str, language: str) -> "ReaderText":
        made = super().__new__(cls, text)
        made.language = language
        return made


def for_reader(instance: models.Model, name: str, *, limit: int | None = None) -> ReaderText:
    """The reader's version of a field (see `reader_version`), cut to `limit` characters."""
    text, language = reader_version(instance, name)
    return ReaderText(text[:limit] if limit is not None else text, language)


class TranslatedContentForm(forms.ModelForm):
    """A ModelForm whose translated fields show and save the German text; the other languages'
    versions (listed in `Meta.fields` with `version_fields`) are labelled with their language,
    and their inputs carry `lang` and `dir` so that each is typed and read the right way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with in_source_language():
            super().__init__(*args, **kwargs)
        for name in self.version_field_names:
            base, _sep, code = name.rpartition("_")
            field = self.fields[name]
            info = get_language_info(code)
            field.label = f"{self.fields[base].label} · {info['name_local']}"
            field.required = False
            # Left empty, a language has no version (and readers get the German text).
            field.empty_value = None  # type: ignore[attr-defined]
            field.help_text = ""
            field.widget.attrs.update(lang=code, dir="rtl" if info["bidi"] else "ltr")

    @property
    def version_field_names(self) -> list[str]:
        """The version fields, for the collapsible "Translations" section of the page."""
        names = []
        for name in self.fields:
            base, _sep, code = name.rpartition("_")
            if code in VERSION_LANGUAGES and base in self.fields:
                names.append(name)
        return names

    def versions(self) -> list[forms.BoundField]:
        return [self[name] for name in self.version_field_names]

    def source_fields(self) -> list[forms.BoundField]:
        """The visible fields but the versions: the form as coordinators fill it in."""
        versions = set(self.version_field_names)
        return [field for field in self.visible_fields() if field.name not in versions]

    def versions_have_errors(self) -> bool:
        return any(name in self.errors for name in self.version_field_names)

    def versions_given(self) -> bool:
        """Whether some version has been written, so the section opens to show it."""
        return any(self[name].value() for name in self.version_field_names)

    def _post_clean(self) -> None:
        # The German fields go into the German columns; the rest of the cleaning (the model's
        # own checks and their messages) stays in the coordinator's language.
        translated = translator.get_options_for_model(self._meta.model).all_fields
        with in_source_language():
            for name in translated:
                if name in self.cleaned_data:
                    setattr(self.instance, name, self.cleaned_data[name])
        # Setting them again while the form builds the record touches only the base column.
        self.instance._mt_disable = True  # type: ignore[attr-defined]
        try:
            super()._post_clean()  # type: ignore[misc]  # ModelForm's, not in the stubs
        finally:
            del self.instance._mt_disable  # type: ignore[attr-defined]
