from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ankommen.vocabulary.forms import OffersCurrentVocabulary
from ankommen.vocabulary.models import District, Theme
from ankommen.widgets import DateInput
from matching.loader import Scope
from matching.models import MAX_WEIGHT, CheckIn, ClosingFeedback, MatchingWeights, Mentorship
from matching.scoring import CRITERIA, SLOTS_FOR_FULL_AVAILABILITY, WAITING_FULL_DAYS
from volunteers.models import Volunteer


class WeightsForm(forms.ModelForm):
    """How much each criterion counts in the score; the bounds are the model's (0 to
    MAX_WEIGHT each, one above 0), so this page and the admin refuse the same values."""

    class Meta:
        model = MatchingWeights
        fields = CRITERIA

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        explanations = weight_explanations()
        for name in CRITERIA:
            field = self.fields[name]
            field.help_text = explanations[name]
            field.widget.attrs.update({"min": 0, "max": MAX_WEIGHT})


def weight_explanations() -> dict[str, str]:
    """What earns a pair each criterion's points, as the engine scores it (matching.scoring)."""
    return {
        "language": gettext(
            "Full points when both speak a language natively, two thirds when both speak one "
            "fluently, a third when they share one at conversational level."
        ),
        "district": gettext(
            "Full points when both live in the same district, half in neighbouring districts."
        ),
        "themes": gettext(
            "The share of the newcomer's open needs the volunteer is interested in; half the "
            "points when the newcomer has none."
        ),
        "availability": gettext(
            "The volunteer's free times in the week: %(slots)d or more count fully."
        )
        % {"slots": SLOTS_FOR_FULL_AVAILABILITY},
        "waiting": gettext(
            "How long the newcomer has waited: %(days)d days or more count fully, so those "
            "who waited longest come first."
        )
        % {"days": WAITING_FULL_DAYS},
        "age": gettext(
            "Full points when the newcomer is in an age group the volunteer would like to "
            "accompany, none when not, half when the age is unknown or the volunteer has no "
            "preference."
        ),
    }


class RunForm(OffersCurrentVocabulary, forms.Form):
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
    first_meeting_on = forms.DateField(label=_("First meeting"), required=False, widget=DateInput())
    first_meeting_place = forms.CharField(
        label=_("Where they first meet"), required=False, max_length=200
    )
    end_reason = forms.ChoiceField(
        label=_("Why it ended"),
        required=False,
        choices=[("", "---------"), *Mentorship.EndReason.choices],
    )


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Why it ended"),
        choices=[("", "---------"), *Mentorship.EndReason.choices],
        error_messages={"required": _("Please say why the mentorship ended.")},
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


class ManualMatchForm(forms.Form):
    """One volunteer for the newcomer on the page; which mediators qualify, the view decides."""

    volunteer = forms.ModelChoiceField(Volunteer.objects.all(), widget=forms.HiddenInput)
    mediator = forms.ModelChoiceField(
        Volunteer.objects.none(), required=False, label=_("Language mediator (optional)")
    )
    override_reason = forms.CharField(
        label=_("Why match them anyway?"), required=False, max_length=300
    )

    def __init__(
        self, *args: Any, mediators: QuerySet[Volunteer] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if mediators is not None:
            self.fields["mediator"].queryset = mediators


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Mentorship
        fields = ["goals", "meeting_frequency", "agreed_on"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 4}),
            "agreed_on": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = ClosingFeedback
        fields = ["rating", "comment"]
        widgets = {
            "rating": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"comment": _("Anything you want to tell us? (optional)")}
