"""Demo matching: one finished run over the demo city, a few of its proposals accepted, one
pair with its agreement, one ended with feedback from both sides."""

from datetime import timedelta

from django.utils import timezone

from ankommen.operations.demo import DemoContext, register_seeder
from matching.engine import execute_run
from matching.models import ClosingFeedback, MatchingRun, Mentorship
from matching.services import accept_proposal, current_weights

ACCEPTED = 5


@register_seeder("matching", order=50)
def seed_matching(context: DemoContext) -> dict[str, int]:
    run = execute_run(MatchingRun.objects.create(weights=current_weights()))
    today = timezone.localdate()
    accepted = 0
    for proposal in run.proposals.order_by("-score")[:ACCEPTED]:
        mentorship = accept_proposal(proposal, user=None)
        # Some pairs have already met, so volunteers and newcomers see their contact.
        if accepted % 2 == 0:
            Mentorship.objects.filter(pk=mentorship.pk).update(
                state=Mentorship.State.ACTIVE,
                first_meeting_on=today - timedelta(weeks=6),
                first_meeting_place="Stadtteilzentrum",
                goals="Deutsch im Alltag üben, Wohnungssuche",
                meeting_frequency=Mentorship.Frequency.WEEKLY,
                agreed_on=today - timedelta(weeks=5),
            )
        elif accepted == ACCEPTED - 1:
            _ended_with_feedback(mentorship)
        accepted += 1
    return {
        "matching runs": 1,
        "proposals": run.proposals_made,
        "mentorships": accepted,
        "unmatched newcomers": sum(run.unmatched_by_reason.values()),
    }


def _ended_with_feedback(mentorship: Mentorship) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(
        state=Mentorship.State.ENDED, end_reason=Mentorship.EndReason.GOAL_REACHED
    )
    ClosingFeedback.objects.bulk_create(
        [
            ClosingFeedback(
                mentorship=mentorship,
                side=ClosingFeedback.Side.VOLUNTEER,
                rating=ClosingFeedback.Rating.GOOD,
                comment="Die Familie hat eine Wohnung gefunden.",
            ),
            ClosingFeedback(
                mentorship=mentorship,
                side=ClosingFeedback.Side.NEWCOMER,
                rating=ClosingFeedback.Rating.GOOD,
            ),
        ]
    )
