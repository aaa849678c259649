from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.person_picker import PersonChoiceField
from ankommen.translated_content import TranslatedContentForm, version_fields
from ankommen.vocabulary.forms import OffersCurrentVocabulary
from ankommen.widgets import DateInput, DateTimeInput
from refugees.models import Newcomer
from refugees.picker import NEWCOMERS
from workgroups.models import (
    EventResponse,
    MediatorRequest,
    Meeting,
    NetworkEvent,
    Offer,
    Partner,
    PartnerNeed,
    Referral,
    Task,
    WorkingGroup,
)
from workgroups.selectors import available_offers


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


class PartnerForm(OffersCurrentVocabulary, forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "contact_name",
            "contact_email",
            "contact_phone",
            "address",
            "latitude",
            "longitude",
            "districts",
            "themes",
        ]
        widgets = {
            "districts": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "latitude": _("Optional, for the map: both coordinates or neither, e.g. 50.97806."),
            "longitude": _("E.g. 11.02917."),
            "districts": _("Leave all unticked if it serves the whole city."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, limit in (("latitude", 90), ("longitude", 180)):
            self.fields[name].validators += [MinValueValidator(-limit), MaxValueValidator(limit)]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        missing = "longitude" if longitude is None else "latitude"
        if (latitude is None) != (longitude is None) and not self.has_error(missing):
            self.add_error(missing, _("Please give both coordinates, or neither."))
        return cleaned


class OfferForm(OffersCurrentVocabulary, TranslatedContentForm):
    class Meta:
        model = Offer
        fields = [
            "title",
            "theme",
            "district",
            "languages",
            "schedule",
            "audience",
            "is_free",
            *version_fields("title", "schedule"),
        ]
        widgets = {"languages": forms.CheckboxSelectMultiple}
        help_texts = {
            "district": _("Leave it empty if the offer is for the whole city."),
            "languages": _("The languages the offer is given in."),
            "schedule": _("E.g. Tuesdays 10-12."),
        }

    def __init__(self, *args: Any, choose_partner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_partner:
            # From a gap of the matrix: an offer counts in a district's cell only with one.
            self.fields["district"].required = True
            self.fields["district"].help_text = ""
            self.fields = {
                "partner": forms.ModelChoiceField(
                    label=_("Partner organisation"),
                    queryset=Partner.objects.filter(is_active=True),
                    help_text=_("The partner organisation that makes this offer."),
                ),
                **self.fields,
            }


class PartnerNeedForm(OffersCurrentVocabulary, forms.ModelForm):
    class Meta:
        model = PartnerNeed
        fields = ["theme", "district", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class NetworkEventForm(TranslatedContentForm):
    starts_at = forms.DateTimeField(
        label=_("starts at"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )

    class Meta:
        model = NetworkEvent
        fields = [
            "title",
            "starts_at",
            "place",
            "description",
            *version_fields("title", "place", "description"),
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class TaskForm(OffersCurrentVocabulary, TranslatedContentForm):
    """A task as coordinators and leads write it. The group is one the person may put tasks in
    (`groups`): leads must choose one of theirs, coordinators may leave it empty."""

    class Meta:
        model = Task
        fields = [
            "title",
            "description",
            "group",
            "theme",
            "district",
            "where",
            "organisation",
            "contact",
            "kind",
            "starts_at",
            "ends_at",
            "schedule",
            "time_needed",
            "helpers_needed",
            "languages",
            *version_fields("title", "description"),
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "languages": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "district": _("Leave it empty if the task is not tied to a district."),
            "starts_at": _("For a one-off task. Leave it empty if the date is not known yet."),
            "ends_at": _("Optional. Nobody is signed up for two things at the same time."),
            "languages": _("Leave all unticked if German is enough."),
            "contact": _("Whom helpers ask: a name, a phone number or an e-mail address."),
        }

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[WorkingGroup],
        group_required: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            cast(forms.DateTimeField, self.fields[name]).input_formats = ["%Y-%m-%dT%H:%M"]
        if "group" in self.fields:  # a partner's task form has none (partners.forms)
            group = cast(forms.ModelChoiceField, self.fields["group"])
            group.queryset = groups
            group.required = group_required
            group.help_text = (
                _("One of the groups you lead: its leads can change and close the task.")
                if group_required
                else _("Its leads can change and close the task. Leave it empty for the network.")
            )
        places = cast(forms.IntegerField, self.fields["helpers_needed"])
        places.min_value = 1
        places.validators = [
            *(check for check in places.validators if not isinstance(check, MinValueValidator)),
            MinValueValidator(1, _("A task needs at least one helper.")),
        ]
        places.widget.attrs["min"] = 1
        for name in version_fields("description"):
            self.fields[name].widget.attrs["rows"] = 3

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if ends_at is not None and starts_at is None and not self.has_error("starts_at"):
            self.add_error("starts_at", _("Please give the start as well as the end."))
        elif ends_at is not None and starts_at is not None and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        recurring = cleaned.get("kind") == Task.Kind.RECURRING
        if recurring and not cleaned.get("schedule") and not self.has_error("schedule"):
            self.add_error(
                "schedule", _("Please say when the task recurs, e.g. every Tuesday 16-18.")
            )
        return cleaned


class PartnerReplyForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.filter(is_active=True)
    )
    answer = forms.ChoiceField(
        label=_("Answer"), choices=EventResponse.Answer.choices, widget=forms.RadioSelect
    )


class ReferralForm(forms.Form):
    newcomer = PersonChoiceField(
        Newcomer.objects.filter(closed_at__isnull=True),
        directory=NEWCOMERS,
        search_param="find_newcomer",
        label=_("Newcomer"),
    )
    offer = forms.ModelChoiceField(
        label=_("Offer"), queryset=available_offers().select_related("partner")
    )
    consent_on = forms.DateField(
        label=_("The newcomer agreed to this hand-over on"),
        required=False,
        widget=DateInput(),
    )
    consent_language = forms.ChoiceField(label=_("Explained in"), choices=settings.LANGUAGES)
    need_summary = forms.CharField(
        label=_("What the partner should know"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "In plain words, as the newcomer agreed. The partner also sees the first name and "
            "languages; never residence status, health or notes."
        ),
    )
    shared_contact = forms.ChoiceField(
        label=_("The partner may contact the newcomer by"),
        choices=Referral.SharedContact.choices,
        initial=Referral.SharedContact.NONE,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self.data.get("newcomer") if self.is_bound else self.initial.get("newcomer")
        cast(PersonChoiceField, self.fields["newcomer"]).offer(search, chosen)

    def clean_shared_contact(self) -> str:
        """Nothing chosen shares no contact."""
        return self.cleaned_data.get("shared_contact") or Referral.SharedContact.NONE


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
            cast(forms.DateTimeField, self.fields[name]).input_formats = ["%Y-%m-%dT%H:%M"]
