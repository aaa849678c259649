"""What every filter page shares (django-filter): an empty choice reads "Any", never Django's
"Unknown" or "---------"; a filter with many values is a short scrollable list of checkboxes
instead of a list box that needs Ctrl-click; and the active filters are shown above the results
as chips, each a link to the same list without that one value (`active_filters`, rendered by
the `{% active_filters %}` tag of `ankommen.templatetags.filtering`).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import Model
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters.widgets import BooleanWidget

from ankommen import dates

ANY = pgettext_lazy("filter choice", "Any")
# Not filters: where the list is and how it is sorted stay when filters are removed.
KEPT = ("ordering", "page")


class AnyBooleanWidget(BooleanWidget):
    """Yes, no, or any: the empty choice does not filter, so it is not "Unknown"."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        forms.Select.__init__(self, attrs, (("", ANY), ("true", _("Yes")), ("false", _("No"))))


class CheckboxList(forms.CheckboxSelectMultiple):
    """A filter with many values: checkboxes, in a box that scrolls when the list is long."""


class FilterSet(django_filters.FilterSet):
    """The portal's filter pages: "Any" for an empty choice, checkboxes for many values."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.OrderingFilter):
                filter_.extra["empty_label"] = _("Default order")
            elif isinstance(filter_, django_filters.MultipleChoiceFilter):
                filter_.extra.setdefault("widget", CheckboxList)
            elif isinstance(filter_, django_filters.ChoiceFilter):
                filter_.extra["empty_label"] = ANY
            elif isinstance(filter_, django_filters.BooleanFilter):
                filter_.extra.setdefault("widget", AnyBooleanWidget)


@dataclass(frozen=True)
class Chip:
    name: str
    value: str
    remove_url: str


@dataclass(frozen=True)
class ActiveFilters:
    chips: list[Chip]
    clear_url: str


def _url(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    query = urlencode(list(pairs))
    return f"{path}?{query}" if query else path


def _labels(field: forms.Field, cleaned: Any) -> dict[str, str]:
    """Each submitted value's label, from what the form already cleaned: no query."""
    if isinstance(cleaned, Model):
        return {str(cleaned.pk): str(cleaned)}
    if isinstance(field, forms.ModelMultipleChoiceField) and cleaned is not None:
        return {str(item.pk): str(item) for item in cleaned}
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices = cast(Iterable[tuple[object, object]], field.choices)
        return {str(value): str(label) for value, label in _flat(choices)}
    return {}


def _flat(choices: Iterable[tuple[object, object]]) -> Iterator[tuple[object, object]]:
    """Choices with their groups opened (a group's label comes with a list of choices)."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


def _shown(field: forms.Field, cleaned: Any, raw: str, labels: dict[str, str]) -> str | None:
    """How a submitted value reads on its chip; None when it does not filter ("any")."""
    if isinstance(field, forms.NullBooleanField):
        return None if cleaned is None else str(_("Yes") if cleaned else _("No"))
    if raw in labels:
        return labels[raw]
    if isinstance(cleaned, date):
        return dates.format_date(cleaned, length="medium")
    return raw  # a search text, or a value the form refused: shown so it can be removed


def active_filters(
    filterset: django_filters.FilterSet, query: QueryDict, path: str
) -> ActiveFilters:
    """One chip per value that filters the list, each linking to the list without that value
    (the other filters and the order kept, back on the first page)."""
    form = filterset.form
    cleaned = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    names = [name for name in filterset.filters if name not in KEPT]
    pairs = [(key, item) for key, items in query.lists() for item in items if key != "page"]
    chips = []
    for name in names:
        field = form.fields[name]
        value = cleaned.get(name) if name not in form.errors else None
        labels = _labels(field, value)
        for raw in dict.fromkeys(raw for raw in query.getlist(name) if raw.strip()):
            shown = _shown(field, value, raw, labels)
            if shown is None:
                continue
            others = [pair for pair in pairs if pair != (name, raw)]
            chips.append(Chip(str(field.label), shown, _url(path, others)))
    kept = [pair for pair in pairs if pair[0] not in names]
    return ActiveFilters(chips=chips, clear_url=_url(path, kept))
