"""Volunteers who left lately: what their leaving ended, and which newcomers went back to the
matching queue because of it. Three queries at any size."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cockpit.figures import Figure
from matching.models import Mentorship
from refugees.models import Newcomer
from trainings.models import Registration
from volunteers.models import Stage, Volunteer
from workgroups.models import Membership, TaskSignup
from workgroups.models.groups import EndReason

WINDOW = timedelta(days=30)
SHOWN = 5


@dataclass(frozen=True)
class RecentWithdrawal:
    volunteer: Volunteer
    mentorships: int
    training_places: int
    memberships: int
    task_signups: int
    back_in_queue: list[Newcomer]


@dataclass(frozen=True)
class Withdrawals:
    withdrew: Figure
    back_in_queue: Figure
    recent: list[RecentWithdrawal]


def _count(rows: QuerySet, outer: str, by: str) -> Coalesce:
    counted = rows.filter(**{by: OuterRef(outer)}).order_by().values(by).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def withdrawals(today: date) -> Withdrawals:
    since = timezone.make_aware(datetime.combine(today - WINDOW, time.min))
    left = Volunteer.objects.filter(stage=Stage.WITHDRAWN, withdrawn_at__gte=since)
    recent = list(
        left.select_related("user")
        .annotate(
            ended_mentorships=_count(
                Mentorship.objects.filter(end_reason=Mentorship.EndReason.VOLUNTEER_WITHDREW),
                "pk",
                "volunteer",
            ),
            ended_places=_count(
                Registration.objects.filter(
                    cancel_reason=Registration.CancelReason.VOLUNTEER_WITHDREW
                ),
                "user_id",
                "user",
            ),
            ended_memberships=_count(
                Membership.objects.filter(end_reason=EndReason.VOLUNTEER_WITHDREW),
                "user_id",
                "user",
            ),
            ended_signups=_count(
                TaskSignup.objects.filter(cancel_reason=EndReason.VOLUNTEER_WITHDREW),
                "user_id",
                "user",
            ),
        )
        .order_by("-withdrawn_at", "-pk")[:SHOWN]
    )
    still_open = Mentorship.objects.filter(newcomer=OuterRef("newcomer")).exclude(
        state=Mentorship.State.ENDED
    )
    # Newcomers whose mentorship a withdrawal ended and who still wait for someone new.
    waiting = (
        Mentorship.objects.filter(
            end_reason=Mentorship.EndReason.VOLUNTEER_WITHDREW,
            volunteer__in=left,
            newcomer__closed_at__isnull=True,
        )
        .exclude(Exists(still_open))
        .select_related("newcomer")
        .order_by("newcomer__waiting_since", "pk")
    )
    by_volunteer: dict[int, list[Newcomer]] = defaultdict(list)
    newcomers = set()
    for mentorship in waiting:
        by_volunteer[mentorship.volunteer_id].append(mentorship.newcomer)
        newcomers.add(mentorship.newcomer_id)
    return Withdrawals(
        withdrew=Figure(_("Volunteers who withdrew in the last 30 days"), left.count()),
        back_in_queue=Figure(
            _("Newcomers back in the matching queue because their volunteer withdrew"),
            len(newcomers),
        ),
        recent=[
            RecentWithdrawal(
                volunteer=volunteer,
                mentorships=volunteer.ended_mentorships,
                training_places=volunteer.ended_places,
                memberships=volunteer.ended_memberships,
                task_signups=volunteer.ended_signups,
                back_in_queue=by_volunteer[volunteer.pk],
            )
            for volunteer in recent
        ],
    )
