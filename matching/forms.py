from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.vocabulary.models import District, Theme


class RunForm(forms.Form):
    """The scope of a run; all empty means every waiting newcomer."""

    district = forms.ModelChoiceField(
        District.objects.all(), required=False, label=_("District (and its neighbours)")
    )
    theme = forms.ModelChoiceField(Theme.objects.all(), required=False, label=_("Open need"))
    waiting_weeks = forms.IntegerField(
        required=False, min_value=1, max_value=520, label=_("Waiting for at least (weeks)")
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this pair not fit?"), max_length=300, widget=forms.TextInput
    )
