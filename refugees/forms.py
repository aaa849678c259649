from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.phone_numbers import clean_phone_number
from ankommen.vocabulary.forms import OffersCurrentVocabulary
from ankommen.vocabulary.models import Theme
from ankommen.widgets import DateInput
from refugees.models import HouseholdMember, Need, Newcomer, NewcomerConsent

NEWCOMER_FIELDS = [
    "full_name",
    "birth_year",
    "age_group",
    "gender",
    "household",
    "district",
    "residence_status",
    "preferred_language",
    "wants_same_gender_contact",
    "phone",
    "share_phone",
    "email",
    "share_email",
    "internal_notes",
]


def _plausible_birth_year(year: int | None) -> int | None:
    if year is not None and not 1900 <= year <= timezone.localdate().year:
        raise forms.ValidationError(_("Please enter a year between 1900 and this year."))
    return year


class NewcomerForm(OffersCurrentVocabulary, forms.ModelForm):
    class Meta:
        model = Newcomer
        fields = NEWCOMER_FIELDS
        widgets = {
            "internal_notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter the name."))
        return name

    def clean_birth_year(self) -> int | None:
        return _plausible_birth_year(self.cleaned_data["birth_year"])

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("share_phone") and not cleaned.get("phone"):
            self.add_error("share_phone", _("There is no phone number to share."))
        if cleaned.get("share_email") and not cleaned.get("email"):
            self.add_error("share_email", _("There is no e-mail address to share."))
        return cleaned

    def changed_values(self) -> dict[str, tuple[Any, Any]]:
        """Old and new value of each changed field, for the record's history."""
        return {
            name: (self.initial.get(name), self.cleaned_data.get(name))
            for name in self.changed_data
        }


class NewcomerConsentFields(forms.Form):
    """Asked when a record is created: without consent to the record, there is no record."""

    consent_purposes = forms.MultipleChoiceField(
        label=_("The newcomer agreed to"),
        choices=NewcomerConsent.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_language = forms.ChoiceField(
        label=_("Explained in"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    consent_on = forms.DateField(
        label=_("Agreed on"),
        initial=date.today,
        widget=DateInput(),
    )

    def clean_consent_purposes(self) -> list[str]:
        purposes = self.cleaned_data["consent_purposes"]
        if NewcomerConsent.Purpose.RECORD not in purposes:
            raise forms.ValidationError(
                _("Without consent to keeping the record, the newcomer cannot be recorded.")
            )
        return purposes

    def clean_consent_on(self) -> date:
        day = self.cleaned_data["consent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class HouseholdMemberForm(forms.ModelForm):
    class Meta:
        model = HouseholdMember
        fields = ["relation", "age_group", "birth_year", "first_name"]

    def clean_birth_year(self) -> int | None:
        return _plausible_birth_year(self.cleaned_data["birth_year"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("age_group") and cleaned.get("birth_year") is None:
            # The database constraint says the same, but its error would not sit by the field.
            self.add_error("age_group", _("Please give the age group or the year of birth."))
        return cleaned


HouseholdFormSet = forms.inlineformset_factory(
    Newcomer,
    HouseholdMember,
    form=HouseholdMemberForm,
    extra=2,
    can_delete=True,
)


class NeedForm(OffersCurrentVocabulary, forms.ModelForm):
    class Meta:
        model = Need
        fields = ["theme", "urgency", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ConsentForm(forms.ModelForm):
    class Meta:
        model = NewcomerConsent
        fields = ["purpose", "language", "obtained_on"]
        widgets = {"obtained_on": DateInput()}


class HelpForm(OffersCurrentVocabulary, forms.Form):
    """The newcomer's own request. Its messages are ours, so every language has them."""

    theme = forms.ModelChoiceField(
        label=pgettext_lazy("newcomer view", "What do you need help with?"),
        queryset=Theme.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": pgettext_lazy("newcomer view", "Please choose one."),
            "invalid_choice": pgettext_lazy("newcomer view", "Please choose one."),
        },
    )
    note = forms.CharField(
        label=pgettext_lazy("newcomer view", "Anything else we should know? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": pgettext_lazy(
                "newcomer view", "Please write a little less (at most 500 letters)."
            )
        },
    )


class LanguageChoiceForm(forms.Form):
    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        error_messages={
            "required": pgettext_lazy("newcomer view", "Please choose one."),
            "invalid_choice": pgettext_lazy("newcomer view", "Please choose one."),
        },
    )
