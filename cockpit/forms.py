from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.widgets import DateInput
from cockpit.imports.limits import MAX_BYTES
from cockpit.models import ImportJob

LONGEST_PERIOD = timedelta(days=366 * 10)


def year_so_far() -> dict[str, date]:
    today = timezone.localdate()
    return {"start": today.replace(month=1, day=1), "end": today}


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To (inclusive)"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end must not be before the start."))
            if end - start > LONGEST_PERIOD:
                raise forms.ValidationError(_("Please choose a period of at most ten years."))
        return data


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What does the file contain?"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB. Please split it."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Please upload a CSV or an Excel (.xlsx) file."))
        return upload
