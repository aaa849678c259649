"""Running the engine and acting on its proposals: the matching app's business rules."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.audit import services as audit
from matching.lifecycle import allowed_moves
from matching.loader import Scope, open_mentorships
from matching.mails import mail_the_volunteer, portal_link
from matching.models import (
    ClosingFeedback,
    MatchingRun,
    MatchingWeights,
    Mentorship,
    Proposal,
    Rejection,
)
from matching.pairs import check_pairs
from matching.scoring import CRITERIA
from matching.tasks import run_matching_task
from refugees.models import Newcomer
from refugees.selectors import shared_contacts
from volunteers.models import Volunteer

OPEN = open_mentorships()


def current_weights() -> dict[str, int]:
    latest = MatchingWeights.objects.first()
    return (latest or MatchingWeights()).as_dict()


class WeightsError(Exception):
    """The weights were refused; the message says which and why."""


@transaction.atomic
def set_weights(*, weights: dict[str, int], by: User) -> MatchingWeights:
    """A new row, so that every run keeps the weights it was made with and the log shows who
    changed them. The model's validation holds the bounds for every path (0 to MAX_WEIGHT each,
    one above 0); the database checks the upper bound once more."""
    if set(weights) != set(CRITERIA):
        raise WeightsError(
            _("Please give a weight for each criterion: %(criteria)s.")
            % {"criteria": ", ".join(CRITERIA)}
        )
    row = MatchingWeights(changed_by=by, **weights)
    try:
        row.full_clean(exclude=["changed_by"])
    except ValidationError as error:
        raise WeightsError(_weights_message(error)) from error
    with audit.recorded_by(by) as trail:
        row.save()
        trail.created(row)
    return row


def _weights_message(error: ValidationError) -> str:
    """Each refused weight by its name, so the message says which one to change."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, errors in error.error_dict.items():
        messages = " ".join(message for item in errors for message in item.messages)
        if name in CRITERIA:
            field = MatchingWeights._meta.get_field(name)
            label = getattr(field, "verbose_name", name)
            parts.append(f"{capfirst(label)}: {messages}")
        else:
            parts.append(messages)
    return " ".join(parts)


def start_run(*, scope: Scope, by: User | None) -> MatchingRun:
    """Record the run and queue it; the browser follows its progress."""
    run = MatchingRun.objects.create(
        started_by=by, weights=current_weights(), scope=scope.as_dict()
    )
    run_matching_task.delay_on_commit(run_id=run.pk)
    return run


class MatchRefusedError(Exception):
    """A proposal that can no longer be acted on; the message says why, for the coordinator."""


class OverrideNeededError(MatchRefusedError):
    """A manual pair breaks hard rules: the coordinator may go ahead only with a reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            _("This pair breaks a rule. %(problems)s Give a reason to match them anyway.")
            % {"problems": " ".join(problems)}
        )
        self.problems = problems


def _open_proposal(proposal: Proposal, *, lock: bool = True) -> Proposal:
    proposals = Proposal.objects.select_for_update() if lock else Proposal.objects
    proposal = proposals.get(pk=proposal.pk)
    if proposal.state == Proposal.State.WITHDRAWN:
        raise MatchRefusedError(_("The volunteer has left, so this proposal no longer stands."))
    if proposal.state != Proposal.State.PROPOSED:
        raise MatchRefusedError(_("Someone has already decided on this proposal."))
    return proposal


def _lock_pair(volunteer_id: int, newcomer_id: int) -> tuple[Volunteer, Newcomer]:
    """Both rows locked, the volunteer first everywhere a pair is made, so two coordinators
    cannot give the same place or the same newcomer twice, nor wait on each other forever."""
    volunteer = Volunteer.objects.select_for_update().filter(pk=volunteer_id).first()
    if volunteer is None:
        # A runner-up is kept by id only and may have been deleted since the run.
        raise MatchRefusedError(_("This volunteer is no longer in the portal."))
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer_id)
    if newcomer.closed_at is not None:
        raise MatchRefusedError(_("This newcomer's record is closed."))
    if Mentorship.objects.filter(OPEN, newcomer=newcomer).exists():
        raise MatchRefusedError(_("This newcomer already has a mentorship."))
    return volunteer, newcomer


@transaction.atomic
def accept_proposal(
    *, proposal: Proposal, by: User | None, runner_up_id: int | None = None
) -> Mentorship:
    """The pair (or the newcomer with one of the runners-up) becomes a mentorship only if every
    hard rule still holds now: runs can be days old, and meanwhile a volunteer may have paused,
    withdrawn, lost their clearance or their free place."""
    # The volunteer's row is locked before the proposal's, as a withdrawal locks them, so that
    # accepting and withdrawing at the same moment never wait on each other.
    proposal = _open_proposal(proposal, lock=False)
    chosen = proposal.volunteer_id
    if runner_up_id is not None:
        if runner_up_id not in proposal.runner_ups:
            raise MatchRefusedError(_("This volunteer is not among the runners-up."))
        chosen = runner_up_id
    volunteer, newcomer = _lock_pair(chosen, proposal.newcomer_id)
    proposal = _open_proposal(proposal)
    [check] = check_pairs(newcomer, [volunteer], current_weights(), timezone.localdate())
    if check.problems:
        raise MatchRefusedError(
            _("This pair can no longer be matched. %(problems)s")
            % {"problems": " ".join(check.problems)}
        )
    mentorship = Mentorship.objects.create(volunteer=volunteer, newcomer=newcomer)
    proposal.state = Proposal.State.ACCEPTED
    proposal.save(update_fields=["state"])
    return mentorship


@transaction.atomic
def match_manually(
    *,
    newcomer: Newcomer,
    volunteer: Volunteer,
    by: User,
    override_reason: str = "",
    mediator: Volunteer | None = None,
) -> Mentorship:
    """A pair a coordinator chose: the engine's hard rules apply, but a coordinator who knows
    better may override them, and the reason stays on the record."""
    volunteer, newcomer = _lock_pair(volunteer.pk, newcomer.pk)
    if mediator is not None and mediator.pk == volunteer.pk:
        raise MatchRefusedError(_("The language mediator must be someone else."))
    check = check_pairs(
        newcomer, [volunteer], current_weights(), timezone.localdate(), mediator=mediator
    )[0]
    override_reason = override_reason.strip()
    if check.problems and not override_reason:
        raise OverrideNeededError(check.problems)
    return Mentorship.objects.create(
        volunteer=volunteer,
        newcomer=newcomer,
        language_mediator=mediator,
        matched_by=by,
        override_reason=override_reason if check.problems else "",
    )


@transaction.atomic
def reject_proposal(*, proposal: Proposal, by: User, reason: str) -> Rejection:
    """Turned down with a reason; no later run proposes this pair again."""
    proposal = _open_proposal(proposal)
    proposal.state = Proposal.State.REJECTED
    proposal.save(update_fields=["state"])
    rejection, _created = Rejection.objects.get_or_create(
        volunteer_id=proposal.volunteer_id,
        newcomer_id=proposal.newcomer_id,
        defaults={"reason": reason, "rejected_by": by},
    )
    return rejection


@transaction.atomic
def move_mentorship(
    *,
    mentorship: Mentorship,
    to_state: str,
    first_meeting_on: date | None = None,
    first_meeting_place: str = "",
    end_reason: str = "",
) -> Mentorship:
    """Refuses moves the lifecycle does not allow, and the facts each move needs."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if to_state not in allowed_moves(mentorship.state):
        raise MatchRefusedError(
            _("A mentorship cannot go from “%(from)s” to “%(to)s”.")
            % {"from": mentorship.get_state_display(), "to": Mentorship.State(to_state).label}
        )
    if to_state == Mentorship.State.INTRODUCED and first_meeting_on is None:
        raise MatchRefusedError(_("Please give the date of the first meeting."))
    if to_state == Mentorship.State.ENDED and end_reason not in Mentorship.EndReason.values:
        raise MatchRefusedError(_("Please say why the mentorship ended."))
    mentorship.state = to_state
    mentorship.state_changed_at = timezone.now()
    if first_meeting_on is not None:
        mentorship.first_meeting_on = first_meeting_on
    if first_meeting_place:
        mentorship.first_meeting_place = first_meeting_place
    if to_state == Mentorship.State.ENDED:
        mentorship.end_reason = end_reason
    mentorship.save()
    if to_state == Mentorship.State.INTRODUCED:
        _tell_volunteer(mentorship)
    if to_state == Mentorship.State.ENDED:
        _ask_volunteer_for_feedback(mentorship)
    return mentorship


