from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.vocabulary.models import District, Theme
from matching.loader import Scope
from matching.models import CheckIn, Mentorship


class RunForm(forms.Form):
    """The scope of a run; all empty means every waiting newcomer."""

    district = forms.ModelChoiceField(
        District.objects.all(), required=False, label=_("District (and its neighbours)")
    )
    theme = forms.ModelChoiceField(Theme.objects.all(), required=False, label=_("Open need"))
    waiting_weeks = forms.IntegerField(
        required=False, min_value=1, max_value=520, label=_("Waiting for at least (weeks)")
    )

    def scope(self) -> Scope:
        data = self.cleaned_data
        return Scope(
            district_id=data["district"].pk if data["district"] else None,
            theme_id=data["theme"].pk if data["theme"] else None,
            waiting_weeks=data["waiting_weeks"],
        )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this pair not fit?"), max_length=300, widget=forms.TextInput
    )


class MoveForm(forms.Form):
    """One step in a mentorship's life; which steps are allowed is the lifecycle's business."""

    to_state = forms.ChoiceField(label=_("New state"), choices=Mentorship.State.choices)
    first_meeting_on = forms.DateField(
        label=_("First meeting"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_reason = forms.ChoiceField(
        label=_("Why it ended"),
        required=False,
        choices=[("", "---------"), *Mentorship.EndReason.choices],
    )


class CheckInForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"), choices=CheckIn.Answer.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything the coordinators should know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
