"""Every change to a newcomer's record, and the personal access link's whole lifecycle. Each
service records its changes in the audit log (ankommen.audit) with the person who acts."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role, User
from ankommen.audit import services as audit
from ankommen.messaging.services.subscriptions import record_documented_consent
from ankommen.tokens import hash_token, new_token
from ankommen.vocabulary.models import Language, Theme
from refugees.models import (
    AccessLink,
    HouseholdMember,
    Need,
    Newcomer,
    NewcomerConsent,
    NewcomerLanguage,
    Urgency,
)

LINK_VALIDITY = timedelta(days=180)


class NewcomerError(Exception):
    """A rule about newcomers refused the change; the message says why."""


class AccessLinkError(Exception):
    """The link cannot sign anyone in; `newcomer` is known when the link once was valid."""

    def __init__(self, reason: str, newcomer: Newcomer | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.newcomer = newcomer


@transaction.atomic
def register_newcomer(
    *,
    newcomer: Newcomer,
    by: User,
    consent_language: str,
    consent_purposes: list[str],
    consent_on: date,
    languages: Iterable[tuple[Language, str]] = (),
    members: Iterable[HouseholdMember] = (),
) -> Newcomer:
    """A record exists only with the newcomer's consent to it, noted by whoever obtained it.
    The record, its languages and its household are written together or not at all."""
    if NewcomerConsent.Purpose.RECORD not in consent_purposes:
        raise NewcomerError(_("A newcomer can only be recorded with their consent."))
    newcomer.registered_by = by
    newcomer.waiting_since = newcomer.waiting_since or timezone.localdate()
    with audit.recorded_by(by) as trail:
        newcomer.save()
        trail.created(newcomer)
    NewcomerLanguage.objects.bulk_create(
        NewcomerLanguage(newcomer=newcomer, language=language, level=level)
        for language, level in languages
    )
    for member in members:
        member.newcomer = newcomer
        member.save()
    NewcomerConsent.objects.bulk_create(
        NewcomerConsent(
            newcomer=newcomer,
            purpose=purpose,
            language=consent_language,
            obtained_by=by,
            obtained_on=consent_on,
        )
        for purpose in consent_purposes
    )
    if NewcomerConsent.Purpose.EMAIL in consent_purposes:
        _subscribe_with_documented_consent(
            newcomer, by=by, on=consent_on, language=consent_language
        )
    return newcomer


@transaction.atomic
def update_newcomer(
    *,
    newcomer: Newcomer,
    by: User,
    languages: Iterable[tuple[Language, str]],
    members: Iterable[HouseholdMember] = (),
    removed_members: Iterable[HouseholdMember] = (),
) -> Newcomer:
    """One edit of the record, its languages and its household is one change by `by`. The
    household members are the new and edited ones and those taken out, as the edit gave them;
    the edited fields of the record are found on saving it (the tracking compares them)."""
    members, removed_members = list(members), list(removed_members)
    with audit.recorded_by(by) as trail:
        newcomer.save()
        parts = []
        if _set_languages(newcomer, languages):
            parts.append("languages")
        for member in members:
            member.newcomer = newcomer
            member.save()
        for member in removed_members:
            member.delete()
        if members or removed_members:
            parts.append("members")
        trail.changed(newcomer, parts)
    return newcomer


def _set_languages(newcomer: Newcomer, skills: Iterable[tuple[Language, str]]) -> bool:
    """The languages become exactly these; whether that changed anything."""
    chosen = {language.pk: level for language, level in skills}
    stored = dict(newcomer.languages.values_list("language_id", "level"))
    if chosen == stored:
        return False
    newcomer.languages.exclude(language_id__in=chosen).delete()
    for language_id, level in chosen.items():
        if stored.get(language_id) != level:
            NewcomerLanguage.objects.update_or_create(
                newcomer=newcomer, language_id=language_id, defaults={"level": level}
            )
    return True


def _subscribe_with_documented_consent(
    newcomer: Newcomer, *, by: User, on: date, language: str
) -> None:
    """The newcomer agreed in person to e-mails: that documented consent is the subscription."""
    if not newcomer.email:
        return
    with translation.override(language):
        text = _(
            "Consent to receive information by e-mail, given in person on %(date)s and "
            "documented by %(coordinator)s."
        ) % {"date": on.isoformat(), "coordinator": by.full_name}
    record_documented_consent(
        email=newcomer.email,
        full_name=newcomer.full_name,
        language=newcomer.preferred_language,
        consent_text=text,
    )


@transaction.atomic
def add_consent(
    *, newcomer: Newcomer, purpose: str, language: str, obtained_on: date, by: User
) -> NewcomerConsent:
    consent = NewcomerConsent.objects.create(
        newcomer=newcomer,
        purpose=purpose,
        language=language,
        obtained_on=obtained_on,
        obtained_by=by,
    )
    if purpose == NewcomerConsent.Purpose.EMAIL:
        _subscribe_with_documented_consent(newcomer, by=by, on=obtained_on, language=language)
    return consent


@transaction.atomic
def add_need(
    *, newcomer: Newcomer, theme: Theme, urgency: str, note: str, by: User | None, source: str
) -> Need:
    need = Need.objects.create(
        newcomer=newcomer,
        theme=theme,
        urgency=urgency,
        note=note.strip(),
        source=source,
        created_by=by,
    )
    if not newcomer.needs.exclude(pk=need.pk).filter(status=Need.Status.OPEN).exists():
        # Waiting starts again when someone who was settled asks for help anew.
        with audit.recorded_by(by) as trail:
            if Newcomer.objects.filter(pk=newcomer.pk, closed_at__isnull=False).update(
                waiting_since=timezone.localdate(), closed_at=None
            ):
                trail.changed(newcomer, ["closed_at", "waiting_since"])
    return need


def ask_for_help(*, newcomer: Newcomer, theme: Theme, note: str) -> Need:
    """The newcomer's own request from their view; coordinators find it as an open need."""
    return add_need(
        newcomer=newcomer,
        theme=theme,
        urgency=Urgency.MEDIUM,
        note=note,
        by=newcomer.user,
        source=Need.Source.NEWCOMER,
    )


