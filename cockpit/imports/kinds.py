"""What each kind of import expects per row, how a row is checked, and how good rows are written.

Rows are checked with Django forms, so messages come in the coordinator's language; what is
looked up (districts, languages, existing people) is loaded once per file, not once per row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import Channel, Role, User
from ankommen.accounts.services import open_account
from ankommen.phone_numbers import clean_phone_number
from ankommen.vocabulary.models import District, Language, LanguageLevel, Theme
from cockpit.imports.table import Row
from refugees.models import Newcomer, NewcomerConsent
from refugees.services import register_newcomer
from volunteers.models import Volunteer
from volunteers.services import register_volunteer
from workgroups.models import Partner
from workgroups.services import register_partner

DEFAULT_LEVEL = LanguageLevel.CONVERSATIONAL
Entry = TypeVar("Entry", District, Language, Theme)


class Lookups:
    """Everything a file's rows are checked against, loaded once."""

    def __init__(self) -> None:
        self.districts = {}
        for district in District.objects.all():
            self.districts[district.slug.lower()] = district
            self.districts[district.name.lower()] = district
        self.languages = {language.code.lower(): language for language in Language.objects.all()}
        self.themes = {theme.slug.lower(): theme for theme in Theme.objects.all()}

    def district(self, value: str) -> District | None:
        if not value:
            return None
        found = self.districts.get(value.strip().lower())
        if found is None:
            raise forms.ValidationError(_("Unknown district: %(value)s.") % {"value": value})
        return _offered(found, value)

    def spoken(self, value: str) -> list[tuple[Language, str]]:
        """ "ar:native, de:fluent" or just "ar de"; a missing level means conversational."""
        result = []
        for item in value.replace(";", ",").replace(" ", ",").split(","):
            if not item.strip():
                continue
            code, _sep, level = item.strip().partition(":")
            language = self.languages.get(code.lower())
            if language is None:
                raise forms.ValidationError(_("Unknown language code: %(code)s.") % {"code": code})
            _offered(language, code)
            level = level.lower() or DEFAULT_LEVEL
            if level not in LanguageLevel.values:
                raise forms.ValidationError(
                    _("Unknown language level: %(level)s (use %(levels)s).")
                    % {"level": level, "levels": ", ".join(LanguageLevel.values)}
                )
            result.append((language, level))
        return result

    def theme_list(self, value: str) -> list[Theme]:
        found = []
        for slug in filter(None, (part.strip().lower() for part in value.split(","))):
            if slug not in self.themes:
                raise forms.ValidationError(_("Unknown theme: %(value)s.") % {"value": slug})
            found.append(_offered(self.themes[slug], slug))
        return found


def _offered(entry: Entry, value: str) -> Entry:
    """New records get only what the portal offers (ankommen.vocabulary: retired entries)."""
    if not entry.is_active:
        raise forms.ValidationError(
            _("%(value)s is retired: new records no longer get it.") % {"value": value}
        )
    return entry


class RowForm(forms.Form):
    """Shared cleaning: phone numbers, district, languages."""

    def __init__(self, data: dict[str, str], lookups: Lookups) -> None:
        super().__init__(data)
        self.lookups = lookups

    def clean_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("phone", ""))

    def clean_district(self) -> District | None:
        return self.lookups.district(self.cleaned_data.get("district", ""))

    def clean_languages(self) -> list[tuple[Language, str]]:
        return self.lookups.spoken(self.cleaned_data.get("languages", ""))


def _optional(field: forms.Field) -> forms.Field:
    field.required = False
    return field


class VolunteerRow(RowForm):
    email = forms.EmailField(max_length=254)
    full_name = forms.CharField(max_length=200)
    phone = _optional(forms.CharField(max_length=40))
    district = _optional(forms.CharField(max_length=100))
    languages = _optional(forms.CharField(max_length=500))
    preferred_language = _optional(forms.ChoiceField(choices=settings.LANGUAGES))
    heard_via = _optional(forms.ChoiceField(choices=Channel.choices))


class NewcomerRow(RowForm):
    full_name = forms.CharField(max_length=200)
    consent_on = forms.DateField()
    birth_year = _optional(forms.IntegerField(min_value=1900, max_value=2100))
    gender = _optional(forms.ChoiceField(choices=Newcomer.Gender.choices))
    household = _optional(forms.ChoiceField(choices=Newcomer.Household.choices))
    district = _optional(forms.CharField(max_length=100))
    languages = _optional(forms.CharField(max_length=500))
    preferred_language = _optional(forms.ChoiceField(choices=settings.LANGUAGES))
    phone = _optional(forms.CharField(max_length=40))
    email = _optional(forms.EmailField(max_length=254))
    waiting_since = _optional(forms.DateField())

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth lies in the future."))
        return year


