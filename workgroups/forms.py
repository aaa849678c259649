from django import forms
from django.utils.translation import gettext_lazy as _

from workgroups.models import Meeting


class JoinForm(forms.Form):
    note = forms.CharField(
        label=_("Why would you like to join? (optional)"), max_length=500, required=False
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "place", "agenda", "minutes"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: object, members: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["attendees"] = forms.ModelMultipleChoiceField(
            label=_("Present"),
            queryset=members,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class GroupMessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}))
