"""The board's filters. django-filter builds the form and the chips of active filters as on
every list; the filtering itself is each source's (`Source.listed`), since one board lists
several models: `criteria()` hands them what the form cleaned."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.filtering import FilterSet
from ankommen.vocabulary.filters import OffersCurrentVocabularyFilters
from ankommen.vocabulary.models import District, Language, Theme
from ankommen.widgets import DateInput
from board.sources import SOURCES, Criteria, Within
from workgroups.models import Task

WITHIN_CHOICES = [
    (Within.WEEK, _("In the next 7 days")),
    (Within.MONTH, _("In the next 30 days")),
    (Within.RECURRING, _("Regularly (recurring tasks)")),
]


def _unchanged(queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
    return queryset


class BoardFilter(OffersCurrentVocabularyFilters, FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label=_("What"),
        choices=[(kind, source.label) for kind, source in SOURCES.items()],
        method=_unchanged,
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), method=_unchanged
    )
    district = django_filters.ModelMultipleChoiceFilter(
        label=_("District"), queryset=District.objects.all(), method=_unchanged
    )
    # Only languages some task or course asks for: any other would always find nothing.
    language = django_filters.ModelMultipleChoiceFilter(
        label=_("Language"),
        queryset=Language.objects.filter(
            Q(task__isnull=False) | Q(course__isnull=False)
        ).distinct(),
        method=_unchanged,
    )
    within = django_filters.ChoiceFilter(label=_("When"), choices=WITHIN_CHOICES, method=_unchanged)
    starts_from = django_filters.DateFilter(label=_("From"), widget=DateInput(), method=_unchanged)
    starts_until = django_filters.DateFilter(
        label=_("Until"), widget=DateInput(), method=_unchanged
    )

    class Meta:
        model = Task
        fields: list[str] = []

    def criteria(self) -> Criteria:
        """What the form cleaned; a value it refused filters nothing (its error is shown)."""
        if not self.form.is_valid():
            return Criteria()
        data = self.form.cleaned_data
        return Criteria(
            kinds=frozenset(data.get("kind") or ()),
            themes=tuple(data.get("theme") or ()),
            districts=tuple(data.get("district") or ()),
            languages=tuple(data.get("language") or ()),
            within=data.get("within") or "",
            starts_from=data.get("starts_from"),
            starts_until=data.get("starts_until"),
        )
