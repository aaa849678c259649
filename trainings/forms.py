from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.widgets import DateTimeInput
from refugees.models import Newcomer


class NewcomerSignUpForm(forms.Form):
    newcomer = forms.ModelChoiceField(
        label=_("Newcomer"),
        queryset=Newcomer.objects.filter(closed_at__isnull=True).order_by("full_name"),
    )


class MoveSessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
