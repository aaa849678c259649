from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ankommen.widgets import DateTimeInput
from workgroups.forms import PartnerForm, TaskForm
from workgroups.models import EventResponse, Referral, WorkingGroup


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    preferred_language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_("The invitation and the portal reach the person in this language."),
    )

    def clean_full_name(self) -> str:
        full_name = " ".join(self.cleaned_data["full_name"].split())
        if not full_name:
            raise forms.ValidationError(_("Please enter the person's name."))
        return full_name


# The partner desk: the coordinators' forms of workgroups, without what staff do not set. ------


class ProfileForm(PartnerForm):
    """The organisation's profile as its staff keep it: everything but the name."""

    class Meta(PartnerForm.Meta):
        fields = [name for name in PartnerForm.Meta.fields if name != "name"]


class PartnerTaskForm(TaskForm):
    """A task as partner staff write it: no working group, and the organisation is theirs."""

    class Meta(TaskForm.Meta):
        fields = [name for name in TaskForm.Meta.fields if name not in ("group", "organisation")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, groups=WorkingGroup.objects.none(), **kwargs)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the task declined?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation's staff read this in the e-mail and on their desk."),
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError(_("Please say why the task is declined."))
        return reason


class EventReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"), choices=EventResponse.Answer.choices, widget=forms.RadioSelect
    )


class ReferralAcceptForm(forms.Form):
    """Accepting a referral, with an appointment if there is one yet."""

    appointment_at = forms.DateTimeField(
        label=_("Appointment (date and time)"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("The newcomer sees it in their own view, in their language."),
    )
    appointment_place = forms.CharField(
        label=_("Place of the appointment"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        place, when = cleaned.get("appointment_place", "").strip(), cleaned.get("appointment_at")
        if place and when is None and not self.has_error("appointment_at"):
            self.add_error("appointment_at", _("Please give the date and time too."))
        return cleaned


class ReferralDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you cannot take this referral"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The coordinator reads it and looks for other help."),
        error_messages={"required": _("Please say why you decline.")},
    )


class ReferralReportForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[
            (Referral.Outcome.DONE, Referral.Outcome.DONE.label),
            (Referral.Outcome.NO_SHOW, _("The newcomer did not come")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Short note for the coordinator"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
