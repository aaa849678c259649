from typing import Any, cast

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ankommen.filtering import FilterSet
from ankommen.messaging.models import Newsletter, NewsletterTranslation, OutboxMessage
from ankommen.messaging.segments import segment_label, segments
from ankommen.widgets import DateInput, DateTimeInput


def audience_choices() -> list[Any]:
    """One list for every segment: plain ones first, those with a value grouped under a label."""
    choices: list[Any] = []
    for segment in segments():
        if segment.values is None:
            choices.append((segment.kind, segment.label))
        else:
            choices.append(
                (segment.label, [(f"{segment.kind}:{v}", name) for v, name in segment.values()])
            )
    return choices


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    full_name = forms.CharField(
        label=_("Name (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    consent = forms.BooleanField(label="", required=True)

    def __init__(self, *args: Any, consent_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text
        self.fields["consent"].error_messages["required"] = _(
            "Please tick the box to agree, or we cannot send you the newsletter."
        )


class NewsletterForm(forms.ModelForm):
    audience = forms.ChoiceField(label=_("Recipients"), choices=audience_choices)

    class Meta:
        model = Newsletter
        fields = ["subject", "language", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            value = self.instance.segment_value
            kind = self.instance.segment_kind
            self.initial["audience"] = f"{kind}:{value}" if value else kind
            self._keep_audience(self.initial["audience"], segment_label(kind, value))

    def _keep_audience(self, audience: str, label: str) -> None:
        """A draft keeps its audience when that is no longer offered (a retired district)."""
        field = cast(forms.ChoiceField, self.fields["audience"])
        offered = {
            choice
            for group, members in field.choices
            for choice in ([group] if not isinstance(members, list | tuple) else dict(members))
        }
        if audience not in offered:
            field.choices = [*field.choices, (audience, label)]

    def save(self, commit: bool = True) -> Newsletter:
        kind, _separator, value = self.cleaned_data["audience"].partition(":")
        self.instance.segment_kind = kind
        self.instance.segment_value = value
        return super().save(commit=commit)


class NewsletterTranslationForm(forms.ModelForm):
    class Meta:
        model = NewsletterTranslation
        fields = ["language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, newsletter: Newsletter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.newsletter = newsletter
        self.instance.newsletter = newsletter
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code != newsletter.language
        ]

    def clean_language(self) -> str:
        language = self.cleaned_data["language"]
        others = self.newsletter.translations.exclude(pk=self.instance.pk)
        if others.filter(language=language).exists():
            raise forms.ValidationError(_("There is already a version in this language."))
        return language


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )


class DeliveryLogFilter(FilterSet):
    to_email = django_filters.CharFilter(label=_("Address contains"), lookup_expr="icontains")
    state = django_filters.ChoiceFilter(label=_("State"), choices=OutboxMessage.State.choices)
    category = django_filters.ChoiceFilter(label=_("Kind"), choices=OutboxMessage.Category.choices)
    created_after = django_filters.DateFilter(
        label=_("Created on or after"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    created_before = django_filters.DateFilter(
        label=_("Created on or before"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )

    class Meta:
        model = OutboxMessage
        fields = ["to_email", "state", "category", "created_after", "created_before"]