def record_agreement(
    *, mentorship: Mentorship, goals: str, meeting_frequency: str, agreed_on: date
) -> Mentorship:
    """What the pair agreed at the start; it can be updated while the mentorship lasts."""
    if mentorship.state == Mentorship.State.ENDED:
        raise MatchRefusedError(_("This mentorship has ended."))
    mentorship.goals = goals
    mentorship.meeting_frequency = meeting_frequency
    mentorship.agreed_on = agreed_on
    mentorship.save(update_fields=["goals", "meeting_frequency", "agreed_on"])
    return mentorship


def give_feedback(
    *, mentorship: Mentorship, side: str, rating: str, comment: str = ""
) -> ClosingFeedback:
    """Once per side, and only after the end: the answer is kept as first given."""
    if mentorship.state != Mentorship.State.ENDED:
        raise MatchRefusedError(_("Feedback can be given once the mentorship has ended."))
    feedback, created = ClosingFeedback.objects.get_or_create(
        mentorship=mentorship, side=side, defaults={"rating": rating, "comment": comment}
    )
    if not created:
        raise MatchRefusedError(_("Thank you, your feedback was already recorded."))
    return feedback


def _ask_volunteer_for_feedback(mentorship: Mentorship) -> None:
    mail_the_volunteer(
        mentorship,
        occasion="matching/ended",
        idempotency_key=f"mentorship-ended:{mentorship.pk}",
        context=lambda: {"url": portal_link("matching:my_mentorship", mentorship.pk)},
    )


def _tell_volunteer(mentorship: Mentorship) -> None:
    """The volunteer learns who they accompany; contact details only as the newcomer allowed."""
    newcomer = mentorship.newcomer
    mediator = mentorship.language_mediator

    def facts() -> dict[str, str]:
        # An introduction always has its date: move_mentorship refuses one without.
        first_meeting = mentorship.first_meeting_on
        contacts = shared_contacts(newcomer)
        return {
            "district": str(newcomer.district) if newcomer.district else "",
            # A date, written in the volunteer's language when the mail is sent.
            "first_meeting": first_meeting.isoformat() if first_meeting else "",
            "place": mentorship.first_meeting_place,
            "mediator": mediator.user.display_name if mediator else "",
            "languages": ", ".join(
                f"{spoken.language} ({spoken.get_level_display()})"
                for spoken in newcomer.languages.select_related("language")
            ),
            "phone": contacts.phone,
            "email": contacts.email,
            "url": portal_link("matching:my_mentorships"),
        }

    mail_the_volunteer(
        mentorship,
        occasion="matching/introduced",
        idempotency_key=f"mentorship-introduced:{mentorship.pk}",
        context=facts,
    )