class PartnerRow(RowForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Partner.Kind.choices)
    contact_name = _optional(forms.CharField(max_length=200))
    contact_email = _optional(forms.EmailField(max_length=254))
    contact_phone = _optional(forms.CharField(max_length=40))
    address = _optional(forms.CharField(max_length=300))
    districts = _optional(forms.CharField(max_length=1000))
    themes = _optional(forms.CharField(max_length=1000))

    def clean_contact_phone(self) -> str:
        return clean_phone_number(self.cleaned_data.get("contact_phone", ""))

    def clean_districts(self) -> list[District]:
        value = self.cleaned_data.get("districts", "")
        return [self.lookups.district(part) for part in value.split(",") if part.strip()]

    def clean_themes(self) -> list[Theme]:
        return self.lookups.theme_list(self.cleaned_data.get("themes", ""))


@dataclass(frozen=True)
class Kind:
    form: type[RowForm]
    # Two rows, or a row and a stored record, with the same key are the same person or partner.
    duplicate_key: Callable[[dict[str, Any]], tuple]
    existing_keys: Callable[[], set[tuple]]
    write: Callable[[dict[str, Any], User], object]

    @property
    def required(self) -> list[str]:
        return [name for name, field in self.form.base_fields.items() if field.required]

    @property
    def columns(self) -> list[str]:
        return list(self.form.base_fields)

    @property
    def optional(self) -> list[str]:
        return [name for name in self.columns if name not in self.required]


def _write_volunteer(data: dict[str, Any], by: User) -> Volunteer:
    user = open_account(
        email=data["email"],
        full_name=data["full_name"],
        role=Role.VOLUNTEER,
        preferred_language=data["preferred_language"] or settings.LANGUAGE_CODE,
        heard_via=data["heard_via"],
        by=by,
    )
    return register_volunteer(
        user=user,
        by=by,
        phone=data["phone"],
        district=data["district"],
        skills=data["languages"],
    )


def _write_newcomer(data: dict[str, Any], by: User) -> Newcomer:
    language = data["preferred_language"] or settings.LANGUAGE_CODE
    newcomer = Newcomer(
        full_name=data["full_name"],
        birth_year=data["birth_year"],
        gender=data["gender"],
        household=data["household"] or Newcomer.Household.SINGLE,
        district=data["district"],
        preferred_language=language,
        phone=data["phone"],
        email=data["email"],
        waiting_since=data["waiting_since"] or timezone.localdate(),
    )
    return register_newcomer(
        newcomer=newcomer,
        by=by,
        consent_language=language,
        consent_purposes=[NewcomerConsent.Purpose.RECORD],
        consent_on=data["consent_on"],
        languages=data["languages"],
    )


def _write_partner(data: dict[str, Any], by: User) -> Partner:
    fields = ["name", "kind", "contact_name", "contact_email", "contact_phone", "address"]
    return register_partner(
        by=by,
        **{name: data[name] for name in fields},
        districts=data["districts"],
        themes=data["themes"],
    )


KINDS = {
    "volunteers": Kind(
        form=VolunteerRow,
        duplicate_key=lambda data: ("email", data["email"].lower()),
        existing_keys=lambda: {
            ("email", email)
            for email in User.objects.exclude(email=None).values_list(Lower("email"), flat=True)
        },
        write=_write_volunteer,
    ),
    "newcomers": Kind(
        form=NewcomerRow,
        duplicate_key=lambda data: ("person", data["full_name"].lower(), data["birth_year"]),
        existing_keys=lambda: {
            ("person", name, year)
            for name, year in Newcomer.objects.values_list(Lower("full_name"), "birth_year")
        },
        write=_write_newcomer,
    ),
    "partners": Kind(
        form=PartnerRow,
        duplicate_key=lambda data: ("name", data["name"].lower()),
        existing_keys=lambda: {
            ("name", name) for name in Partner.objects.values_list(Lower("name"), flat=True)
        },
        write=_write_partner,
    ),
}


def check_row(kind: Kind, row: Row, lookups: Lookups) -> dict[str, Any] | None:
    """Adds the row's problems to row.errors; returns the cleaned data of a good row."""
    form = kind.form(row.values, lookups)
    if not form.is_valid():
        for name, messages in form.errors.items():
            label = name if name != "__all__" else _("row")
            row.errors.extend(f"{label}: {message}" for message in messages)
        return None
    return form.cleaned_data if not row.errors else None
