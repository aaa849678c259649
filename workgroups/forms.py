from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.vocabulary.forms import OffersCurrentVocabulary
from ankommen.widgets import DateInput, DateTimeInput
from refugees.models import Newcomer
from workgroups.models import MediatorRequest, Meeting, Offer, PartnerNeed


class JoinForm(forms.Form):
    note = forms.CharField(
        label=_("Why would you like to join? (optional)"), max_length=500, required=False
    )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["starts_at", "place", "agenda", "minutes"]
        widgets = {
            "starts_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, members: QuerySet[User] | None = None, **kwargs: Any) -> None:
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


class PartnerNeedForm(OffersCurrentVocabulary, forms.ModelForm):
    class Meta:
        model = PartnerNeed
        fields = ["theme", "district", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ReferralForm(forms.Form):
    newcomer = forms.ModelChoiceField(
        label=_("Newcomer"), queryset=Newcomer.objects.filter(closed_at__isnull=True)
    )
    offer = forms.ModelChoiceField(
        label=_("Offer"), queryset=Offer.objects.filter(is_active=True).select_related("partner")
    )
    consent_on = forms.DateField(
        label=_("The newcomer agreed to this hand-over on"),
        required=False,
        widget=DateInput(),
    )
    consent_language = forms.ChoiceField(label=_("Explained in"), choices=settings.LANGUAGES)


class MediatorRequestForm(OffersCurrentVocabulary, forms.ModelForm):
    class Meta:
        model = MediatorRequest
        fields = [
            "language",
            "other_language",
            "starts_at",
            "ends_at",
            "place",
            "topic",
            "is_confidential",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]
