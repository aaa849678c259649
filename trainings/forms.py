from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.person_picker import PersonChoiceField
from ankommen.widgets import DateTimeInput
from refugees.models import Newcomer
from refugees.picker import NEWCOMERS


class NewcomerSignUpForm(forms.Form):
    """A newcomer picked by name or record number; the picker lists only the people found."""

    newcomer = PersonChoiceField(
        Newcomer.objects.filter(closed_at__isnull=True),
        directory=NEWCOMERS,
        search_param="find_newcomer",
        label=_("Newcomer"),
    )

    def __init__(self, *args: Any, search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonChoiceField, self.fields["newcomer"]).offer(search, self.data.get("newcomer"))


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
