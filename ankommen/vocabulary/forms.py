"""Choosing districts, themes and languages: only the entries offered, plus those the record
at hand holds; and a list of languages with a level each, as volunteers and newcomers give it."""

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ankommen.vocabulary.models import (
    Language,
    LanguageLevel,
    LocalizedNameMixin,
    VocabularyQuerySet,
)

# A primary key in a query string has at most this many digits: longer ones match nothing and
# would overflow the database's integer (tests/test_out_of_range_ids.py).
LONGEST_ID = 9


def ids_in(value: Any) -> list[int]:
    """The primary keys in a form's initial value or in a query string's values: an entry,
    its key, or a list of either; anything else names no entry."""
    items = value if isinstance(value, list | tuple | set | models.QuerySet) else [value]
    found = []
    for item in items:
        key = item.pk if isinstance(item, models.Model) else item
        if isinstance(key, int):
            found.append(key)
        elif isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= LONGEST_ID:
            found.append(int(key))
    return found


def offer_current_vocabulary(
    fields: Mapping[str, forms.Field], held: Callable[[str], Iterable[int]]
) -> None:
    """Every choice of a district, theme or language offers what is offered plus what the
    record already holds (`held(field name)`): the one place that rule is applied."""
    for name, field in fields.items():
        if isinstance(field, forms.ModelChoiceField) and isinstance(
            field.queryset, VocabularyQuerySet
        ):
            field.queryset = field.queryset.offered(keeping=held(name))


# The mixin goes before a form class: to the type checker it is one.
if TYPE_CHECKING:
    _Form = forms.BaseForm
else:
    _Form = object


class OffersCurrentVocabulary(_Form):
    """For forms: retired entries are not offered, except on a record that already has them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_current_vocabulary(self.fields, lambda name: ids_in(self.initial.get(name)))


class LanguageSkillForm(OffersCurrentVocabulary, forms.Form):
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", "---------"), *LanguageLevel.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("language") and not cleaned.get("level"):
            self.add_error("level", _("Please choose how well you speak it."))
        if cleaned.get("level") and not cleaned.get("language"):
            self.add_error("language", _("Please choose the language."))
        return cleaned


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        chosen = [form.cleaned_data.get("language") for form in self.forms]
        chosen = [language for language in chosen if language]
        if not chosen:
            raise forms.ValidationError(_("Please add at least one language you speak."))
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError(_("Please list each language only once."))

    def skills(self) -> list[tuple[Language, str]]:
        return [
            (form.cleaned_data["language"], form.cleaned_data["level"])
            for form in self.forms
            if form.cleaned_data.get("language")
        ]


LanguageFormSet = forms.formset_factory(
    LanguageSkillForm, formset=BaseLanguageFormSet, extra=3, max_num=12
)


def language_formset(skills: Any, data: Any = None) -> BaseLanguageFormSet:
    """`skills` is a related manager or queryset of rows with `language_id` and `level`."""
    initial = [{"language": skill.language_id, "level": skill.level} for skill in skills.all()]
    return LanguageFormSet(data, initial=initial, prefix="languages")


def _portal_languages() -> list[tuple[str, str]]:
    """The portal's languages other than its own, each named in the reader's language."""
    return [
        (code, f"{get_language_info(code)['name_translated']} ({local})")
        for code, local in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


class NamesForm(forms.Form):
    """A district's or theme's name, and its names in the portal's other languages: gettext
    cannot know entries that coordinators add, so they carry their own translations."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("In German. Shown wherever no name in the reader's language is given."),
    )

    def __init__(self, *args: Any, entry: LocalizedNameMixin | None = None, **kwargs: Any) -> None:
        self.entry = entry
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": entry.name,
                    "position": getattr(entry, "position", 0),
                    **{f"name_{code}": text for code, text in entry.translations.items()},
                },
            )
        super().__init__(*args, **kwargs)
        for code, label in _portal_languages():
            self.fields[f"name_{code}"] = forms.CharField(
                label=label,
                max_length=100,
                required=False,
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter the name."))
        return name

    def values(self) -> dict[str, Any]:
        """The model's fields: the name and the translations that were given. Names in
        languages the portal does not offer, set elsewhere, are kept; one in the portal's own
        language would hide the name itself, so it goes."""
        offered = [code for code, _label in _portal_languages()]
        kept = self.entry.translations if self.entry is not None else {}
        translations = {
            code: text
            for code, text in kept.items()
            if code not in offered and code != settings.LANGUAGE_CODE
        }
        translations.update(
            {
                code: " ".join(self.cleaned_data[f"name_{code}"].split())
                for code in offered
                if self.cleaned_data[f"name_{code}"].strip()
            }
        )
        values: dict[str, Any] = {"name": self.cleaned_data["name"], "translations": translations}
        if "position" in self.fields:
            values["position"] = self.cleaned_data["position"]
        return values


class ThemeForm(NamesForm):
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=_("Themes are listed by this number, smallest first."),
    )


class LanguageForm(forms.Form):
    """A language people speak. Its code is set when it is added: imports refer to it."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"(?i)^[a-z]{2,3}(-[a-z0-9]{2,8})?$",
        max_length=12,
        help_text=_("ISO 639 code in small letters, e.g. ar, prs or ku-latn."),
        error_messages={"invalid": _("Please enter a code like ar, prs or ku-latn.")},
    )
    name_en = forms.CharField(label=_("Name in English"), max_length=100)
    name_native = forms.CharField(
        label=_("Name in the language itself"),
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    direction = forms.ChoiceField(label=_("Text direction"), choices=Language.Direction.choices)
    is_common = forms.BooleanField(
        label=_("Listed first"),
        required=False,
        help_text=_("Commonly needed languages come first wherever people choose a language."),
    )

    def __init__(self, *args: Any, entry: Language | None = None, **kwargs: Any) -> None:
        if entry is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name_en": entry.name_en,
                    "name_native": entry.name_native,
                    "direction": entry.direction,
                    "is_common": entry.is_common,
                },
            )
        super().__init__(*args, **kwargs)
        if entry is not None:
            del self.fields["code"]

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().lower()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in ("name_en", "name_native", "direction")}
        values["name_en"] = " ".join(values["name_en"].split())
        values["name_native"] = " ".join(values["name_native"].split())
        values["is_common"] = data["is_common"]
        if "code" in self.fields:
            values["code"] = data["code"]
        return values
