"""Choosing one person among thousands: a search that shows what tells people apart.

The app that owns a kind of person (refugees, volunteers) says how its people are found and
described (a `PeopleDirectory`) and answers the browser's search-as-you-type at its own JSON
endpoint (`picker_response`). A form field (`PersonChoiceField`) renders as a plain <select>
that holds only the people a search found (typed into a small GET form without JavaScript)
and the one already chosen, never the whole table; `static/js/person-picker.js` turns it into
a combobox that asks the endpoint while one types. Either way the server validates the chosen
id against the field's queryset, so the picker never widens who can be chosen.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import JsonResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ankommen.search.selectors import read_terms

# Enough to tell apart everyone of one name; more is a longer list, not a better one.
MAX_RESULTS = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class PickerEntry:
    """One person as a picker shows them: the name, then what tells them apart from namesakes."""

    pk: int
    name: str
    details: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return " · ".join((self.name, *self.details))

    def as_json(self) -> dict[str, Any]:
        return {"id": self.pk, "name": self.name, "details": list(self.details)}


@dataclass(frozen=True)
class PeopleDirectory:
    """Where one kind of person is looked up, for the browser and for a page without JavaScript.

    `find(text)` returns at most MAX_RESULTS entries, by name or record number, in a fixed
    number of queries; `search_url_name` names the owning app's JSON endpoint.
    """

    search_url_name: str
    find: Callable[[str], list[PickerEntry]]
    search_label: str | Promise


def record_number(text: str) -> int | None:
    """ "1234", "#1234" or "Nr. 1234" asks for a record by its number; read as the menu's
    search reads it (`ankommen.search.selectors.read_terms`), so both find the same people."""
    terms = read_terms(text)
    return terms.number if terms else None


def search_words(text: str) -> list[str]:
    terms = read_terms(text)
    return list(terms.words) if terms else []


def picker_response(directory: PeopleDirectory, text: str) -> JsonResponse:
    """The JSON a picker reads: the entries found and a sentence for screen readers."""
    text = text.strip()[:MAX_QUERY]
    entries = directory.find(text) if text else []
    if not text:
        status = _("Type a name or a record number.")
    elif entries:
        status = ngettext("%(count)d person found.", "%(count)d people found.", len(entries)) % {
            "count": len(entries)
        }
    else:
        status = _("Nobody found. Try another spelling or the record number.")
    return JsonResponse({"results": [entry.as_json() for entry in entries], "status": status})


class PersonPicker(forms.Select):
    """A <select> of the people found; person-picker.js makes it a search-as-you-type box."""

    def __init__(self, directory: PeopleDirectory, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.directory = directory

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-person-picker": reverse(self.directory.search_url_name),
                "data-placeholder": _("Name or record number"),
            }
        )
        return context

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: Any,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        entry = label if isinstance(label, PickerEntry) else None
        option = super().create_option(
            name, value, entry.label if entry else label, selected, index, subindex, attrs
        )
        if entry is not None:
            # The name alone, for the box one types into once the list is a combobox.
            option["attrs"]["data-name"] = entry.name
        return option


class PersonChoiceField(forms.ModelChoiceField):
    """One person of `queryset`, offered through a directory's search instead of a full list.

    The form calls `offer(text, chosen)` with what was typed into the search (without
    JavaScript) and the value already chosen; the select then holds just those people.
    """

    widget = PersonPicker

    def __init__(
        self,
        queryset: QuerySet[Any],
        *,
        directory: PeopleDirectory,
        search_param: str,
        **kwargs: Any,
    ) -> None:
        self.directory = directory
        self.search_param = search_param
        self.search_text = ""
        self.offered: list[PickerEntry] = []
        kwargs.setdefault("widget", PersonPicker(directory))
        super().__init__(queryset, **kwargs)

    def _get_choices(self) -> list[tuple[Any, Any]]:
        # Never the queryset: thousands of names are what the picker replaces.
        return [("", self._empty_text()), *((entry.pk, entry) for entry in self.offered)]

    choices = property(_get_choices, forms.ChoiceField.choices.fset)  # type: ignore[union-attr]

    def _empty_text(self) -> str | Promise:
        # Lazy: forms build their fields at import time, before any language is active.
        if not self.search_text and not self.offered:
            return gettext_lazy("Search first, then choose")
        if not self.offered:
            return gettext_lazy("Nobody found")
        return gettext_lazy("Choose …")

    def offer(self, text: str, chosen: Any = None) -> None:
        """The people found for `text`, and before them the one chosen (by record number)."""
        self.search_text = text.strip()[:MAX_QUERY]
        found = self.directory.find(self.search_text) if self.search_text else []
        chosen_pk = record_number(str(getattr(chosen, "pk", chosen) or ""))
        if chosen_pk is not None and all(entry.pk != chosen_pk for entry in found):
            again = self.directory.find(str(chosen_pk))
            found = [entry for entry in again if entry.pk == chosen_pk] + found
        self.offered = found
        self.widget.choices = self.choices
