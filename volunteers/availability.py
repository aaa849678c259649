"""Weekly availability as 21 bits: weekday (Monday first) times morning, afternoon, evening."""

from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"),
    _("Sunday"),
]  # fmt: skip
PARTS = [_("Morning"), _("Afternoon"), _("Evening")]
SLOT_COUNT = len(WEEKDAYS) * len(PARTS)


def slot(weekday: int, part: int) -> int:
    return weekday * len(PARTS) + part


def mask_for(slots: list[int]) -> int:
    mask = 0
    for number in slots:
        if not 0 <= number < SLOT_COUNT:
            raise ValueError(number)
        mask |= 1 << number
    return mask


def slots_in(mask: int) -> list[int]:
    return [number for number in range(SLOT_COUNT) if mask & (1 << number)]


def slot_label(number: int) -> str:
    weekday, part = divmod(number, len(PARTS))
    return f"{WEEKDAYS[weekday]} {PARTS[part]}"


def slot_choices() -> list[tuple[str, str]]:
    return [(str(number), slot_label(number)) for number in range(SLOT_COUNT)]
