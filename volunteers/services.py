"""Every change to a volunteer goes through here: the journey, profile, hours and clearance."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role, User
from ankommen.accounts.services import invite_code_for
from ankommen.audit import services as audit
from ankommen.messaging.services import notify
from ankommen.vocabulary.models import District, Language, Theme
from volunteers.consent import CONSENT_VERSION, consent_text
from volunteers.hooks import PAUSE, RESUME, WITHDRAWAL, Withdrawal
from volunteers.models import (
    ClearanceCheck,
    CoordinatorNote,
    HoursEntry,
    LanguageSkill,
    Stage,
    StageChange,
    Volunteer,
    VolunteerConsent,
)
from volunteers.permissions import can_review_hours
from volunteers.stages import CLEARANCE_GUARDED, refusal

WIZARD_STEPS = 4  # after the consent: about you, languages, what you offer, availability


class VolunteerError(Exception):
    """A rule of the volunteer side refused the change; the message says why."""


class StageTransitionError(VolunteerError):
    pass


@transaction.atomic
def start_volunteering(*, user: User, language: str, ip: str | None) -> Volunteer:
    """No consent, no profile: the profile is created together with the consent record."""
    with audit.recorded_by(user) as trail:
        volunteer, created = Volunteer.objects.get_or_create(user=user)
        VolunteerConsent.objects.create(
            volunteer=volunteer,
            text_version=CONSENT_VERSION,
            text=consent_text(language),
            language=language,
            ip_address=ip,
        )
        if created:
            trail.created(volunteer)
            StageChange.objects.create(volunteer=volunteer, to_stage=Stage.APPLIED, changed_by=user)
            invite_code_for(user)  # every volunteer gets a personal invite link from the start
    record_activity(volunteer=volunteer)
    return volunteer


@transaction.atomic
def register_volunteer(
    *,
    user: User,
    by: User,
    phone: str = "",
    district: District | None = None,
    skills: Iterable[tuple[Language, str]] = (),
) -> Volunteer:
    """Someone a coordinator records (from a partner's list) starts the journey at "applied",
    as if they had signed up, with the coordinator as who moved them there."""
    with audit.recorded_by(by) as trail:
        volunteer = Volunteer.objects.create(user=user, phone=phone, district=district)
        trail.created(volunteer)
        StageChange.objects.create(volunteer=volunteer, to_stage=Stage.APPLIED, changed_by=by)
        LanguageSkill.objects.bulk_create(
            LanguageSkill(volunteer=volunteer, language=language, level=level)
            for language, level in skills
        )
    return volunteer


def has_current_consent(volunteer: Volunteer) -> bool:
    return volunteer.consents.filter(text_version=CONSENT_VERSION).exists()


def complete_wizard_step(*, volunteer: Volunteer, step: int, by: User) -> Volunteer:
    """Remember how far the wizard got, so that it can be resumed later."""
    with audit.recorded_by(by) as trail:
        trail.assign(volunteer, wizard_step=max(volunteer.wizard_step, step))
        fields = ["wizard_step", "updated_at"]
        if volunteer.wizard_step >= WIZARD_STEPS and volunteer.profile_completed_at is None:
            trail.assign(volunteer, profile_completed_at=timezone.now())
            fields.append("profile_completed_at")
        volunteer.save(update_fields=fields)
    record_activity(volunteer=volunteer)
    return volunteer


@transaction.atomic
def set_languages(*, volunteer: Volunteer, skills: Iterable[tuple[Language, str]]) -> None:
    chosen = {language.pk: (language, level) for language, level in skills}
    volunteer.languages.exclude(language_id__in=chosen).delete()
    for language, level in chosen.values():
        LanguageSkill.objects.update_or_create(
            volunteer=volunteer, language=language, defaults={"level": level}
        )


def record_activity(*, volunteer: Volunteer) -> None:
    Volunteer.objects.filter(pk=volunteer.pk).update(last_activity_at=timezone.now())


def _latest_valid_clearance(volunteer: Volunteer) -> ClearanceCheck | None:
    return volunteer.clearance_checks.filter(valid_until__gte=timezone.localdate()).first()


@transaction.atomic
def move_stage(
    *,
    volunteer: Volunteer,
    to_stage: str,
    by: User,
    reason: str = "",
    first_conversation_at: datetime | None = None,
) -> StageChange:
    """Move along the journey; illegal moves are refused with a message that says why."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    target = Stage(to_stage)
    if target == Stage.WITHDRAWN:
        return _withdraw(volunteer=volunteer, by=by, reason=reason)
    problem = refusal(
        volunteer=volunteer,
        to_stage=target,
        has_valid_clearance=target in CLEARANCE_GUARDED
        and _latest_valid_clearance(volunteer) is not None,
        first_conversation_at=first_conversation_at,
    )
    if problem is not None:
        raise StageTransitionError(problem)
    change = StageChange(
        volunteer=volunteer,
        from_stage=volunteer.stage,
        to_stage=target,
        changed_by=by,
        reason=reason,
    )
    values: dict[str, Any] = {"stage": target, "stage_changed_at": timezone.now()}
    if target == Stage.PAUSED:
        values["stage_before_pause"] = volunteer.stage
    if target == Stage.CONVERSATION_SCHEDULED:
        values["first_conversation_at"] = first_conversation_at
    with audit.recorded_by(by) as trail:
        trail.assign(volunteer, **values)
        volunteer.save()
        change.save()
        if target == Stage.PAUSED:
            for pause_with_volunteer in PAUSE.providers():
                pause_with_volunteer(volunteer)
    return change


@dataclass(frozen=True)
class BulkMove:
    moved: int
    # Who stayed where they were, and why; the summary page said so beforehand.
    refused: list[tuple[Volunteer, str]]


def move_stage_in_bulk(*, volunteers: Iterable[Volunteer], to_stage: str, by: User) -> BulkMove:
    """Each volunteer moves on their own, with every rule of a single move: one refused move
    (a stage changed since the summary) leaves the others moved."""
    moved, refused = 0, []
    for volunteer in volunteers:
        try:
            move_stage(volunteer=volunteer, to_stage=to_stage, by=by)
        except StageTransitionError as error:
            refused.append((volunteer, str(error)))
        else:
            moved += 1
    return BulkMove(moved=moved, refused=refused)


@transaction.atomic
def resume(*, volunteer: Volunteer, by: User) -> StageChange:
    """Back to where the volunteer was before the pause."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.stage != Stage.PAUSED:
        raise StageTransitionError(_("Only a paused volunteer can resume."))
    target = Stage(volunteer.stage_before_pause or Stage.APPLIED)
    with audit.recorded_by(by) as trail:
        change = StageChange.objects.create(
            volunteer=volunteer, from_stage=Stage.PAUSED, to_stage=target, changed_by=by
        )
        trail.assign(
            volunteer, stage=target, stage_before_pause="", stage_changed_at=timezone.now()
        )
        volunteer.save()
        for resume_with_volunteer in RESUME.providers():
            resume_with_volunteer(volunteer)
    return change


@transaction.atomic
def withdraw(*, volunteer: Volunteer, by: User, reason: str = "") -> StageChange:
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    return _withdraw(volunteer=volunteer, by=by, reason=reason)


def _withdraw(*, volunteer: Volunteer, by: User | None, reason: str) -> StageChange:
    """The right to withdraw at any stage: commitments end, coordinators hear, the clock starts.
    Without `by` (erasure) coordinators get no mail: it would carry the name being erased."""
    if volunteer.stage == Stage.WITHDRAWN:
        raise StageTransitionError(_("This volunteer has already withdrawn."))
    now = timezone.now()
    # An erasure withdraws without `by`: its entry is part of the erasure, by whoever erases.
    with audit.recorded_by(by) as trail:
        change = StageChange.objects.create(
            volunteer=volunteer,
            from_stage=volunteer.stage,
            to_stage=Stage.WITHDRAWN,
            changed_by=by,
            reason=reason,
        )
        trail.assign(
            volunteer,
            stage=Stage.WITHDRAWN,
            stage_before_pause="",
            stage_changed_at=now,
            withdrawn_at=now,
            withdrawal_reason=reason,
            retain_until=timezone.localdate(now) + settings.VOLUNTEER_RETENTION,
        )
        volunteer.save()
        _end_commitments(Withdrawal(volunteer=volunteer, by=by, reason=reason, at=now))
    if by is not None:
        _tell_coordinators_about_withdrawal(volunteer, by=by, reason=reason)
    return change


def _end_commitments(withdrawal: Withdrawal) -> None:
    """Every app ends what it holds; a required extension point, so none can be forgotten."""
    for end_commitments in WITHDRAWAL.providers():
        end_commitments(withdrawal)


@transaction.atomic
def withdraw_for_erasure(*, volunteer: Volunteer) -> None:
    """An erased volunteer can keep no commitment: who has not withdrawn withdraws now, and
    whatever is still open after an earlier withdrawal ends, through the same providers."""
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.stage != Stage.WITHDRAWN:
        _withdraw(volunteer=volunteer, by=None, reason="")
        return
    _end_commitments(Withdrawal(volunteer=volunteer, by=None, reason="", at=timezone.now()))


def _tell_coordinators_about_withdrawal(volunteer: Volunteer, *, by: User, reason: str) -> None:
    coordinators = User.objects.filter(
        role=Role.COORDINATOR, is_active=True, email__isnull=False
    ).only("pk", "email", "preferred_language", "full_name", "preferred_name")
    for coordinator in coordinators:
        notify(
            coordinator,
            occasion="volunteers/withdrawn",
            context={
                "volunteer_name": volunteer.user.full_name,
                "volunteer_url": settings.PORTAL_URL + volunteer.get_absolute_url(),
                "reason": reason,
                "by_self": by.pk == volunteer.user_id,
            },
            key=f"volunteer-withdrawn:{volunteer.pk}:{coordinator.pk}",
            about=(volunteer,),
        )


@transaction.atomic
def log_hours(
    *,
    volunteer: Volunteer,
    worked_on: date,
    hours: Decimal,
    theme: Theme | None,
    note: str,
) -> HoursEntry:
    if worked_on > timezone.localdate():
        raise VolunteerError(_("Hours can only be logged for days that have passed."))
    if worked_on < timezone.localdate() - timedelta(days=366):
        raise VolunteerError(_("Hours older than a year can no longer be logged."))
    entry = HoursEntry.objects.create(
        volunteer=volunteer,
        worked_on=worked_on,
        hours=hours,
        hours_submitted=hours,
        theme=theme,
        note=note,
    )
    record_activity(volunteer=volunteer)
    return entry


def review_hours(
    *, entry: HoursEntry, by: User, approve: bool, hours: Decimal | None = None
) -> HoursEntry:
    """A coordinator approves (possibly correcting the number) or declines logged hours; the
    volunteer is told, and another coordinator reviews a coordinator's own hours."""
    with audit.recorded_by(by) as trail:
        entry = (
            HoursEntry.objects.select_for_update(of=("self",))
            .select_related("volunteer__user")
            .get(pk=entry.pk)
        )
        if entry.state != HoursEntry.State.SUBMITTED:
            raise VolunteerError(_("These hours have already been reviewed."))
        if not can_review_hours(by, entry):
            raise VolunteerError(_("Another coordinator reviews your own hours."))
        if approve:
            if hours is not None:
                if not Decimal("0") < hours <= Decimal("24"):
                    raise VolunteerError(_("Please enter between 0.25 and 24 hours."))
                entry.hours = hours
            entry.state = HoursEntry.State.APPROVED
        else:
            entry.state = HoursEntry.State.REJECTED
        entry.reviewed_by = by
        entry.reviewed_at = timezone.now()
        entry.save()
        trail.changed(entry.volunteer, ["hours"])
        _tell_about_review(entry.volunteer, [entry], approved=approve, reason="")
    return entry


@dataclass(frozen=True)
class HoursReviewed:
    """What one review of selected hours did."""

    entries: list[HoursEntry]
    # Selected but left alone: reviewed meanwhile, unknown, or the reviewer's own.
    skipped: int

    @property
    def hours(self) -> Decimal:
        return sum((entry.hours for entry in self.entries), Decimal("0"))

    @property
    def volunteers(self) -> int:
        return len({entry.volunteer_id for entry in self.entries})


def review_hours_in_bulk(
    *, entry_ids: Collection[int], by: User, approve: bool, reason: str = ""
) -> HoursReviewed:
    """Approves the selected hours as logged, or declines them saying why, all in one
    transaction; entries no longer waiting, unknown ones and the reviewer's own are left alone
    and counted. Each volunteer is told once about all of their entries."""
    reason = reason.strip()
    if not approve and not reason:
        raise VolunteerError(_("Please say why the hours are not approved."))
    with audit.recorded_by(by) as trail:
        # In primary-key order, so that two coordinators reviewing the same rows cannot deadlock.
        waiting = [
            entry
            for entry in HoursEntry.objects.select_for_update(of=("self",))
            .filter(pk__in=set(entry_ids), state=HoursEntry.State.SUBMITTED)
            .select_related("volunteer__user")
            .order_by("pk")
            if can_review_hours(by, entry)
        ]
        now = timezone.now()
        for entry in waiting:
            entry.state = HoursEntry.State.APPROVED if approve else HoursEntry.State.REJECTED
            entry.reviewed_by, entry.reviewed_at = by, now
            entry.decline_reason = "" if approve else reason
        HoursEntry.objects.bulk_update(
            waiting, ["state", "reviewed_by", "reviewed_at", "decline_reason"]
        )
        by_volunteer: dict[int, list[HoursEntry]] = {}
        for entry in waiting:
            by_volunteer.setdefault(entry.volunteer_id, []).append(entry)
        for entries in by_volunteer.values():
            trail.changed(entries[0].volunteer, ["hours"])
            _tell_about_review(entries[0].volunteer, entries, approved=approve, reason=reason)
    return HoursReviewed(entries=waiting, skipped=len(set(entry_ids)) - len(waiting))


def _tell_about_review(
    volunteer: Volunteer, entries: list[HoursEntry], *, approved: bool, reason: str
) -> None:
    """One message per volunteer and review, however many entries it decided."""
    notify(
        volunteer.user,
        occasion="volunteers/hours_reviewed",
        context={
            "approved": approved,
            "reason": reason,
            "entries": [
                {"worked_on": entry.worked_on.isoformat(), "hours": str(entry.hours)}
                for entry in entries
            ],
            "total": str(sum((entry.hours for entry in entries), Decimal("0"))),
            "url": settings.PORTAL_URL + reverse("volunteers:my_hours"),
        },
        # The first entry is decided only once: a retried request sends nothing twice.
        key=f"hours-reviewed:{entries[0].pk}",
        about=(volunteer,),
    )


def delete_own_hours(*, entry: HoursEntry) -> None:
    """Checked in the same query that deletes: a review in the meantime wins."""
    deleted, _rows = HoursEntry.objects.filter(
        pk=entry.pk, state=HoursEntry.State.SUBMITTED
    ).delete()
    if not deleted:
        raise VolunteerError(_("Reviewed hours can no longer be removed."))


def record_clearance(
    *, volunteer: Volunteer, seen_on: date, issued_on: date, valid_until: date, by: User
) -> ClearanceCheck:
    """Only the facts of the inspection are kept; the certificate itself is never stored."""
    if valid_until <= issued_on:
        raise VolunteerError(_("“Valid until” must be after the issue date."))
    if seen_on < issued_on:
        raise VolunteerError(_("A certificate cannot be seen before it was issued."))
    if seen_on > timezone.localdate():
        raise VolunteerError(_("The inspection date cannot be in the future."))
    return ClearanceCheck.objects.create(
        volunteer=volunteer,
        seen_on=seen_on,
        issued_on=issued_on,
        valid_until=valid_until,
        checked_by=by,
    )


def add_note(*, volunteer: Volunteer, by: User, text: str) -> CoordinatorNote:
    return CoordinatorNote.objects.create(volunteer=volunteer, author=by, text=text.strip())


def send_message_to_volunteers(
    *, volunteers: Iterable[Volunteer], by: User, subject: str, body: str
) -> int:
    """A coordinator's short e-mail to the selected volunteers, through the outbox."""
    count = 0
    with transaction.atomic():
        for volunteer in volunteers:
            reached = notify(
                volunteer.user,
                occasion="volunteers/message",
                context={"subject": subject, "body": body, "sender": by.display_name},
                about=(by,),
            )
            count += reached is not None
    return count
