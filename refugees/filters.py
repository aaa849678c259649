"""The coordinators' newcomer list: every filter runs in the database."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.filtering import FilterSet
from ankommen.vocabulary.filters import OffersCurrentVocabularyFilters
from ankommen.vocabulary.models import District, Language, Theme
from ankommen.widgets import DateInput
from refugees.models import Need, Newcomer, NewcomerLanguage, ResidenceStatus, Urgency


class NewcomerFilter(OffersCurrentVocabularyFilters, FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Open need"), queryset=Theme.objects.all(), method="filter_theme"
    )
    urgency = django_filters.MultipleChoiceFilter(
        label=_("Urgency of an open need"), choices=Urgency.choices, method="filter_urgency"
    )
    # Columns of the newcomer itself: no join, so no DISTINCT.
    district = django_filters.ModelMultipleChoiceFilter(
        label=_("District"), queryset=District.objects.all(), distinct=False
    )
    language = django_filters.ModelMultipleChoiceFilter(
        label=_("Language"), queryset=Language.objects.all(), method="filter_language"
    )
    residence_status = django_filters.MultipleChoiceFilter(
        label=_("Residence status"), choices=ResidenceStatus.choices, distinct=False
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

    def filter_theme(
        self, queryset: QuerySet[Newcomer], name: str, value: QuerySet[Theme]
    ) -> QuerySet[Newcomer]:
        """An open need in at least one of the themes."""
        return self._with_open_need(queryset, theme__in=value) if value else queryset

    def filter_urgency(
        self, queryset: QuerySet[Newcomer], name: str, value: list[str]
    ) -> QuerySet[Newcomer]:
        """An open need of at least one of the urgencies."""
        return self._with_open_need(queryset, urgency__in=value)

    def filter_language(
        self, queryset: QuerySet[Newcomer], name: str, value: QuerySet[Language]
    ) -> QuerySet[Newcomer]:
        """Speaks at least one of the languages; EXISTS, so nobody is listed twice."""
        if not value:
            return queryset
        spoken = NewcomerLanguage.objects.filter(newcomer=OuterRef("pk"), language__in=value)
        return queryset.filter(Exists(spoken))
