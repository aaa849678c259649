"""Date fields show their value in every language: the browser's picker reads only ISO."""

import importlib
import inspect
from datetime import date

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.utils import translation

from ankommen.widgets import DateInput, DateTimeInput
from refugees.forms import NewcomerConsentFields


@pytest.mark.parametrize("language", ["de", "ar", "en"])
def test_the_consent_date_shows_its_value_in_every_language(language):
    with translation.override(language):
        html = str(NewcomerConsentFields(initial={"consent_on": date(2026, 12, 7)})["consent_on"])

    assert 'type="date"' in html
    assert 'value="2026-12-07"' in html


def test_a_german_page_accepts_the_date_the_picker_sends():
    with translation.override("de"):
        form = NewcomerConsentFields(
            {"consent_language": "de", "consent_purposes": ["record"], "consent_on": "2026-12-01"}
        )
        form.is_valid()

    assert form.cleaned_data["consent_on"] == date(2026, 12, 1)


def _forms_and_filters():
    for config in apps.get_app_configs():
        if not config.name.startswith(("ankommen", "volunteers", "refugees", "trainings",
                                       "workgroups", "matching", "cockpit")):  # fmt: skip
            continue
        for module_name in ("forms", "filters"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__:
                    continue
                if issubclass(cls, forms.BaseForm):
                    yield cls, cls.base_fields
                elif issubclass(cls, django_filters.FilterSet):
                    yield cls, {name: f.field for name, f in cls.base_filters.items()}


def test_every_date_picker_in_the_portal_renders_iso():
    pickers = []
    for cls, fields in _forms_and_filters():
        for name, field in fields.items():
            widget = field.widget
            if getattr(widget, "input_type", "") in ("date", "datetime-local"):
                pickers.append((cls.__name__, name, isinstance(widget, DateInput | DateTimeInput)))

    assert len(pickers) >= 15  # the walk found the forms
    assert [(form, name) for form, name, iso in pickers if not iso] == []
