"""From the database to a Problem in a handful of flat queries (values_list, no model objects)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from ankommen.vocabulary.models import District, LanguageLevel
from matching.models import DistrictNeighbour, Mentorship, Rejection
from matching.problem import GENDER_UNKNOWN, Problem
from refugees.models import AgeGroup, Need, Newcomer, NewcomerLanguage, with_minors
from volunteers.models import AgePreference, ClearanceCheck, LanguageSkill, Volunteer
from volunteers.stages import ACCOMPANYING_STAGES

GENDER_CODES = {"female": 1, "male": 2, "diverse": 3}
CONVERSATIONAL_OR_BETTER = {
    LanguageLevel.NATIVE,
    LanguageLevel.FLUENT,
    LanguageLevel.CONVERSATIONAL,
}
FLUENT_OR_BETTER = {LanguageLevel.NATIVE, LanguageLevel.FLUENT}
# Language bitmasks live in one unsigned 64-bit word per person and level.
MAX_LANGUAGES = 64
AGE_BIT = {value: bit for bit, value in enumerate(AgePreference.values)}
# A newcomer's age group (or age from the birth year) -> the volunteers' coarser preference.
AGE_PREFERENCE_OF_GROUP = {
    AgeGroup.CHILD_0_5: AgePreference.YOUNG,
    AgeGroup.CHILD_6_13: AgePreference.YOUNG,
    AgeGroup.YOUTH_14_17: AgePreference.YOUNG,
    AgeGroup.ADULT_18_26: AgePreference.YOUNG_ADULTS,
    AgeGroup.ADULT_27_45: AgePreference.ADULTS,
    AgeGroup.ADULT_46_64: AgePreference.ADULTS,
    AgeGroup.SENIOR: AgePreference.SENIORS,
}
AGE_PREFERENCE_FROM = [
    (65, AgePreference.SENIORS),
    (27, AgePreference.ADULTS),
    (18, AgePreference.YOUNG_ADULTS),
    (0, AgePreference.YOUNG),
]


def age_bit(age_group: str, birth_year: int | None, today: date) -> int:
    """Which preference the newcomer falls under, -1 when neither group nor birth year is known."""
    if age_group in AGE_PREFERENCE_OF_GROUP:
        return AGE_BIT[AGE_PREFERENCE_OF_GROUP[age_group]]
    age = today.year - birth_year if birth_year else -1
    for least, preference in AGE_PREFERENCE_FROM:
        if age >= least:
            return AGE_BIT[preference]
    return -1


def _preference_mask(values: list[str]) -> int:
    return sum(1 << AGE_BIT[value] for value in set(values or []) if value in AGE_BIT)


@dataclass(frozen=True)
class Scope:
    """Which newcomers a run considers; empty means everyone waiting."""

    district_id: int | None = None
    theme_id: int | None = None
    waiting_weeks: int | None = None

    @classmethod
    def from_dict(cls, data: dict) -> "Scope":
        return cls(
            district_id=data.get("district_id"),
            theme_id=data.get("theme_id"),
            waiting_weeks=data.get("waiting_weeks"),
        )

    def as_dict(self) -> dict:
        return {key: value for key, value in vars(self).items() if value is not None}


def open_mentorships() -> Q:
    return ~Q(state=Mentorship.State.ENDED)


def with_open_count(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    return volunteers.annotate(
        open_count=Count("mentorships", filter=~Q(mentorships__state=Mentorship.State.ENDED))
    )


def available_volunteers() -> QuerySet[Volunteer]:
    """Ready or active, wants to accompany someone, and has at least one free place."""
    return with_open_count(
        Volunteer.objects.filter(stage__in=ACCOMPANYING_STAGES).filter(
            Q(wants_mentor=True) | Q(wants_guide=True)
        )
    ).filter(open_count__lt=F("max_mentorships"))


def waiting_newcomers(scope: Scope, today: date) -> QuerySet[Newcomer]:
    """Open records without an open mentorship, narrowed by the run's scope."""
    newcomers = Newcomer.objects.filter(closed_at__isnull=True).exclude(
        Exists(Mentorship.objects.filter(open_mentorships(), newcomer=OuterRef("pk")))
    )
    if scope.district_id:
        near = DistrictNeighbour.objects.filter(district_id=scope.district_id).values("neighbour")
        newcomers = newcomers.filter(Q(district_id=scope.district_id) | Q(district__in=near))
    if scope.theme_id:
        newcomers = newcomers.filter(
            Exists(
                Need.objects.filter(
                    newcomer=OuterRef("pk"), theme_id=scope.theme_id, status=Need.Status.OPEN
                )
            )
        )
    if scope.waiting_weeks:
        newcomers = newcomers.filter(
            waiting_since__lte=today - timedelta(weeks=scope.waiting_weeks)
        )
    return newcomers


