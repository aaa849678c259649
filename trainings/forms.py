from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.person_picker import PersonChoiceField
from ankommen.translated_content import TranslatedContentForm, version_fields
from ankommen.vocabulary.forms import OffersCurrentVocabulary
from ankommen.widgets import DateInput, DateTimeInput, TimeInput
from refugees.models import Newcomer
from refugees.picker import NEWCOMERS
from trainings import selectors
from trainings.models import Course, Session
from trainings.services import MAX_SERIES_WEEKS


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


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A field that offers records, to narrow what it offers."""
    return cast(forms.ModelChoiceField, form.fields[name])


def _capacity_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=1000,
        error_messages={"min_value": _("A session needs at least one place.")},
    )


def _online_url_field() -> forms.URLField:
    # An address typed without its scheme is taken to be https, as browsers do.
    return forms.URLField(label=_("Online link"), required=False, assume_scheme="https")


class CourseForm(OffersCurrentVocabulary, TranslatedContentForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "description",
            "audience",
            "theme",
            "languages",
            "is_basic_training",
            "prerequisites",
            "qualification",
            "qualification_months",
            *version_fields("title", "description"),
        ]
        widgets = {
            "languages": forms.CheckboxSelectMultiple,
            "prerequisites": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Courses that still run, and those already required; never the course itself.
        courses = Course.objects.filter(retired_at__isnull=True)
        if self.instance.pk:
            courses = (courses | self.instance.prerequisites.all()).exclude(pk=self.instance.pk)
        _choices(self, "prerequisites").queryset = courses.distinct().order_by("title", "pk")
        languages = _choices(self, "languages")
        languages.queryset = languages.queryset.order_by("name_en")


class SessionForm(TranslatedContentForm):
    """One session: when, where, how many places, who teaches, and until when people may sign
    up or cancel. The course is chosen only when the session is new."""

    capacity = _capacity_field()
    online_url = _online_url_field()

    class Meta:
        model = Session
        fields = [
            "course",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "trainers",
            "signup_deadline",
            "cancellation_deadline",
            *version_fields("place"),
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "signup_deadline": DateTimeInput(),
            "cancellation_deadline": DateTimeInput(),
            "trainers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["course"]
            chosen = list(self.instance.trainers.values_list("pk", flat=True))
        else:
            _choices(self, "course").queryset = Course.objects.filter(retired_at__isnull=True)
            chosen = []
        _choices(self, "trainers").queryset = selectors.trainer_candidates(chosen=chosen)
        self.fields["trainers"].help_text = _(
            "Staff and volunteers who have done the basic training."
        )

    def _unchanged_to_the_minute(self, name: str) -> Any:
        """The inputs show minutes: a time left as it was keeps its seconds, so that saving
        the places alone does not count as moving the session (and tell everyone)."""
        value = self.cleaned_data.get(name)
        stored = getattr(self.instance, name, None) if self.instance.pk else None
        if value and stored and stored.replace(second=0, microsecond=0) == value:
            return stored
        return value

    def clean_starts_at(self) -> Any:
        return self._unchanged_to_the_minute("starts_at")

    def clean_ends_at(self) -> Any:
        return self._unchanged_to_the_minute("ends_at")

    def clean_signup_deadline(self) -> Any:
        return self._unchanged_to_the_minute("signup_deadline")

    def clean_cancellation_deadline(self) -> Any:
        return self._unchanged_to_the_minute("cancellation_deadline")


class SkippedDatesField(forms.Field):
    """Dates left out of a series: ticked in its preview, as ISO dates."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[date]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        try:
            return sorted({date.fromisoformat(str(item)) for item in values})
        except ValueError as error:
            raise forms.ValidationError(_("Please enter valid dates.")) from error


class SeriesForm(forms.Form):
    """A weekly series: the same time each week for some weeks, with dates left out."""

    course: "forms.ModelChoiceField[Course]" = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.filter(retired_at__isnull=True)
    )
    first_on = forms.DateField(label=_("First date"), widget=DateInput())
    starts_at_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    ends_at_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    weeks = forms.IntegerField(
        label=_("Number of weeks"),
        min_value=1,
        max_value=MAX_SERIES_WEEKS,
        help_text=_("Once a week on the first date's weekday, for at most a year."),
        error_messages={
            "min_value": _("A series runs for at least one week."),
            "max_value": _("A series runs for at most %(limit_value)s weeks."),
        },
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = _online_url_field()
    capacity = _capacity_field()
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff and volunteers who have done the basic training."),
    )
    signup_days_before = forms.IntegerField(
        label=_("Sign-up closes (days before each session)"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("Leave empty to take sign-ups until the start."),
    )
    cancellation_days_before = forms.IntegerField(
        label=_("Cancelling closes (days before each session)"),
        min_value=0,
        max_value=365,
        required=False,
        help_text=_("Leave empty to let people cancel until the start."),
    )
    skipped = SkippedDatesField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "trainers").queryset = selectors.trainer_candidates()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("place") and not cleaned.get("online_url"):
            self.add_error("place", _("Please give a place or an online link."))
        return cleaned