def set_need_status(*, need: Need, status: str) -> Need:
    need.status = status
    need.resolved_at = timezone.now() if status == Need.Status.RESOLVED else None
    need.save(update_fields=["status", "resolved_at"])
    return need


@dataclass(frozen=True)
class IssuedLink:
    link: AccessLink
    token: str  # shown once, on the printed card; only its hash is stored

    @property
    def url(self) -> str:
        from django.urls import reverse  # noqa: PLC0415 (keeps this module free of URL setup)

        return settings.PORTAL_URL + reverse("newcomer_access", args=[self.token])


def _account_for(newcomer: Newcomer, trail: audit.Trail) -> User:
    """Newcomers sign in only by link: their account has no e-mail and no usable password."""
    if newcomer.user is not None:  # no query when there is no account
        return newcomer.user
    user = User(full_name=newcomer.full_name, role=Role.NEWCOMER)
    user.preferred_language = newcomer.preferred_language
    user.set_unusable_password()
    user.save()
    trail.created(user)
    trail.assign(newcomer, user=user)
    newcomer.save(update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def issue_access_link(*, newcomer: Newcomer, by: User) -> IssuedLink:
    """A new card replaces the old one: earlier links stop working at once."""
    with audit.recorded_by(by) as trail:
        _account_for(newcomer, trail)
    now = timezone.now()
    newcomer.access_links.filter(revoked_at__isnull=True).update(revoked_at=now)
    token, token_hash = new_token()
    link = AccessLink.objects.create(
        newcomer=newcomer,
        token_hash=token_hash,
        created_by=by,
        expires_at=now + LINK_VALIDITY,
    )
    return IssuedLink(link=link, token=token)


def revoke_access_link(*, link: AccessLink) -> None:
    AccessLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def redeem_access_link(*, token: str) -> AccessLink:
    """The link behind a token, if it may sign its newcomer in now."""
    link = (
        AccessLink.objects.select_related("newcomer__user")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        raise AccessLinkError("unknown")
    if link.revoked_at is not None:
        raise AccessLinkError("revoked", link.newcomer)
    if link.expires_at <= timezone.now() or link.newcomer.closed_at is not None:
        raise AccessLinkError("expired", link.newcomer)
    AccessLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link


def link_is_active(*, link_id: int | None, user: User) -> bool:
    """Checked on every request of a newcomer account (refugees/card_sessions.py): a card
    stopped, replaced or expired, or its record closed, ends every session it opened."""
    if link_id is None:
        return False
    return AccessLink.objects.filter(
        pk=link_id,
        newcomer__user=user,
        newcomer__closed_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()


def set_language(*, newcomer: Newcomer, language: str, by: User) -> None:
    """The newcomer's own choice, from their view; their account speaks it too."""
    with audit.recorded_by(by) as trail:
        trail.assign(newcomer, preferred_language=language, language_confirmed=True)
        newcomer.save(update_fields=["preferred_language", "language_confirmed", "updated_at"])
        if newcomer.user_id:
            User.objects.filter(pk=newcomer.user_id).update(preferred_language=language)
