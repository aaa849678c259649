import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from ankommen.filtering import FilterSet
from ankommen.vocabulary.filters import OffersCurrentVocabularyFilters
from ankommen.vocabulary.models import Language, Theme
from ankommen.widgets import DateInput
from trainings.models import Audience, Course, Session


class CatalogueFilter(OffersCurrentVocabularyFilters, FilterSet):
    audience = django_filters.ChoiceFilter(
        label=_("For"), choices=Audience.choices, method="filter_audience"
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), field_name="course__theme", distinct=False
    )
    # Only languages some course is given in: choosing any other would always find nothing,
    # and all 47 options made up a third of the catalogue's render time at city scale.
    language = django_filters.ModelMultipleChoiceFilter(
        label=_("Language"),
        queryset=Language.objects.filter(course__isnull=False).distinct(),
        method="filter_language",
    )
    starts_from = django_filters.DateFilter(
        label=_("From"),
        field_name="starts_at",
        lookup_expr="date__gte",
        widget=DateInput(),
    )
    starts_until = django_filters.DateFilter(
        label=_("Until"),
        field_name="starts_at",
        lookup_expr="date__lte",
        widget=DateInput(),
    )
    free_only = django_filters.BooleanFilter(
        label=_("Only with free places"), method="filter_free", widget=forms.CheckboxInput
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def filter_audience(self, queryset: QuerySet[Session], name: str, value: str) -> QuerySet:
        return queryset.filter(course__audience__in=[value, Audience.BOTH])

    def filter_language(
        self, queryset: QuerySet[Session], name: str, value: QuerySet[Language]
    ) -> QuerySet[Session]:
        """Given in at least one of the languages; EXISTS, so no session is listed twice."""
        if not value:
            return queryset
        given_in = Course.languages.through.objects.filter(
            course=OuterRef("course"), language__in=value
        )
        return queryset.filter(Exists(given_in))

    def filter_free(self, queryset: QuerySet[Session], name: str, value: bool) -> QuerySet:
        return queryset.filter(confirmed_count__lt=F("capacity")) if value else queryset
