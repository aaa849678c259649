"""How many records hold each entry: what retiring one would leave marked."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, ForeignObjectRel
from django.utils.text import capfirst

from ankommen.vocabulary.models import District, Language, Theme


@dataclass(frozen=True)
class Use:
    """Records of one kind that hold an entry ("12 volunteers")."""

    kind: str  # the records' name, plural, in the reader's language
    count: int


def _holders(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """(record model, field) for every field of any app that refers to the model's entries,
    found by the relations Django knows, so an app that adds one is counted without asking."""
    found: list[tuple[type[models.Model], str]] = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel):
            continue
        holder = relation.related_model
        # A many-to-many table is counted through its field on the record.
        if not isinstance(holder, type) or holder._meta.auto_created:
            continue
        found.append((holder, relation.field.name))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1]))


def uses_of(
    model: type[District] | type[Theme] | type[Language], pks: Iterable[int]
) -> dict[int, list[Use]]:
    """Each entry's uses, by kind of record, in one query per field that refers to it
    (whatever the number of entries). A kind that refers to an entry in two fields (a
    mediator request's two languages) counts by the field that names it most."""
    pks = list(pks)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for holder, field in _holders(model):
        # A part of a record (a volunteer's language) counts as the record it belongs to;
        # a model that only describes the entries (districts' borders) says None.
        counted_as = getattr(holder, "counted_as", "pk")
        if counted_as is None:
            continue
        counted = holder if counted_as == "pk" else holder._meta.get_field(counted_as).related_model
        kind = capfirst(str(counted._meta.verbose_name_plural))  # type: ignore[union-attr]
        rows = (
            holder._base_manager.filter(**{f"{field}__in": pks})
            .order_by()
            .values_list(field)
            .annotate(count=Count(counted_as, distinct=True))
        )
        for pk, count in rows:
            counts[pk][kind] = max(count, counts[pk].get(kind, 0))
    return {pk: [Use(kind, count) for kind, count in sorted(counts[pk].items())] for pk in pks}


def total_uses(uses: list[Use]) -> int:
    return sum(use.count for use in uses)
