"""The dashboard's charts: months named in the reader's language, a scale of round numbers, time
running the reader's way, and every number also in a table under its chart."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from babel.dates import format_skeleton
from django.conf import settings
from django.utils import timezone, translation

from ankommen import dates
from cockpit.activity import Series
from cockpit.charts import BASELINE, TOP, bar_chart
from tests.factories import HoursEntryFactory, UserFactory, VolunteerFactory
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

GERMAN_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
]  # fmt: skip
YEAR = [date(2026, month, 1) for month in range(1, 13)]


def _series(values: list[float]) -> Series:
    return Series("Hours per month", "Hours", list(zip(YEAR, values, strict=True)))


@pytest.fixture
def joined_and_worked():
    """Volunteers who joined this month and two months ago, with approved hours."""
    today = timezone.localdate()
    two_months_ago = (today.replace(day=1) - timedelta(days=32)).replace(day=15)
    for day, people in ((today, 3), (two_months_ago, 1)):
        for _ in range(people):
            volunteer = VolunteerFactory()
            joined = timezone.make_aware(datetime.combine(day, time(12)))
            Volunteer.objects.filter(pk=volunteer.pk).update(created_at=joined)
            HoursEntryFactory(
                volunteer=volunteer, hours=Decimal("2.5"), state="approved", worked_on=day
            )


def _charts(html: str) -> list[str]:
    return re.findall(
        r'<section class="col-lg-4" aria-labelledby="chart-\d+">.*?</section>', html, re.S
    )


def test_a_german_coordinator_reads_month_names_under_the_bars_and_in_the_table(
    client, joined_and_worked
):
    client.force_login(UserFactory(role="coordinator", preferred_language="de"))

    html = client.get("/de/cockpit/").content.decode()

    this_month = timezone.localdate().month
    charts = _charts(html)
    assert len(charts) == 3
    for chart in charts:
        svg = chart[chart.index("<svg") : chart.index("</svg>")]
        axis = re.findall(r'<text class="cockpit-chart-month"[^>]*>([^<]+)</text>', svg)
        assert len(axis) == 12
        short = format_skeleton("MMM", date(2026, this_month, 1), locale="de")
        assert axis[-1].startswith(short), axis  # this month, last, by its German name
        assert not any(re.fullmatch(r"[\d./ ]+", name) for name in axis), axis
        table = chart[chart.index("<table") :]
        assert GERMAN_MONTHS[this_month - 1] in table
        assert '<th scope="col">Monat</th>' in table


def test_the_table_under_each_chart_holds_the_same_numbers_as_its_bars(client, joined_and_worked):
    client.force_login(UserFactory(role="coordinator"))

    html = client.get("/de/cockpit/").content.decode()

    charts = _charts(html)
    numbers = []
    for chart in charts:
        bars = re.findall(r"<title>([^<]+): ([^<]+)</title>", chart)
        rows = re.findall(
            r'<tr><th scope="row" class="fw-normal">([^<]+)</th><td class="text-end">([^<]+)</td>',
            chart,
        )
        assert bars == rows
        numbers.append([value for _month, value in rows])
    joined, _running, hours = numbers
    assert (joined[-3], joined[-1]) == ("1", "3")
    assert (hours[-3], hours[-1]) == ("2,5", "7,5")  # with the German decimal comma


def test_the_scale_climbs_in_round_steps_to_just_above_the_highest_bar():
    chart = bar_chart(_series([0, 3, 41, 7, 0, 0, 0, 0, 0, 0, 0, 12]))

    assert [tick.text for tick in chart.ticks] == ["0", "20", "40", "60"]
    assert (chart.ticks[0].y, chart.ticks[-1].y) == (BASELINE, TOP)
    tallest = chart.bars[2]
    assert TOP < tallest.y < chart.ticks[2].y  # 41 stands a little above the line for 40


def test_an_empty_year_still_has_a_scale_and_no_bar_height():
    chart = bar_chart(_series([0] * 12))

    assert [tick.text for tick in chart.ticks] == ["0", "1"]
    assert {bar.height for bar in chart.bars} == {0}


def test_hours_show_the_readers_decimal_separator():
    with translation.override("de"):
        chart = bar_chart(_series([1.5, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))

    assert [bar.value_text for bar in chart.bars[:2]] == ["1,5", "2"]


def test_time_runs_right_to_left_for_arabic_readers_with_the_scale_on_the_right():
    values = [float(month) for month in range(1, 13)]
    with translation.override("ar"):
        chart = bar_chart(_series(values), right_to_left=True)
    left_to_right = bar_chart(_series(values))

    assert chart.bars[0].x > chart.bars[-1].x  # January on the right
    assert left_to_right.bars[0].x < left_to_right.bars[-1].x
    assert chart.scale_x > chart.bars[0].x + chart.bars[0].width
    assert chart.bars[0].axis_label == "يناير 2026"


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != "de"])
def test_every_language_names_the_months_itself_not_in_the_german_fallback(code):
    december = date(2026, 12, 1)

    with translation.override(code):
        full = dates.format_month(december)
        short = dates.format_month(december, abbreviated=True, year=False)

    assert full == format_skeleton("yMMMM", december, locale=code)  # CLDR's, as Babel writes it
    assert short == format_skeleton("MMM", december, locale=code)
    assert "Dez" not in full + short
