"""The card file's filters: every one runs in the database."""

from datetime import timedelta
from functools import reduce
from operator import or_
from typing import Any

import django_filters
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Channel
from ankommen.filtering import FilterSet
from ankommen.vocabulary.filters import OffersCurrentVocabularyFilters
from ankommen.vocabulary.models import District, Language, Theme
from volunteers.availability import mask_for, slot_choices
from volunteers.models import LanguageLevel, LanguageSkill, Stage, Volunteer, VolunteerRole
from volunteers.selectors import EXPIRY_WARNING
from volunteers.stages import TRAINED_STAGES

UNKNOWN_CHANNEL = "unknown"
LEVEL_ORDER = [level.value for level in LanguageLevel]  # best first


class CardFileFilter(OffersCurrentVocabularyFilters, FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    # A column of the volunteer itself: no join, no duplicates, so no costly DISTINCT over the
    # annotated rows (django-filter adds one by default; at city scale it doubled the time).
    stage = django_filters.MultipleChoiceFilter(
        label=_("Stage"), choices=Stage.choices, distinct=False
    )
    language = django_filters.ModelMultipleChoiceFilter(
        label=_("Language"), queryset=Language.objects.all(), method="filter_language"
    )
    min_level = django_filters.ChoiceFilter(
        label=_("At least"), choices=LanguageLevel.choices, method="filter_noop"
    )
    district = django_filters.ModelMultipleChoiceFilter(
        label=_("District"), queryset=District.objects.all(), distinct=False
    )
    theme = django_filters.ModelMultipleChoiceFilter(
        label=_("Theme of interest"), queryset=Theme.objects.all(), method="filter_theme"
    )
    role = django_filters.MultipleChoiceFilter(
        label=_("Role wanted"), choices=VolunteerRole.choices, method="filter_role"
    )
    available = django_filters.MultipleChoiceFilter(
        label=_("Available"), choices=slot_choices, method="filter_available"
    )
    training = django_filters.ChoiceFilter(
        label=_("Basic training"),
        choices=[("done", _("Done")), ("open", _("Not yet"))],
        method="filter_training",
    )
    clearance = django_filters.ChoiceFilter(
        label=_("Police clearance"),
        choices=[
            ("valid", _("Valid")),
            ("expiring", _("Expires within 30 days")),
            ("expired", _("Expired")),
            ("none", _("None recorded")),
        ],
        method="filter_clearance",
    )
    free_capacity = django_filters.BooleanFilter(
        label=_("Can take on a newcomer"), method="filter_free_capacity"
    )
    accompanies = django_filters.BooleanFilter(
        label=_("Accompanies someone now"), method="filter_accompanies"
    )
    inactive_days = django_filters.ChoiceFilter(
        label=_("Last activity"),
        choices=[("30", _("30+ days ago")), ("90", _("90+ days ago")), ("180", _("180+ days ago"))],
        method="filter_inactive",
    )
    heard_via = django_filters.MultipleChoiceFilter(
        label=_("Heard of us through"),
        choices=[*Channel.choices, (UNKNOWN_CHANNEL, _("Not stated"))],
        method="filter_heard_via",
    )
    referred_by = django_filters.CharFilter(
        label=_("Invited by"), field_name="user__referred_by__full_name", lookup_expr="icontains"
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("user__full_name", "name"),
            ("stage", "stage"),
            ("district__name", "district"),
            ("last_activity_at", "activity"),
            ("created_at", "registered"),
        ),
        field_labels={
            "user__full_name": _("Name"),
            "stage": _("Stage"),
            "district__name": _("District"),
            "last_activity_at": _("Last activity"),
            "created_at": _("Registered"),
        },
    )

    class Meta:
        model = Volunteer
        fields: list[str] = []

    def search(self, queryset: QuerySet[Volunteer], name: str, value: str) -> QuerySet[Volunteer]:
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(user__full_name__icontains=word)
                | Q(user__preferred_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(skills__icontains=word)
                | Q(qualifications__icontains=word)
            )
        return queryset

    def filter_noop(self, queryset: QuerySet[Volunteer], name: str, value: Any) -> QuerySet:
        return queryset  # used together with the language filter

    def filter_language(
        self, queryset: QuerySet[Volunteer], name: str, value: QuerySet[Language]
    ) -> QuerySet[Volunteer]:
        """Speaks at least one of the languages at the level asked for, or better."""
        if not value:
            return queryset
        minimum = self.form.cleaned_data.get("min_level") or LanguageLevel.BASIC
        levels = LEVEL_ORDER[: LEVEL_ORDER.index(minimum) + 1]
        # EXISTS on the skills alone: joining the volunteers again made PostgreSQL hash all
        # 10,000 of them for a language everyone speaks (42 ms for the count at city scale).
        return queryset.filter(
            Exists(
                LanguageSkill.objects.filter(
                    volunteer=OuterRef("pk"), language__in=value, level__in=levels
                )
            )
        )

    def filter_theme(
        self, queryset: QuerySet[Volunteer], name: str, value: QuerySet[Theme]
    ) -> QuerySet[Volunteer]:
        """Interested in at least one of the themes; EXISTS, so nobody is listed twice."""
        if not value:
            return queryset
        interests = Volunteer.themes.through.objects.filter(
            volunteer=OuterRef("pk"), theme__in=value
        )
        return queryset.filter(Exists(interests))

    def filter_role(self, queryset: QuerySet[Volunteer], name: str, value: list[str]) -> QuerySet:
        """Wants at least one of the roles."""
        wanted = [Q(**{f"wants_{VolunteerRole(role).value}": True}) for role in value]
        return queryset.filter(reduce(or_, wanted))

    def filter_available(
        self, queryset: QuerySet[Volunteer], name: str, value: list[str]
    ) -> QuerySet[Volunteer]:
        if not value:
            return queryset
        mask = mask_for([int(slot) for slot in value])
        return queryset.annotate(matching_slots=F("availability").bitand(mask)).filter(
            matching_slots=mask
        )

    def filter_training(self, queryset: QuerySet[Volunteer], name: str, value: str) -> QuerySet:
        done = Q(stage__in=TRAINED_STAGES) | Q(
            stage=Stage.PAUSED, stage_before_pause__in=TRAINED_STAGES
        )
        return queryset.filter(done) if value == "done" else queryset.exclude(done)

    def filter_clearance(self, queryset: QuerySet[Volunteer], name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        if value == "none":
            return queryset.filter(clearance_valid_until__isnull=True)
        if value == "expired":
            return queryset.filter(clearance_valid_until__lt=today)
        if value == "expiring":
            return queryset.filter(
                clearance_valid_until__gte=today,
                clearance_valid_until__lte=today + EXPIRY_WARNING,
            )
        return queryset.filter(clearance_valid_until__gt=today + EXPIRY_WARNING)

    def filter_free_capacity(
        self, queryset: QuerySet[Volunteer], name: str, value: bool | None
    ) -> QuerySet[Volunteer]:
        if value is None:
            return queryset
        return (
            queryset.filter(free_capacity__gt=0) if value else queryset.filter(free_capacity__lte=0)
        )

    def filter_heard_via(
        self, queryset: QuerySet[Volunteer], name: str, value: list[str]
    ) -> QuerySet[Volunteer]:
        channels = ["" if channel == UNKNOWN_CHANNEL else channel for channel in value]
        return queryset.filter(user__heard_via__in=channels)

    def filter_accompanies(
        self, queryset: QuerySet[Volunteer], name: str, value: bool | None
    ) -> QuerySet[Volunteer]:
        if value is None:
            return queryset
        return queryset.filter(capacity_used__gt=0) if value else queryset.filter(capacity_used=0)

    def filter_inactive(self, queryset: QuerySet[Volunteer], name: str, value: str) -> QuerySet:
        cutoff = timezone.now() - timedelta(days=int(value))
        return queryset.filter(Q(last_activity_at__lt=cutoff) | Q(last_activity_at__isnull=True))
