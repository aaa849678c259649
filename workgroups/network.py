"""Services for the network: language-mediator requests (partners, offers, needs and events
are in workgroups.services; referrals in workgroups.services.referrals, re-exported here)."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import User
from ankommen.messaging.services import DueReminder, notify
from volunteers.availability import PARTS, slot
from volunteers.models import LanguageLevel, Volunteer
from volunteers.schedule import busy_among
from volunteers.stages import ACCOMPANYING_STAGES
from workgroups.models import MediatorRequest
from workgroups.models.groups import EndReason
from workgroups.services import WorkgroupError
from workgroups.services.referrals import (
    accept_referral,
    decline_referral,
    refer_newcomer,
    report_referral_outcome,
    set_referral_outcome,
    withdraw_referral_consent,
)

__all__ = [
    "accept_referral",
    "decline_referral",
    "refer_newcomer",
    "report_referral_outcome",
    "set_referral_outcome",
    "withdraw_referral_consent",
]

SPEAKS_WELL = [LanguageLevel.NATIVE, LanguageLevel.FLUENT, LanguageLevel.CONVERSATIONAL]


def _time_slot(when: datetime) -> int:
    local = timezone.localtime(when)
    part = 0 if local.hour < 12 else 1 if local.hour < 17 else 2
    return slot(local.weekday(), min(part, len(PARTS) - 1))


def mediators_for(request: MediatorRequest) -> list[User]:
    """Volunteers who mediate, speak the language well, are usually free then, and not busy."""
    wanted_slot = 1 << _time_slot(request.starts_at)
    candidates = (
        Volunteer.objects.filter(
            wants_language_mediator=True,
            stage__in=ACCOMPANYING_STAGES,
            languages__language=request.language,
            languages__level__in=SPEAKS_WELL,
        )
        .select_related("user")
        .distinct()
    )
    usually_free = [volunteer for volunteer in candidates if volunteer.availability & wanted_slot]
    busy = busy_among(
        [volunteer.user_id for volunteer in usually_free], request.starts_at, request.ends_at
    )
    return [volunteer.user for volunteer in usually_free if volunteer.user_id not in busy]


def _details(request: MediatorRequest, *, for_mediator: bool) -> dict[str, Any]:
    return {
        "language": str(request.language),
        "other_language": str(request.other_language),
        # Written in the reader's language when the mail is sent.
        "when": timezone.localtime(request.starts_at).isoformat(),
        "place": request.place,
        # A confidential topic stays between the requester and the mediator who accepted.
        "topic": request.topic if for_mediator or not request.is_confidential else "",
        "url": settings.PORTAL_URL + "/",
    }


@transaction.atomic
def request_mediator(*, by: User, **fields: Any) -> tuple[MediatorRequest, int]:
    """Create the request and offer it to every suitable mediator; returns how many."""
    if fields["ends_at"] <= fields["starts_at"]:
        raise WorkgroupError(_("The end must be after the start."))
    request = MediatorRequest.objects.create(requested_by=by, **fields)
    return request, _offer(request, key=f"mediator-wanted:{request.pk}")


def _offer(request: MediatorRequest, *, key: str) -> int:
    """Every suitable mediator hears of the request; returns how many."""
    offered = mediators_for(request)
    for mediator in offered:
        notify(
            mediator,
            occasion="workgroups/mediator_wanted",
            context=_details(request, for_mediator=False),
            key=f"{key}:{mediator.pk}",
            about=(request.newcomer,),
        )
    return len(offered)


@transaction.atomic
def reopen_mediations_for_withdrawal(*, mediator: User) -> None:
    """Appointments the mediator accepted and that are still to come look for someone else:
    the requester hears, and the other mediators are asked."""
    accepted = MediatorRequest.objects.select_for_update(of=("self",)).filter(
        state=MediatorRequest.State.ACCEPTED, mediator=mediator, starts_at__gt=timezone.now()
    )
    for request in accepted.select_related("language", "other_language", "requested_by"):
        request.state = MediatorRequest.State.OPEN
        request.mediator = None
        request.reopen_reason = EndReason.VOLUNTEER_WITHDREW
        request.save(update_fields=["state", "mediator", "reopen_reason"])
        offered = _offer(request, key=f"mediator-wanted:{request.pk}:after:{mediator.pk}")
        notify(
            request.requested_by,
            occasion="workgroups/mediator_withdrew",
            context={"offered": offered, **_details(request, for_mediator=True)},
            key=f"mediator-withdrew:{request.pk}:{mediator.pk}",
            about=(request.newcomer,),
        )


@transaction.atomic
def accept_mediation(*, request: MediatorRequest, mediator: User) -> MediatorRequest:
    """The first mediator to accept gets it; the row lock makes sure there is only one."""
    request = MediatorRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != MediatorRequest.State.OPEN:
        raise WorkgroupError(_("Someone else has already taken this request."))
    if mediator not in mediators_for(request):
        raise WorkgroupError(
            _("This request is for mediators who speak the language and are free.")
        )
    request.state = MediatorRequest.State.ACCEPTED
    request.mediator = mediator
    request.save(update_fields=["state", "mediator"])
    for person in {mediator, request.requested_by} - {None}:
        notify(
            person,
            occasion="workgroups/mediator_found",
            context={"mediator": mediator.display_name, **_details(request, for_mediator=True)},
            key=f"mediator-found:{request.pk}:{person.pk}",
            about=(request.newcomer, mediator, request.requested_by),
        )
    return request


def mediation_reminders(now: datetime) -> list[DueReminder]:
    """Mediator and requester hear once, within 24 hours of the appointment."""
    due = MediatorRequest.objects.filter(
        state=MediatorRequest.State.ACCEPTED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=24),
    ).select_related("mediator", "requested_by", "language", "other_language")
    return [
        DueReminder(
            person=person,
            occasion="workgroups/mediation_reminder",
            key=f"{request.pk}:{person.pk}:{request.starts_at.isoformat()}",
            context=_details(request, for_mediator=True),
            about=(request.newcomer, request.mediator, request.requested_by),
        )
        for request in due
        for person in {request.mediator, request.requested_by} - {None}
    ]
