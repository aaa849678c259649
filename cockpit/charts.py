"""Bar charts drawn on the server as SVG: nothing from a CDN, readable without JavaScript.

Each chart has labelled axes (the months by name in the reader's language along one, a scale of
round numbers and what is counted along the other) and comes with its numbers as a table, for
screen readers and for copying. Right-to-left readers see time run from right to left, with
the scale on the right; the text itself is never mirrored.
"""

import math
from dataclasses import dataclass
from datetime import date

from ankommen import dates
from cockpit.activity import Series

WIDTH, HEIGHT = 360, 240
TOP, BASELINE = 24, 160  # the bars stand between these; the month names hang below
SCALE = 42  # room for the scale's numbers beside the bars
EDGE = 6  # free space on the far side
GAP = 4
TICKS = 4  # at most this many steps up the scale


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the month and year, as the table says it
    value: float
    axis_label: str  # the month under the bar
    label_x: float  # where that name hangs from
    value_text: str


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    ticks: list[Tick]
    right_to_left: bool
    width: int = WIDTH
    height: int = HEIGHT
    label_y: int = BASELINE + 14

    @property
    def plot_start(self) -> float:
        return EDGE if self.right_to_left else SCALE

    @property
    def plot_end(self) -> float:
        return WIDTH - SCALE if self.right_to_left else WIDTH - EDGE

    @property
    def scale_x(self) -> float:
        """Where the scale's numbers end (left to right) or begin (right to left)."""
        return WIDTH - SCALE + 4 if self.right_to_left else SCALE - 4

    @property
    def scale_anchor(self) -> str:
        return "start" if self.right_to_left else "end"

    @property
    def label_anchor(self) -> str:
        return self.scale_anchor

    @property
    def label_angle(self) -> int:
        """Month names slant down towards the scale's side, where there is room under it."""
        return 45 if self.right_to_left else -45

    @property
    def unit_x(self) -> float:
        return WIDTH - 2 if self.right_to_left else 2

    @property
    def unit_anchor(self) -> str:
        return "end" if self.right_to_left else "start"


def bar_chart(series: Series, *, right_to_left: bool = False) -> Chart:
    step = _step(series.peak)
    top = step * max(math.ceil(series.peak / step), 1)
    count = max(len(series.points), 1)
    plot = WIDTH - SCALE - EDGE
    slot = plot / count
    bars = []
    for index, (month, value) in enumerate(series.points):
        height = (BASELINE - TOP) * value / top
        start = WIDTH - SCALE - (index + 1) * slot if right_to_left else SCALE + index * slot
        bars.append(
            Bar(
                x=round(start + GAP / 2, 1),
                y=round(BASELINE - height, 1),
                width=round(slot - GAP, 1),
                height=round(height, 1),
                label=dates.format_month(month),
                value=value,
                axis_label=_month_name(month, first=index == 0),
                label_x=round(start + slot / 2, 1),
                value_text=_number(value),
            )
        )
    return Chart(
        title=series.title,
        unit=series.unit,
        bars=bars,
        ticks=_ticks(top, step),
        right_to_left=right_to_left,
    )


def _month_name(month: date, *, first: bool) -> str:
    """The month's short name; the first bar and every January also say the year."""
    return dates.format_month(month, abbreviated=True, year=first or month.month == 1)


def _step(peak: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) that reaches past the peak in few steps."""
    if peak <= TICKS:
        return 1
    rough = peak / TICKS
    power = 10 ** math.floor(math.log10(rough))
    return next(factor * power for factor in (1, 2, 5, 10) if factor * power >= rough)


def _ticks(top: float, step: float) -> list[Tick]:
    steps = round(top / step)
    return [
        Tick(
            y=round(BASELINE - (BASELINE - TOP) * index / steps, 1),
            text=_number(step * index),
        )
        for index in range(steps + 1)
    ]


def _number(value: float) -> str:
    """Whole numbers without decimals, hours with the reader's decimal separator."""
    places = 0 if float(value).is_integer() else 1
    return dates.format_number(value, places=places)
