"""The coordinators' newcomer list: every filter runs in the database."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.vocabulary.filters import OffersCurrentVocabularyFilters
from ankommen.vocabulary.models import District, Language, Theme
from ankommen.widgets import DateInput
from refugees.models import Need, Newcomer, ResidenceStatus, Urgency


class NewcomerFilter(OffersCurrentVocabularyFilters, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = django_filters.ModelChoiceFilter(
        label=_("Open need"), queryset=Theme.objects.all(), method="filter_theme"
    )
    urgency = django_filters.ChoiceFilter(
        label=_("Urgency of an open need"), choices=Urgency.choices, method="filter_urgency"
    )
    district = django_filters.ModelMultipleChoiceFilter(
        label=_("District"), queryset=District.objects.all()
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"), queryset=Language.objects.all(), field_name="languages__language"
    )
    residence_status = django_filters.MultipleChoiceFilter(
        label=_("Residence status"), choices=ResidenceStatus.choices
    )
    waiting_before = django_filters.DateFilter(
        label=_("Waiting since before"),
        field_name="waiting_since",
        lookup_expr="lt",
        widget=DateInput(),
    )
    matched = django_filters.BooleanFilter(label=_("Has a contact person"), field_name="is_matched")
    open = django_filters.BooleanFilter(
        label=_("Record open"), field_name="closed_at", lookup_expr="isnull"
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("full_name", "name"),
            ("waiting_since", "waiting"),
            ("most_urgent_need", "urgency"),
            ("created_at", "registered"),
        ),
    )

    class Meta:
        model = Newcomer
        fields: list[str] = []

    def search(self, queryset: QuerySet[Newcomer], name: str, value: str) -> QuerySet[Newcomer]:
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(full_name__icontains=word) | Q(phone__icontains=word) | Q(email__icontains=word)
            )
        return queryset

    def _with_open_need(self, queryset: QuerySet[Newcomer], **need: object) -> QuerySet:
        matching = Need.objects.filter(status=Need.Status.OPEN, **need).values("newcomer_id")
        return queryset.filter(pk__in=matching)

    def filter_theme(self, queryset: QuerySet[Newcomer], name: str, value: Theme) -> QuerySet:
        return self._with_open_need(queryset, theme=value)

    def filter_urgency(self, queryset: QuerySet[Newcomer], name: str, value: str) -> QuerySet:
        return self._with_open_need(queryset, urgency=value)
