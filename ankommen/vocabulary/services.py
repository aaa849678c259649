"""Coordinators keep the districts, themes and languages: add, rename, retire, offer again.
Entries are never deleted, so no record loses what it holds; each change is audited."""

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from ankommen.vocabulary.models import District, Language, Theme

Entry = TypeVar("Entry", District, Theme, Language)
Kind = type[District] | type[Theme] | type[Language]
# An entry without letters a slug can use (a name in Arabic script) still gets one.
FALLBACK_SLUG = "entry"


class VocabularyError(Exception):
    """A rule about the vocabulary refused the change; the message says why."""


@transaction.atomic
def add_entry(*, model: Kind, values: dict[str, Any], by: User) -> District | Theme | Language:
    """A new entry, offered at once. Names (and languages' codes) are unique, whatever their
    case; a district or theme gets a slug of its name that no other entry has."""
    entry = model(**values)
    _refuse_a_second(entry)
    if isinstance(entry, District | Theme):
        entry.slug = _free_slug(type(entry), entry.name)
    _validate(entry)
    with audit.recorded_by(by) as trail:
        entry.save()
        trail.created(entry)
    return entry


@transaction.atomic
def change_entry(*, entry: Entry, values: dict[str, Any], by: User) -> Entry:
    """New names (or, for a language, its direction and place in lists). The slug and a
    language's code stay: links, imports and newsletters refer to them."""
    values = {name: value for name, value in values.items() if name not in ("slug", "code")}
    with audit.recorded_by(by) as trail:
        trail.assign(entry, **values)
        _refuse_a_second(entry)
        _validate(entry)
        entry.save()
    return entry


@transaction.atomic
def retire_entry(*, entry: Entry, by: User) -> Entry:
    """New forms and filters stop offering it; the records that hold it keep it, marked. At
    least one entry of each kind stays offered, or forms that need one could not be filled."""
    model = type(entry)
    offered = list(
        model.objects.select_for_update()
        .filter(is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if entry.pk not in offered:
        raise VocabularyError(_("This entry is already retired."))
    if len(offered) == 1:
        raise VocabularyError(
            _("This is the last entry of its kind that is offered: add another one first.")
        )
    with audit.recorded_by(by) as trail:
        trail.assign(entry, is_active=False)
        entry.save(update_fields=["is_active"])
    return entry


@transaction.atomic
def reactivate_entry(*, entry: Entry, by: User) -> Entry:
    """A retired entry is offered again, as before."""
    if entry.is_active:
        raise VocabularyError(_("This entry is offered already."))
    with audit.recorded_by(by) as trail:
        trail.assign(entry, is_active=True)
        entry.save(update_fields=["is_active"])
    return entry


def _refuse_a_second(entry: District | Theme | Language) -> None:
    others = type(entry).objects.exclude(pk=entry.pk)
    if isinstance(entry, Language):
        if others.filter(code__iexact=entry.code).exists():
            raise VocabularyError(
                _("There is already a language with the code %(code)s.") % {"code": entry.code}
            )
        if others.filter(name_en__iexact=entry.name_en).exists():
            raise VocabularyError(
                _("There is already a language called %(name)s.") % {"name": entry.name_en}
            )
    elif others.filter(name__iexact=entry.name).exists():
        raise VocabularyError(
            _("There is already an entry called %(name)s.") % {"name": entry.name}
        )


def _free_slug(model: type[District] | type[Theme], name: str) -> str:
    base = slugify(name)[:40] or FALLBACK_SLUG
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _validate(entry: District | Theme | Language) -> None:
    """The model's own limits (lengths, choices), as one message."""
    try:
        entry.full_clean(validate_unique=False)
    except ValidationError as error:
        raise VocabularyError(" ".join(error.messages)) from error
