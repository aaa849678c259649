"""Date and time fields as the browser's own pickers. The browser reads and writes ISO values
(2026-12-07, 2026-12-07T18:30) whatever the page's language, so the value is always rendered
in ISO: a German "07.12.2026" in an <input type="date"> shows an empty field, and a required
date then looks unset. Parsing needs nothing: Django accepts ISO input in every language."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")
