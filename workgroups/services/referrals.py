"""Referrals: a coordinator hands a newcomer over to a partner's offer with the newcomer's
consent, the partner answers (accept with an optional appointment, decline with a reason,
report the outcome), and the consent can be withdrawn at any time.

The partner's moves are a small state machine (`PARTNER_MOVES`) run under a row lock; a move
the machine does not allow is refused with a message. Coordinators may set any outcome (they
record what a partner without an account told them, and correct mistakes), but nobody changes
a referral whose consent was withdrawn. Whoever referred hears of each partner answer by
e-mail, or every coordinator when that person is gone."""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role, User
from ankommen.audit import services as audit
from ankommen.messaging.services import notify
from refugees.models import Newcomer
from workgroups.hooks import REFERRAL_HANDOVER
from workgroups.models import Offer, Referral
from workgroups.selectors import available_offers
from workgroups.services.groups import WorkgroupError

Outcome = Referral.Outcome
Contact = Referral.SharedContact

# What a partner may do from each state: accept, decline, or report how it went.
PARTNER_MOVES: dict[str, frozenset[str]] = {
    Outcome.WAITING: frozenset({Outcome.ACCEPTED, Outcome.DECLINED}),
    Outcome.ACCEPTED: frozenset(
        {Outcome.ACCEPTED, Outcome.DECLINED, Outcome.DONE, Outcome.NO_SHOW}
    ),
    Outcome.DONE: frozenset(),
    Outcome.DECLINED: frozenset(),
    Outcome.NO_SHOW: frozenset(),
}


def refer_newcomer(
    *,
    newcomer: Newcomer,
    offer: Offer,
    consent_on: date | None,
    consent_language: str,
    by: User,
    need_summary: str = "",
    shared_contact: str = Contact.NONE,
) -> Referral:
    """Personal data go to a partner only with the newcomer's consent to this hand-over: the
    first name and languages, the need in plain words, and the one contact agreed on."""
    if consent_on is None:
        raise WorkgroupError(_("A referral needs the newcomer's consent to this hand-over."))
    if consent_on > timezone.localdate():
        raise WorkgroupError(_("The date of consent cannot be in the future."))
    if shared_contact not in Contact.values:
        raise WorkgroupError(_("Please choose which contact the partner may have."))
    if shared_contact == Contact.PHONE and not newcomer.phone:
        raise WorkgroupError(_("The newcomer's record has no phone number to share."))
    if shared_contact == Contact.EMAIL and not newcomer.email:
        raise WorkgroupError(_("The newcomer's record has no e-mail address to share."))
    if not available_offers().filter(pk=offer.pk).exists():
        raise WorkgroupError(_("This offer is no longer available: it or its partner is retired."))
    with transaction.atomic(), audit.recorded_by(by) as trail:
        referral = Referral.objects.create(
            newcomer=newcomer,
            offer=offer,
            consent_on=consent_on,
            consent_language=consent_language,
            need_summary=need_summary.strip(),
            shared_contact=shared_contact,
            referred_by=by,
        )
        trail.created(referral)
        transaction.on_commit(lambda: _tell_partner(referral, "made"))
    return referral


def set_referral_outcome(
    *, referral: Referral, outcome: str, note: str = "", by: User | None = None
) -> Referral:
    """A coordinator records the outcome (a partner without an account told them, or a
    correction); a referral whose consent was withdrawn stays as it is."""
    if outcome not in Outcome.values:
        raise WorkgroupError(_("Please choose a valid outcome."))
    with transaction.atomic(), audit.recorded_by(by) as trail:
        referral = _locked(referral)
        if referral.is_withdrawn:
            raise WorkgroupError(_("The newcomer withdrew consent to this referral."))
        if referral.outcome != outcome:
            trail.assign(referral, outcome=outcome, outcome_changed_at=timezone.now())
        trail.assign(referral, note=note or referral.note)
        referral.save()
    return referral


