"""A matching problem as plain arrays, independent of the database so it can be tested alone.

Languages are bitmasks per level (bit i = language i): "speaks at least conversationally",
"at least fluently", "natively"; each level's mask includes the higher levels' bits.
Themes are bitmasks too. One row per person.
"""

from dataclasses import dataclass, field

import numpy as np

GENDER_UNKNOWN = 0


@dataclass
class Problem:
    newcomer_ids: np.ndarray
    volunteer_ids: np.ndarray
    # One entry per newcomer:
    n_conversational: np.ndarray
    n_fluent: np.ndarray
    n_native: np.ndarray
    n_district: np.ndarray  # index into neighbours, -1 unknown
    n_gender: np.ndarray
    n_same_gender: np.ndarray
    n_family: np.ndarray
    n_minors: np.ndarray
    n_themes: np.ndarray
    n_waiting_days: np.ndarray
    n_age: np.ndarray  # bit of the newcomer's age group (see loader.AGE_BIT), -1 unknown
    # One entry per volunteer:
    v_conversational: np.ndarray
    v_fluent: np.ndarray
    v_native: np.ndarray
    v_district: np.ndarray
    v_gender: np.ndarray
    v_accepts_families: np.ndarray
    v_accepts_minors: np.ndarray
    v_clearance: np.ndarray
    v_themes: np.ndarray
    v_weekly_slots: np.ndarray  # how many of the 21 weekly time slots they offer
    v_capacity: np.ndarray  # free places: newcomers they accept minus open mentorships
    v_age_preferences: np.ndarray  # bitmask of preferred age groups, 0 = does not matter
    # A square boolean table: which districts border each other.
    neighbours: np.ndarray
    # Pairs of (newcomer index, volunteer index) a coordinator rejected.
    rejected: set[tuple[int, int]] = field(default_factory=set)
    # The database id of the language behind each bit.
    language_ids: list[int] = field(default_factory=list)

    @property
    def sizes(self) -> tuple[int, int]:
        return len(self.newcomer_ids), len(self.volunteer_ids)