def _masks(
    rows: Iterable[tuple[int, int, str]], index: dict[int, int], language_bit: dict[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    count = len(index)
    conversational = np.zeros(count, dtype=np.uint64)
    fluent = np.zeros(count, dtype=np.uint64)
    native = np.zeros(count, dtype=np.uint64)
    for person, language, level in rows:
        position, bit = index.get(person), language_bit.get(language)
        if position is None or bit is None:
            continue
        flag = np.uint64(1 << bit)
        if level in CONVERSATIONAL_OR_BETTER:
            conversational[position] |= flag
        if level in FLUENT_OR_BETTER:
            fluent[position] |= flag
        if level == LanguageLevel.NATIVE:
            native[position] |= flag
    return conversational, fluent, native


def _theme_masks(
    rows: Iterable[tuple[int, int]], index: dict[int, int], theme_bit: dict[int, int]
) -> np.ndarray:
    masks = np.zeros(len(index), dtype=np.uint64)
    for person, theme in rows:
        position = index.get(person)
        if position is not None and theme in theme_bit:
            masks[position] |= np.uint64(1 << theme_bit[theme])
    return masks


def load_problem(scope: Scope | None = None, today: date | None = None) -> Problem:
    today = today or timezone.localdate()
    return build_problem(available_volunteers(), waiting_newcomers(scope or Scope(), today), today)


def load_pairs(newcomer_id: int, volunteer_ids: Iterable[int], today: date) -> Problem:
    """One newcomer against the given volunteers, whatever their stage or free places: the
    hard rules of a manual match are checked on the same arrays as the engine's."""
    volunteers = with_open_count(Volunteer.objects.filter(pk__in=list(volunteer_ids)))
    return build_problem(volunteers, Newcomer.objects.filter(pk=newcomer_id), today)


def build_problem(
    volunteers: QuerySet[Volunteer], newcomers: QuerySet[Newcomer], today: date
) -> Problem:
    """`volunteers` must carry the `open_count` annotation (see `with_open_count`)."""
    valid_clearance = ClearanceCheck.objects.filter(
        volunteer=OuterRef("pk"), valid_until__gte=today
    )
    volunteer_rows = list(
        volunteers.annotate(cleared=Exists(valid_clearance))
        .order_by("pk")
        .values_list(
            "pk", "district_id", "gender", "accepts_minors", "accepts_families",
            "availability", "max_mentorships", "open_count", "cleared", "age_preferences",
        )
    )  # fmt: skip
    minors = ExpressionWrapper(with_minors(today), output_field=BooleanField())
    newcomer_rows = list(
        newcomers.annotate(minors=minors)
        .order_by("pk")
        .values_list(
            "pk", "district_id", "gender", "wants_same_gender_contact", "household",
            "age_group", "minors", "waiting_since", "birth_year",
        )
    )  # fmt: skip
    v_index = {row[0]: position for position, row in enumerate(volunteer_rows)}
    n_index = {row[0]: position for position, row in enumerate(newcomer_rows)}

    volunteer_languages = list(
        LanguageSkill.objects.filter(volunteer__in=volunteers.values("pk")).values_list(
            "volunteer_id", "language_id", "level"
        )
    )
    newcomer_languages = list(
        NewcomerLanguage.objects.filter(newcomer__in=newcomers.values("pk")).values_list(
            "newcomer_id", "language_id", "level"
        )
    )
    # Only languages both sides speak can ever be shared, so only they need a bit.
    shared = sorted(
        {language for _, language, _ in volunteer_languages}
        & {language for _, language, _ in newcomer_languages}
    )[:MAX_LANGUAGES]
    language_bit = {language: bit for bit, language in enumerate(shared)}

    needs = list(
        Need.objects.filter(
            newcomer__in=newcomers.values("pk"), status=Need.Status.OPEN
        ).values_list("newcomer_id", "theme_id")
    )
    interests = list(
        Volunteer.themes.through.objects.filter(volunteer__in=volunteers.values("pk")).values_list(
            "volunteer_id", "theme_id"
        )
    )
    themes = sorted({theme for _, theme in needs})[:MAX_LANGUAGES]
    theme_bit = {theme: bit for bit, theme in enumerate(themes)}

    district_ids = list(District.objects.order_by("pk").values_list("pk", flat=True))
    district_index = {pk: position for position, pk in enumerate(district_ids)}
    neighbours = np.zeros((len(district_ids), len(district_ids)), dtype=bool)
    for district, neighbour in DistrictNeighbour.objects.values_list("district_id", "neighbour_id"):
        neighbours[district_index[district], district_index[neighbour]] = True

    rejected = {
        (n_index[newcomer], v_index[volunteer])
        for volunteer, newcomer in Rejection.objects.filter(
            newcomer__in=newcomers.values("pk")
        ).values_list("volunteer_id", "newcomer_id")
        if newcomer in n_index and volunteer in v_index
    }

    n_conv, n_fluent, n_native = _masks(newcomer_languages, n_index, language_bit)
    v_conv, v_fluent, v_native = _masks(volunteer_languages, v_index, language_bit)
    return Problem(
        newcomer_ids=np.array([row[0] for row in newcomer_rows], dtype=np.int64),
        volunteer_ids=np.array([row[0] for row in volunteer_rows], dtype=np.int64),
        n_conversational=n_conv,
        n_fluent=n_fluent,
        n_native=n_native,
        n_district=np.array(
            [district_index.get(row[1], -1) for row in newcomer_rows], dtype=np.int64
        ),
        n_gender=np.array([GENDER_CODES.get(row[2], GENDER_UNKNOWN) for row in newcomer_rows]),
        n_same_gender=np.array([row[3] for row in newcomer_rows], dtype=bool),
        n_family=np.array(
            [row[4] == Newcomer.Household.FAMILY for row in newcomer_rows], dtype=bool
        ),
        n_minors=np.array([row[6] for row in newcomer_rows], dtype=bool),
        n_themes=_theme_masks(needs, n_index, theme_bit),
        n_waiting_days=np.array([(today - row[7]).days for row in newcomer_rows], dtype=np.int64),
        n_age=np.array([age_bit(row[5], row[8], today) for row in newcomer_rows], dtype=np.int64),
        v_conversational=v_conv,
        v_fluent=v_fluent,
        v_native=v_native,
        v_district=np.array(
            [district_index.get(row[1], -1) for row in volunteer_rows], dtype=np.int64
        ),
        v_gender=np.array([GENDER_CODES.get(row[2], GENDER_UNKNOWN) for row in volunteer_rows]),
        v_accepts_minors=np.array([row[3] for row in volunteer_rows], dtype=bool),
        v_accepts_families=np.array([row[4] for row in volunteer_rows], dtype=bool),
        v_weekly_slots=np.array(
            [int(row[5]).bit_count() for row in volunteer_rows], dtype=np.int64
        ),
        v_capacity=np.array([row[6] - row[7] for row in volunteer_rows], dtype=np.int64),
        v_clearance=np.array([row[8] for row in volunteer_rows], dtype=bool),
        v_age_preferences=np.array(
            [_preference_mask(row[9]) for row in volunteer_rows], dtype=np.int64
        ),
        v_themes=_theme_masks(interests, v_index, theme_bit),
        neighbours=neighbours,
        rejected=rejected,
        language_ids=shared,
    )