def accept_referral(
    *,
    referral: Referral,
    by: User,
    appointment_at: datetime | None = None,
    appointment_place: str = "",
) -> Referral:
    """The partner takes the newcomer on, with an appointment the newcomer then sees in their
    own view; accepting again changes the appointment."""
    if appointment_place.strip() and appointment_at is None:
        raise WorkgroupError(_("Please give the date and time of the appointment too."))
    if appointment_at is not None and appointment_at <= timezone.now():
        raise WorkgroupError(_("The appointment must be in the future."))
    return _partner_move(
        referral,
        Outcome.ACCEPTED,
        by=by,
        appointment_at=appointment_at,
        appointment_place=appointment_place.strip() if appointment_at else "",
    )


def decline_referral(*, referral: Referral, by: User, reason: str) -> Referral:
    """A partner who cannot help says why, so the coordinator can look elsewhere."""
    if not reason.strip():
        raise WorkgroupError(_("Please say why you decline, so the coordinator can find help."))
    return _partner_move(
        referral,
        Outcome.DECLINED,
        by=by,
        decline_reason=reason.strip(),
        appointment_at=None,
        appointment_place="",
    )


def report_referral_outcome(
    *, referral: Referral, by: User, outcome: str, note: str = ""
) -> Referral:
    """After an accepted referral: it is done (with a short note), or the newcomer did not
    come."""
    if outcome not in (Outcome.DONE, Outcome.NO_SHOW):
        raise WorkgroupError(_("Please choose how it went."))
    return _partner_move(referral, outcome, by=by, outcome_note=note.strip())


def withdraw_referral_consent(*, referral: Referral, by: User) -> Referral:
    """The newcomer withdrew consent to this hand-over: from now on the partner sees nothing
    of it, and its people hear only that a referral was withdrawn."""
    with transaction.atomic(), audit.recorded_by(by) as trail:
        referral = _locked(referral)
        if referral.is_withdrawn:
            return referral
        trail.assign(referral, consent_withdrawn_at=timezone.now(), consent_withdrawn_by=by)
        referral.save()
        transaction.on_commit(lambda: _tell_partner(referral, "withdrawn"))
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("offer__partner", "referred_by")
        .get(pk=referral.pk)
    )


def _partner_move(referral: Referral, outcome: str, *, by: User, **fields: object) -> Referral:
    with transaction.atomic(), audit.recorded_by(by) as trail:
        referral = _locked(referral)
        if referral.is_withdrawn:
            raise WorkgroupError(_("This referral was withdrawn."))
        if outcome not in PARTNER_MOVES[referral.outcome]:
            raise WorkgroupError(
                _("This referral is already “%(state)s”: that answer is no longer possible.")
                % {"state": referral.get_outcome_display()}
            )
        trail.assign(
            referral,
            outcome=outcome,
            answered_by=by,
            outcome_changed_at=timezone.now(),
            **fields,
        )
        referral.save()
        transaction.on_commit(lambda: _tell_coordinators(referral))
    return referral


def coordinators_to_tell(referral: Referral) -> list[User]:
    """Who referred, while they are an active coordinator; otherwise every coordinator."""
    referrer = referral.referred_by
    if referrer is not None and referrer.is_active and referrer.role == Role.COORDINATOR:
        return [referrer]
    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk"))


def _tell_coordinators(referral: Referral) -> None:
    """No name in the mail: the referrals page shows who it is."""
    context = {
        "offer": referral.offer.title,
        "partner": referral.offer.partner.name,
        "outcome": referral.outcome,
        "reason": referral.decline_reason if referral.outcome == Outcome.DECLINED else "",
        "note": referral.outcome_note,
        "appointment_at": timezone.localtime(referral.appointment_at).isoformat()
        if referral.appointment_at
        else "",
        "appointment_place": referral.appointment_place,
        "url": settings.PORTAL_URL + reverse("workgroups:referrals"),
    }
    stamp = referral.outcome_changed_at.isoformat() if referral.outcome_changed_at else ""
    for coordinator in coordinators_to_tell(referral):
        notify(
            coordinator,
            occasion="workgroups/referral_answered",
            context=context,
            key=f"referral-answered:{referral.pk}:{referral.outcome}:{stamp}:{coordinator.pk}",
            about=(referral.newcomer,),
        )


def _tell_partner(referral: Referral, event: str) -> None:
    for provider in REFERRAL_HANDOVER.providers():
        provider(referral, event)
