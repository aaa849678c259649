"""A list of languages with a level each, as volunteers and newcomers both give it."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.vocabulary.models import Language, LanguageLevel


class LanguageSkillForm(forms.Form):
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
