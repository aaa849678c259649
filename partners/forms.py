from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from workgroups.forms import PartnerForm, TaskForm
from workgroups.models import EventResponse, WorkingGroup


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
