"""Accompaniment: asking volunteers regularly how their mentorship goes, and flagging trouble."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.tokens import hash_token, new_token
from matching.mails import mail_the_volunteer, portal_link
from matching.models import CheckIn, Mentorship

EVERY = timedelta(weeks=4)
# A check-in counts as missed when it is still unanswered this long after it was sent.
MISSED_AFTER = timedelta(days=14)


class CheckInError(Exception):
    """A link that is unknown or already used; the message says so to the volunteer."""


def due_mentorships(today: date) -> list[Mentorship]:
    """Active mentorships whose last check-in (or start) is at least four weeks ago."""
    return list(
        Mentorship.objects.filter(state=Mentorship.State.ACTIVE)
        .annotate(last_asked=Max("checkins__due_on"))
        .filter(
            Q(last_asked__lte=today - EVERY)
            | Q(last_asked__isnull=True, state_changed_at__date__lte=today - EVERY)
        )
        .select_related("volunteer__user", "newcomer")
    )


def send_check_ins(today: date) -> int:
    sent = 0
    for mentorship in due_mentorships(today):
        with transaction.atomic():
            _ask(mentorship, today)
        sent += 1
    return sent


def _ask(mentorship: Mentorship, today: date) -> None:
    token, token_hash = new_token()
    check_in = CheckIn.objects.create(mentorship=mentorship, due_on=today, token_hash=token_hash)

    def links() -> dict:
        link = portal_link("matching:check_in", token)
        return {"links": [(answer, f"{link}?answer={answer}") for answer in CheckIn.Answer.values]}

    mail_the_volunteer(
        mentorship,
        occasion="matching/check_in",
        idempotency_key=f"check-in:{check_in.pk}",
        context=dict,
        secret_context=links,
    )


def flag_missed(today: date) -> int:
    """Flags active mentorships whose two latest check-ins both went unanswered."""
    flagged = 0
    candidates = (
        Mentorship.objects.filter(state=Mentorship.State.ACTIVE, flag="")
        .filter(checkins__answered_at__isnull=True, checkins__due_on__lte=today - MISSED_AFTER)
        .distinct()
    )
    for mentorship in candidates:
        latest = list(mentorship.checkins.order_by("-due_on", "-pk")[:2])
        if len(latest) == 2 and all(
            c.answered_at is None and c.due_on <= today - MISSED_AFTER for c in latest
        ):
            Mentorship.objects.filter(pk=mentorship.pk, flag="").update(
                flag=Mentorship.Flag.CHECK_INS_MISSED
            )
            flagged += 1
    return flagged


def check_in_for(token: str) -> CheckIn:
    """The check-in behind a link while its mentorship goes on: once it has ended (the
    volunteer withdrew, or a coordinator ended it), an old link records nothing and flags
    nothing."""
    check_in = (
        CheckIn.objects.filter(token_hash=hash_token(token))
        .select_related("mentorship__newcomer", "mentorship__volunteer__user")
        .first()
    )
    if check_in is None:
        raise CheckInError(_("This link is not valid. Please use the link from the latest e-mail."))
    if check_in.mentorship.state == Mentorship.State.ENDED:
        raise CheckInError(_("This mentorship has ended, so this check-in is closed. Thank you!"))
    return check_in


def open_check_in(token: str) -> CheckIn:
    """The check-in behind a link, as long as it still waits for an answer."""
    check_in = check_in_for(token)
    if check_in.answered_at is not None:
        raise CheckInError(_("You have already answered this check-in. Thank you!"))
    return check_in


@transaction.atomic
def answer_check_in(token: str, answer: str, note: str) -> CheckIn:
    if answer not in CheckIn.Answer.values:
        raise ValueError(answer)
    # Locked and checked again: a double click must not record two answers.
    check_in = CheckIn.objects.select_for_update().get(pk=check_in_for(token).pk)
    if check_in.answered_at is not None:
        raise CheckInError(_("You have already answered this check-in. Thank you!"))
    check_in.answer = answer
    check_in.note = note
    check_in.answered_at = timezone.now()
    check_in.save(update_fields=["answer", "note", "answered_at"])
    mentorship = check_in.mentorship
    if answer == CheckIn.Answer.NEED_HELP:
        mentorship.flag = Mentorship.Flag.NEEDS_HELP
    elif mentorship.flag == Mentorship.Flag.CHECK_INS_MISSED:
        # The volunteer is back in touch; "need help" stays until a coordinator clears it.
        mentorship.flag = ""
    mentorship.save(update_fields=["flag"])
    return check_in


def clear_flag(mentorship: Mentorship) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(flag="")
