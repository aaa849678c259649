from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet

from ankommen.accounts.models import User
from ankommen.messaging.services import is_reachable
from matching.loader import open_mentorships
from matching.models import Leftover, MatchingRun, MatchingWeights, Mentorship, Proposal
from matching.scoring import CRITERIA
from refugees.models import Newcomer, NewcomerLanguage
from refugees.selectors import prefetch_contact_consent
from volunteers.filters import CardFileFilter
from volunteers.models import LanguageSkill, Volunteer

RECENT_RUNS = 20
# The last changes of the weights shown on their page.
WEIGHTS_HISTORY = 10
FLAGGED = "flagged"
# Mentorships that came about: introduced or further, ended ones included.
STARTED = "started"


def recent_runs() -> QuerySet[MatchingRun]:
    return MatchingRun.objects.select_related("started_by")[:RECENT_RUNS]


@dataclass(frozen=True)
class WeightsChange:
    """One saving of the weights: who, when, the values, and which differ from before."""

    row: MatchingWeights
    changed: frozenset[str]


def weights_history(limit: int = WEIGHTS_HISTORY) -> list[WeightsChange]:
    """The newest savings first, in one query; the first ever is compared with the defaults."""
    rows = list(MatchingWeights.objects.select_related("changed_by")[: limit + 1])
    shown = rows[:limit]
    before = [*rows[1:], MatchingWeights()][: len(shown)]
    return [
        WeightsChange(
            row=row,
            changed=frozenset(
                name for name in CRITERIA if getattr(row, name) != getattr(older, name)
            ),
        )
        for row, older in zip(shown, before, strict=True)
    ]


def run_proposals(run: MatchingRun) -> QuerySet[Proposal]:
    return run.proposals.select_related(
        "volunteer__user", "volunteer__district", "newcomer__district"
    )


def run_leftovers(run: MatchingRun) -> QuerySet[Leftover]:
    return run.leftovers.select_related("newcomer__district").order_by(
        "newcomer__waiting_since", "pk"
    )


def runner_up_volunteers(proposals: list[Proposal]) -> dict[int, Volunteer]:
    wanted = {pk for proposal in proposals for pk in proposal.runner_ups}
    # Only what the page shows of them: a name and a link.
    return (
        Volunteer.objects.select_related("user")
        .only("pk", "user__full_name", "user__preferred_name", "user__email")
        .in_bulk(wanted)
    )


def mentorships_of(user: User) -> QuerySet[Mentorship]:
    """A volunteer's own mentorships once they were introduced; never anyone else's."""
    return (
        Mentorship.objects.filter(volunteer__user=user)
        .exclude(state=Mentorship.State.PROPOSED)
        .select_related("newcomer__district", "language_mediator__user")
        .order_by("state", "-created_at")
    )


def my_mentorship(user: User) -> QuerySet[Mentorship]:
    """One of the volunteer's mentorships with what its page shows of the newcomer: their
    languages and whether they agreed to hand their contacts over (two queries in all)."""
    return mentorships_of(user).prefetch_related(
        Prefetch(
            "newcomer__languages",
            queryset=NewcomerLanguage.objects.select_related("language").order_by(
                "language__name_en"
            ),
        ),
        prefetch_contact_consent("newcomer__"),
    )


def mentorship_list(state: str = "") -> QuerySet[Mentorship]:
    """Flagged ones first: they need a coordinator now."""
    mentorships = Mentorship.objects.select_related(
        "volunteer__user", "newcomer__district"
    ).order_by(F("flag").desc(), "-state_changed_at", "-pk")
    if state == FLAGGED:
        mentorships = mentorships.exclude(flag="")
    elif state == STARTED:
        mentorships = mentorships.exclude(state=Mentorship.State.PROPOSED)
    elif state in Mentorship.State.values:
        mentorships = mentorships.filter(state=state)
    return mentorships


def mentorship_with_people() -> QuerySet[Mentorship]:
    return Mentorship.objects.select_related(
        "volunteer__user", "newcomer__district", "language_mediator__user", "matched_by"
    )


def open_mentorship_of(newcomer: Newcomer) -> Mentorship | None:
    return (
        Mentorship.objects.filter(open_mentorships(), newcomer=newcomer)
        .select_related("volunteer__user")
        .first()
    )


def pairing_candidates() -> QuerySet[Volunteer]:
    """Everyone who has not withdrawn, with what the pair list shows of them."""
    return (
        Volunteer.objects.filter(withdrawn_at__isnull=True)
        .select_related("user", "district")
        .prefetch_related(
            Prefetch("languages", queryset=LanguageSkill.objects.select_related("language"))
        )
    )


def search_volunteers(query: str) -> QuerySet[Volunteer]:
    """The card file's own search, over everyone who has not withdrawn."""
    volunteers = pairing_candidates()
    found: QuerySet[Volunteer] = CardFileFilter({"q": query}, queryset=volunteers).qs
    return found.order_by("user__full_name", "pk")


@dataclass(frozen=True)
class Ending:
    """What ending a mentorship sets off, for the coordinator to read before it happens."""

    # The volunteer gets an e-mail asking how it went (when an address can reach them).
    volunteer_is_told: bool
    # Check-in links already sent and not answered: they stop working.
    unanswered_check_ins: int


def ending_of(mentorship: Mentorship) -> Ending:
    return Ending(
        volunteer_is_told=is_reachable(mentorship.volunteer.user),
        unanswered_check_ins=mentorship.checkins.filter(answered_at__isnull=True).count(),
    )
