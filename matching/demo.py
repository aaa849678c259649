"""Demo matching: one finished run over the demo city whose best proposals became mentorships
in every state, active pairs with their agreement and check-ins, ended pairs with feedback."""

import hashlib
import itertools
from datetime import timedelta

from django.utils import timezone

from ankommen.operations.demo import DemoContext, SizeOption, demo_seeder
from matching.engine import execute_run
from matching.models import CheckIn, ClosingFeedback, MatchingRun, Mentorship, Proposal
from matching.services import accept_proposal, current_weights
from refugees.models import Newcomer
from volunteers.models import Stage, Volunteer

# Accepted proposals take these states in turn, so even the smallest demo shows each of them.
STATES = ["active", "introduced", "active", "proposed", "ended"]
CHECK_IN_WEEKS = 4
BULK_FROM = 50
END_REASONS = {
    Mentorship.EndReason.GOAL_REACHED: 6,
    Mentorship.EndReason.MOVED_AWAY: 2,
    Mentorship.EndReason.NO_CONTACT: 2,
    Mentorship.EndReason.CONFLICT: 1,
    Mentorship.EndReason.OTHER: 1,
}


@demo_seeder(
    "matching",
    order=50,
    sizes=(SizeOption("mentorships", 5, "Best proposals accepted as mentorships"),),
)
def seed_matching(context: DemoContext) -> dict[str, int]:
    run = execute_run(MatchingRun.objects.create(weights=current_weights()))
    wanted = context.sizes["mentorships"]
    mentorships = _accepted(run, wanted)
    by_state: dict[str, list[Mentorship]] = {state: [] for state in STATES}
    for mentorship, state in zip(mentorships, itertools.cycle(STATES), strict=False):
        by_state[state].append(mentorship)
    Mentorship.objects.filter(pk__in=[m.pk for m in by_state["introduced"]]).update(
        state=Mentorship.State.INTRODUCED
    )
    check_ins = _active_with_check_ins(context, by_state["active"])
    # One run cannot pair everyone; a network of this size also has its earlier, ended pairs.
    earlier = _earlier_pairs(context, wanted - len(mentorships))
    _ended_with_feedback(context, by_state["ended"] + earlier)
    return {
        "matching runs": 1,
        "proposals": run.proposals_made,
        "mentorships": len(mentorships) + len(earlier),
        "check-ins": check_ins,
        "unmatched newcomers": sum(run.unmatched_by_reason.values()),
    }


def _accepted(run: MatchingRun, count: int) -> list[Mentorship]:
    """The best proposals, accepted. The few of a small demo go through the service; the
    thousands of a city in bulk, which is safe because a fresh run's proposals already respect
    every volunteer's free places and name each newcomer once."""
    proposals = list(run.proposals.order_by("-score", "pk")[:count])
    if len(proposals) <= BULK_FROM:
        return [accept_proposal(proposal=proposal, by=None) for proposal in proposals]
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(state=Proposal.State.ACCEPTED)
    return Mentorship.objects.bulk_create(
        [Mentorship(volunteer_id=p.volunteer_id, newcomer_id=p.newcomer_id) for p in proposals],
        batch_size=2000,
    )


def _earlier_pairs(context: DemoContext, count: int) -> list[Mentorship]:
    if count <= 0:
        return []
    volunteers = list(
        Volunteer.objects.filter(stage__in=[Stage.ACTIVE, Stage.PAUSED]).values_list(
            "pk", flat=True
        )
    )
    newcomers = list(Newcomer.objects.values_list("pk", flat=True))
    if not volunteers or not newcomers:
        return []
    rng = context.rng
    return Mentorship.objects.bulk_create(
        [
            Mentorship(
                volunteer_id=rng.choice(volunteers),
                newcomer_id=rng.choice(newcomers),
                state=Mentorship.State.ENDED,
            )
            for _ in range(count)
        ],
        batch_size=2000,
    )


def _active_with_check_ins(context: DemoContext, mentorships: list[Mentorship]) -> int:
    """Pairs who met some weeks ago, made their agreement and were asked every four weeks how
    it goes; the newest question is often still open, and a few asked for help."""
    today = timezone.localdate()
    now = timezone.now()
    rng = context.rng
    check_ins = []
    for mentorship in mentorships:
        weeks = rng.randint(2, 40)
        mentorship.state = Mentorship.State.ACTIVE
        mentorship.first_meeting_on = today - timedelta(weeks=weeks)
        mentorship.first_meeting_place = "Stadtteilzentrum"
        mentorship.goals = "Deutsch im Alltag üben, Wohnungssuche"
        mentorship.meeting_frequency = Mentorship.Frequency.WEEKLY
        mentorship.agreed_on = today - timedelta(weeks=max(weeks - 1, 0))
        for number in range(1, weeks // CHECK_IN_WEEKS + 1):
            latest = number == weeks // CHECK_IN_WEEKS
            answer = "" if latest and rng.random() < 0.4 else _answer(rng.random())
            due_on = mentorship.first_meeting_on + timedelta(weeks=CHECK_IN_WEEKS * number)
            check_ins.append(
                CheckIn(
                    mentorship=mentorship,
                    due_on=due_on,
                    # Demo links are never sent, so a hash of a known string cannot be misused.
                    token_hash=hashlib.sha256(
                        f"demo-check-in:{mentorship.pk}:{number}".encode()
                    ).hexdigest(),
                    answer=answer,
                    answered_at=now - timedelta(days=max((today - due_on).days - 1, 0))
                    if answer
                    else None,
                )
            )
            if answer == CheckIn.Answer.NEED_HELP:
                mentorship.flag = Mentorship.Flag.NEEDS_HELP
    Mentorship.objects.bulk_update(
        mentorships,
        [
            "state",
            "first_meeting_on",
            "first_meeting_place",
            "goals",
            "meeting_frequency",
            "agreed_on",
            "flag",
        ],
        batch_size=1000,
    )
    CheckIn.objects.bulk_create(check_ins, batch_size=5000)
    return len(check_ins)


def _answer(draw: float) -> str:
    if draw < 0.8:
        return CheckIn.Answer.GOOD
    return CheckIn.Answer.DIFFICULTIES if draw < 0.95 else CheckIn.Answer.NEED_HELP


def _ended_with_feedback(context: DemoContext, mentorships: list[Mentorship]) -> None:
    """Most pairs end because they reached their goal; both sides then said how it went."""
    reasons = {reason: [] for reason in END_REASONS}
    for number, mentorship in enumerate(mentorships):
        # The first is always a success story, so the smallest demo shows one.
        reason = Mentorship.EndReason.GOAL_REACHED if number == 0 else _end_reason(context)
        reasons[reason].append(mentorship)
    for reason, ended in reasons.items():
        Mentorship.objects.filter(pk__in=[m.pk for m in ended]).update(
            state=Mentorship.State.ENDED, end_reason=reason
        )
    ClosingFeedback.objects.bulk_create(
        [
            feedback
            for mentorship in reasons[Mentorship.EndReason.GOAL_REACHED]
            for feedback in (
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
            )
        ],
        batch_size=2000,
    )


def _end_reason(context: DemoContext) -> str:
    return context.rng.choices(list(END_REASONS), list(END_REASONS.values()))[0]
