"""Everything the coordinators' home page shows, assembled from the figure modules."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from cockpit import activity, attention, funnel, waiting, withdrawals
from cockpit.charts import Chart, bar_chart
from cockpit.figures import Figure, list_url
from cockpit.models import Target
from matching.selectors import STARTED, mentorship_list


@dataclass(frozen=True)
class Dashboard:
    funnel: list[Figure]
    friendships: Figure
    channels: list[funnel.ChannelRow]
    waiting: waiting.Waiting
    attention: attention.Attention
    withdrawals: withdrawals.Withdrawals
    trainings: list[activity.SessionFill]
    gaps: list[Figure]
    charts: list[Chart]


def cache_key(language: str) -> str:
    """The figures are cached per language (their labels are translated)."""
    return f"cockpit:dashboard:{language}"


def forget() -> None:
    """A changed target shows on the next visit, not when the cached figures expire."""
    cache.delete_many([cache_key(code) for code, _name in settings.LANGUAGES])


def friendships(targets: dict[str, int]) -> Figure:
    return Figure(
        label=str(Target.Metric.FRIENDSHIPS.label),
        value=mentorship_list(STARTED).count(),
        url=list_url("matching:mentorships", state=STARTED),
        target=targets.get(Target.Metric.FRIENDSHIPS),
    )


def build(today: date) -> Dashboard:
    targets = dict(Target.objects.values_list("metric", "value"))
    return Dashboard(
        funnel=funnel.funnel(targets),
        friendships=friendships(targets),
        channels=funnel.by_channel(),
        waiting=waiting.waiting(today),
        attention=attention.attention(today),
        withdrawals=withdrawals.withdrawals(today),
        trainings=activity.trainings_this_month(today),
        gaps=activity.largest_gaps(),
        charts=[
            bar_chart(series, right_to_left=translation.get_language_bidi())
            for series in activity.trends(today)
        ],
    )
