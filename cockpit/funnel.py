"""The volunteer funnel, registered to active, and how each recruiting channel converts.

Each step is a condition on the volunteer and the card-file filters that list the same people,
so every number leads to exactly the volunteers it counts.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankommen.accounts.models import Channel
from cockpit.figures import Figure, list_url
from cockpit.models import Target
from volunteers.filters import UNKNOWN_CHANNEL
from volunteers.hooks import capacity_usage
from volunteers.models import Stage, Volunteer
from volunteers.stages import ACCOMPANYING_STAGES

NOT_WITHDRAWN = [stage for stage in Stage if stage != Stage.WITHDRAWN]
AFTER_CONVERSATION = [
    Stage.CONVERSATION_DONE,
    Stage.TRAINED,
    Stage.CLEARANCE_CHECKED,
    Stage.READY,
    Stage.ACTIVE,
]
TRAINED = AFTER_CONVERSATION[1:]
READY = list(ACCOMPANYING_STAGES)


@dataclass(frozen=True)
class Step:
    key: str
    label: object
    condition: Q
    filters: dict[str, list[str] | str]


STEPS = [
    Step(
        Target.Metric.REGISTERED,
        gettext_lazy("Registered"),
        Q(stage__in=NOT_WITHDRAWN),
        {"stage": NOT_WITHDRAWN},
    ),
    Step(
        Target.Metric.CONVERSATION,
        gettext_lazy("First conversation done"),
        Q(stage__in=AFTER_CONVERSATION),
        {"stage": AFTER_CONVERSATION},
    ),
    Step(
        Target.Metric.TRAINED,
        gettext_lazy("Basic training done"),
        Q(stage__in=TRAINED),
        {"stage": TRAINED},
    ),
    Step(Target.Metric.READY, gettext_lazy("Ready"), Q(stage__in=READY), {"stage": READY}),
    Step(
        Target.Metric.MATCHED,
        gettext_lazy("Accompany someone"),
        Q(stage__in=NOT_WITHDRAWN, capacity_used__gt=0),
        {"stage": NOT_WITHDRAWN, "accompanies": "true"},
    ),
    Step(
        Target.Metric.ACTIVE,
        gettext_lazy("Active and accompanying"),
        Q(stage=Stage.ACTIVE, capacity_used__gt=0),
        {"stage": [Stage.ACTIVE], "accompanies": "true"},
    ),
]


def _volunteers() -> QuerySet[Volunteer]:
    return Volunteer.objects.annotate(
        capacity_used=Coalesce(capacity_usage(), Value(0), output_field=IntegerField())
    )


def funnel(targets: dict[str, int]) -> list[Figure]:
    """One query for all steps."""
    counts = _volunteers().aggregate(
        **{step.key: Count("pk", filter=step.condition) for step in STEPS}
    )
    return [
        Figure(
            label=str(step.label),
            value=counts[step.key],
            url=list_url("volunteers:card_file", **step.filters),
            target=targets.get(step.key),
        )
        for step in STEPS
    ]


@dataclass(frozen=True)
class ChannelRow:
    label: str
    registered: Figure
    ready: Figure
    matched: Figure

    @property
    def ready_percent(self) -> int:
        return round(100 * self.ready.value / self.registered.value) if self.registered.value else 0

    @property
    def matched_percent(self) -> int:
        if not self.registered.value:
            return 0
        return round(100 * self.matched.value / self.registered.value)


def by_channel() -> list[ChannelRow]:
    """Registered, ready and accompanying volunteers per channel, in one grouped query."""
    ready_step, matched_step = STEPS[3], STEPS[4]
    rows = (
        _volunteers()
        .values("user__heard_via")
        .annotate(
            registered=Count("pk", filter=STEPS[0].condition),
            ready=Count("pk", filter=ready_step.condition),
            matched=Count("pk", filter=matched_step.condition),
        )
        .order_by("-registered")
    )
    labels = dict(Channel.choices)
    result = []
    for row in rows:
        channel = row["user__heard_via"] or UNKNOWN_CHANNEL
        label = str(labels.get(channel, _("Not stated")))

        def figure(step: Step, value: int, channel: str = channel) -> Figure:
            url = list_url("volunteers:card_file", heard_via=channel, **step.filters)
            return Figure(label=str(step.label), value=value, url=url)

        result.append(
            ChannelRow(
                label=label,
                registered=figure(STEPS[0], row["registered"]),
                ready=figure(ready_step, row["ready"]),
                matched=figure(matched_step, row["matched"]),
            )
        )
    return [row for row in result if row.registered.value]
