from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.phone_numbers import clean_phone_number
from ankommen.vocabulary.forms import BaseLanguageFormSet, OffersCurrentVocabulary
from ankommen.vocabulary.forms import language_formset as shared_language_formset
from ankommen.widgets import DateInput, DateTimeInput
from volunteers.availability import mask_for, slot_choices, slots_in
from volunteers.models import AgePreference, HoursEntry, Stage, Volunteer, VolunteerRole


class ConsentForm(forms.Form):
    agree = forms.BooleanField(label="", required=True)

    def __init__(self, *args: Any, consent_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agree"].label = consent_text
        self.fields["agree"].error_messages["required"] = _(
            "Without your consent we cannot keep a volunteer profile for you."
        )


class AboutYouForm(OffersCurrentVocabulary, forms.ModelForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)

    class Meta:
        model = Volunteer
        fields = ["phone", "district", "gender"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})}
        help_texts = {"phone": _("Optional. For example +49 511 123456 or 0511 123456.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].initial = self.instance.user.full_name

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data["phone"])

    def save(self, commit: bool = True) -> Volunteer:
        volunteer = super().save(commit=commit)
        volunteer.user.full_name = self.cleaned_data["full_name"]
        volunteer.user.save(update_fields=["full_name", "updated_at"])
        return volunteer


def language_formset(volunteer: Volunteer, data: Any = None) -> BaseLanguageFormSet:
    return shared_language_formset(volunteer.languages, data)


class OfferForm(OffersCurrentVocabulary, forms.ModelForm):
    age_preferences = forms.MultipleChoiceField(
        label=_("Whom would you like to accompany?"),
        choices=AgePreference.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Optional. Leave it empty if it does not matter to you."),
    )
    roles = forms.MultipleChoiceField(
        label=_("What would you like to do?"),
        choices=VolunteerRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": _("Please choose at least one thing you would like to do.")},
    )

    class Meta:
        model = Volunteer
        fields = [
            "themes",
            "skills",
            "qualifications",
            "accepts_minors",
            "accepts_families",
            "age_preferences",
            "max_mentorships",
            "hours_per_month",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "skills": forms.Textarea(attrs={"rows": 3}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "skills": _("For example: cooking, bicycle repairs, helping with homework."),
            "qualifications": _("For example: teacher, nurse, interpreter, driving licence."),
            "accepts_minors": _("You will need an extended police clearance certificate."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].initial = [role.value for role in self.instance.roles]

    def save(self, commit: bool = True) -> Volunteer:
        for role in VolunteerRole:
            setattr(self.instance, f"wants_{role.value}", role.value in self.cleaned_data["roles"])
        return super().save(commit=commit)


class AvailabilityForm(forms.Form):
    slots = forms.MultipleChoiceField(
        label=_("When are you usually free?"),
        choices=slot_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, volunteer: Volunteer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.volunteer = volunteer
        self.fields["slots"].initial = [str(number) for number in slots_in(volunteer.availability)]

    def save(self) -> Volunteer:
        self.volunteer.availability = mask_for([int(v) for v in self.cleaned_data["slots"]])
        self.volunteer.save(update_fields=["availability", "updated_at"])
        return self.volunteer


class HoursForm(OffersCurrentVocabulary, forms.ModelForm):
    class Meta:
        model = HoursEntry
        fields = ["worked_on", "hours", "theme", "note"]
        widgets = {"worked_on": DateInput()}


class HoursReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("reject", _("Decline"))], widget=forms.HiddenInput
    )
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=4, decimal_places=2, required=False, min_value=0.25
    )


class HoursBulkForm(forms.Form):
    """Approve or decline the selected hours; the ids themselves are read by `selected_ids`."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve selected")), ("reject", _("Decline selected"))]
    )
    reason = forms.CharField(
        label=_("Why not approved (the volunteer reads it)"), max_length=300, required=False
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Please say why the hours are not approved."))
        return cleaned


def selected_ids(values: list[str]) -> tuple[list[int], int]:
    """The selected entries' ids, and how many values were no id at all (a tampered form)."""
    ids = [int(value) for value in values if value.isdigit() and len(value) <= 9]
    return ids, len(values) - len(ids)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Would you tell us why? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class StageMoveForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    first_conversation_at = forms.DateTimeField(
        label=_("First conversation on"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)


class ClearanceForm(forms.Form):
    seen_on = forms.DateField(label=_("Seen on"), widget=DateInput())
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class BulkActionForm(forms.Form):
    volunteers = forms.ModelMultipleChoiceField(
        queryset=Volunteer.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Please select at least one volunteer.")},
    )
    action = forms.ChoiceField(label=_("Action"), choices=[])
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices, required=False)
    subject = forms.CharField(label=_("Subject"), required=False, max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea, required=False)
    target = forms.ChoiceField(label=_("Which one"), required=False, choices=[])

    def __init__(
        self,
        *args: Any,
        actions: list[tuple[str, str]],
        targets: list[tuple[str, list[tuple[str, str]]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions
        self.fields["target"].choices = [("", "---------"), *(targets or [])]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "move_stage" and not cleaned.get("to_stage"):
            self.add_error("to_stage", _("Please choose the new stage."))
        if action == "message" and not (cleaned.get("subject") and cleaned.get("body")):
            self.add_error("body", _("Please write a subject and a message."))
        return cleaned


class BulkStageMoveForm(forms.Form):
    """The selection and the stage carried from the card file to the summary and back."""

    volunteers = forms.ModelMultipleChoiceField(
        queryset=Volunteer.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Please select at least one volunteer.")},
    )
    to_stage = forms.ChoiceField(
        choices=Stage.choices,
        widget=forms.HiddenInput,
        error_messages={"required": _("Please choose the new stage.")},
    )
    # The card file's filters, to go back to the same list.
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
