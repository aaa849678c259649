"""Bar charts drawn on the server as SVG: nothing from a CDN, readable without JavaScript.
Each chart comes with its numbers as a table for screen readers and for copying."""

from dataclasses import dataclass

from cockpit.activity import Series

WIDTH, HEIGHT, GAP = 360, 120, 4


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT


def bar_chart(series: Series) -> Chart:
    count = max(len(series.points), 1)
    slot = WIDTH / count
    peak = series.peak or 1
    bars = []
    for index, (label, value) in enumerate(series.points):
        height = HEIGHT * value / peak
        bars.append(
            Bar(
                x=round(index * slot + GAP / 2, 1),
                y=round(HEIGHT - height, 1),
                width=round(slot - GAP, 1),
                height=round(height, 1),
                label=label,
                value=value,
            )
        )
    return Chart(title=series.title, bars=bars)
