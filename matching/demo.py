"""Demo matching: one finished run over the demo city, a few of its proposals accepted."""

from ankommen.operations.demo import DemoContext, register_seeder
from matching.engine import execute_run
from matching.models import MatchingRun, Mentorship
from matching.services import accept_proposal, current_weights

ACCEPTED = 5


@register_seeder("matching", order=50)
def seed_matching(context: DemoContext) -> dict[str, int]:
    run = execute_run(MatchingRun.objects.create(weights=current_weights()))
    accepted = 0
    for proposal in run.proposals.order_by("-score")[:ACCEPTED]:
        mentorship = accept_proposal(proposal, user=None)
        # Some pairs have already met, so volunteers and newcomers see their contact.
        if accepted % 2 == 0:
            Mentorship.objects.filter(pk=mentorship.pk).update(state=Mentorship.State.ACTIVE)
        accepted += 1
    return {
        "matching runs": 1,
        "proposals": run.proposals_made,
        "mentorships": accepted,
        "unmatched newcomers": sum(run.unmatched_by_reason.values()),
    }
