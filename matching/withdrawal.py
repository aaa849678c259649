"""What a volunteer leaving or pausing does to their mentorships and proposals.

Withdrawal ends every open mentorship with the reason "the volunteer withdrew"; the newcomer
goes back to the matching queue as they were (their `waiting_since` is never touched, so the
time they waited still counts) and is told, in their language, without the volunteer's name.
Pausing pauses the active mentorships (check-ins ask only active ones); resuming resumes the
ones that paused with the volunteer, not those a coordinator paused.
"""

from django.db.models import Q
from django.utils import timezone

from ankommen.messaging.services import Contact, notify
from matching.models import Mentorship, Proposal
from volunteers.hooks import Withdrawal
from volunteers.models import Volunteer

OPEN = ~Q(state=Mentorship.State.ENDED)


def end_for_withdrawal(withdrawal: Withdrawal) -> None:
    """Runs inside the withdrawal's transaction, with the volunteer's row locked."""
    volunteer = withdrawal.volunteer
    mentorships = (
        Mentorship.objects.select_for_update(of=("self",))
        .filter(OPEN, volunteer=volunteer)
        .select_related("newcomer__user")
        .order_by("pk")
    )
    for mentorship in mentorships:
        mentorship.state = Mentorship.State.ENDED
        mentorship.end_reason = Mentorship.EndReason.VOLUNTEER_WITHDREW
        mentorship.state_changed_at = withdrawal.at
        mentorship.paused_with_volunteer = False
        mentorship.flag = ""
        mentorship.save()
        _tell_newcomer(mentorship)
    # Interpreting in other pairs ends too; the pair itself goes on.
    Mentorship.objects.filter(OPEN, language_mediator=volunteer).update(language_mediator=None)
    Proposal.objects.filter(volunteer=volunteer, state=Proposal.State.PROPOSED).update(
        state=Proposal.State.WITHDRAWN
    )


def _tell_newcomer(mentorship: Mentorship) -> None:
    """Most newcomers have no e-mail: their home page says the same (see integrations)."""
    newcomer = mentorship.newcomer
    account = newcomer.user
    # The newcomer's record, not their account, holds the language and the name they go by.
    person = Contact(
        email=(account.email if account else None) or newcomer.email,
        display_name=newcomer.first_name,
        preferred_language=newcomer.preferred_language,
        account=account,
    )
    notify(
        person,
        occasion="matching/volunteer_left",
        context={},
        key=f"mentorship-volunteer-left:{mentorship.pk}",
    )


def pause_with_volunteer(volunteer: Volunteer) -> None:
    Mentorship.objects.filter(volunteer=volunteer, state=Mentorship.State.ACTIVE).update(
        state=Mentorship.State.PAUSED, paused_with_volunteer=True, state_changed_at=timezone.now()
    )


def resume_with_volunteer(volunteer: Volunteer) -> None:
    Mentorship.objects.filter(
        volunteer=volunteer, state=Mentorship.State.PAUSED, paused_with_volunteer=True
    ).update(
        state=Mentorship.State.ACTIVE, paused_with_volunteer=False, state_changed_at=timezone.now()
    )
