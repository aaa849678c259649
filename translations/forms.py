from django import forms
from django.utils.translation import gettext_lazy as _

from translations import selectors


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("Your translation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.IntegerField(
        label=_("Time you spent (minutes)"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=_("Counted as volunteering hours once the translation is approved."),
    )

    def __init__(self, *args: object, language: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        info = selectors.language_info(language)
        self.fields["text"].widget.attrs.update(lang=language, dir="rtl" if info["bidi"] else "ltr")


class SendBackForm(forms.Form):
    note = forms.CharField(
        label=_("What should change"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class AskForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Ask for translations into"),
        choices=selectors.language_choices,
        widget=forms.CheckboxSelectMultiple,
    )
