from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.widgets import DateInput
from cockpit.imports.limits import MAX_BYTES
from cockpit.models import MAX_TARGET, ImportJob, Target

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


class TargetForm(forms.Form):
    """A target for one figure; the figure is chosen when the target is first set."""

    metric = forms.ChoiceField(label=_("Figure"), choices=Target.Metric.choices)
    # The figures without a target yet, when one is being set.
    open_figures: list[tuple[str, Any]]
    value = forms.IntegerField(
        label=_("Target"),
        min_value=1,
        max_value=MAX_TARGET,
        help_text=_("The number the network aims for; the dashboard shows how far it has got."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example, by when or for which funder."),
    )

    def __init__(self, *args: Any, target: Target | None = None, **kwargs: Any) -> None:
        if target is not None:
            kwargs.setdefault("initial", {"value": target.value, "note": target.note})
        super().__init__(*args, **kwargs)
        if target is not None:
            del self.fields["metric"]
        else:
            taken = set(Target.objects.values_list("metric", flat=True))
            self.open_figures = [
                (metric, label) for metric, label in Target.Metric.choices if metric not in taken
            ]
            self.fields["metric"] = forms.ChoiceField(label=_("Figure"), choices=self.open_figures)
