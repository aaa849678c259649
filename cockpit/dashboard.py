"""Everything the coordinators' home page shows, assembled from the figure modules."""

from dataclasses import dataclass
from datetime import date

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
