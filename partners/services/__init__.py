"""Inviting people of partner organisations, their acceptance, and ending their access.

An invitation is a PartnerStaff row without `accepted_at` and a signed link by e-mail. The link
names the row, works for INVITATION_DAYS and only while the row is open and not yet accepted,
so a coordinator who ends an invitation also ends its link. Accepting sets a password (for an
account made by the invitation) and signs the person in; the portal then asks for their second
factor before anything else, since partner staff read the referrals addressed to them.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role, User, normalize_email
from ankommen.audit import services as audit
from ankommen.messaging.services import enqueue_mail_to_user
from partners.models import PartnerStaff
from workgroups.models import Partner

INVITATION_DAYS = 14
SALT = "partners.invitation"
TEMPLATE = "partners/email/invitation"


class PartnerStaffError(Exception):
    """A refusal the person can act on; the message says what to do."""


def _invitation_link(staff: PartnerStaff) -> str:
    token = signing.dumps({"staff": staff.pk}, salt=SALT)
    with translation.override(staff.user.preferred_language):
        return settings.PORTAL_URL + reverse("partners:welcome", args=[token])


@transaction.atomic
def invite(
    *, by: User, partner: Partner, email: str, full_name: str, preferred_language: str
) -> PartnerStaff:
    """Invite a person to act for the organisation. An address the portal does not know gets
    an account of its own (role partner, no password until the link sets one); a volunteer's
    address is invited as that volunteer, who keeps their volunteer pages."""
    if not partner.is_active:
        raise PartnerStaffError(_("A retired organisation cannot invite anyone."))
    address = normalize_email(email)
    account = User.objects.select_for_update().filter(email=address).first()
    with audit.recorded_by(by) as trail:
        if account is None:
            account = User.objects.create_user(
                email=address,
                password=None,
                full_name=full_name.strip(),
                role=Role.PARTNER,
                preferred_language=preferred_language,
            )
            trail.created(account)
        elif account.role in (Role.COORDINATOR, Role.ADMIN) or account.is_superuser:
            raise PartnerStaffError(
                _("%(email)s belongs to a coordinator, who sees every organisation already.")
                % {"email": address}
            )
        elif account.role == Role.NEWCOMER:
            raise PartnerStaffError(
                _(
                    "%(email)s belongs to a newcomer's account, which cannot act for an "
                    "organisation."
                )
                % {"email": address}
            )
        elif not account.is_active:
            raise PartnerStaffError(
                _("The account of %(email)s is closed. Ask an administrator to reopen it first.")
                % {"email": address}
            )
        if PartnerStaff.objects.filter(partner=partner, user=account, ended_at=None).exists():
            raise PartnerStaffError(
                _("%(name)s is already invited to act for %(partner)s.")
                % {"name": account, "partner": partner}
            )
        staff = PartnerStaff.objects.create(partner=partner, user=account, invited_by=by)
        trail.created(staff)
    _send_invitation(staff)
    return staff


def resend(*, by: User, staff: PartnerStaff) -> None:
    """A new mail with a fresh link, for an invitation not yet accepted."""
    if staff.accepted_at is not None or staff.ended_at is not None:
        raise PartnerStaffError(_("This invitation was already accepted or ended."))
    with audit.recorded_by(by) as trail:
        trail.changed(staff, ["invited_at"])
        PartnerStaff.objects.filter(pk=staff.pk).update(invited_at=timezone.now())
    _send_invitation(staff)


def _send_invitation(staff: PartnerStaff) -> None:
    enqueue_mail_to_user(
        user=staff.user,
        template=TEMPLATE,
        context={
            "partner": staff.partner.name,
            "inviter": staff.invited_by.display_name if staff.invited_by else "",
            "days": INVITATION_DAYS,
            "sets_password": not staff.user.has_usable_password(),
        },
        secret_context={"invitation_url": _invitation_link(staff)},
        about=[staff],
    )


def invitation_for(token: str) -> PartnerStaff:
    """The open invitation a link names; refused when forged, expired, accepted or ended."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired as expired:
        raise PartnerStaffError(
            _("This invitation has expired. Please ask your coordinator to send a new one.")
        ) from expired
    except signing.BadSignature as forged:
        raise PartnerStaffError(_("This invitation link is not valid.")) from forged
    staff = (
        PartnerStaff.objects.select_related("partner", "user")
        .filter(pk=data.get("staff"), ended_at=None, accepted_at=None)
        .first()
    )
    if staff is None:
        raise PartnerStaffError(
            _("This invitation was already accepted or has been withdrawn. Please sign in.")
        )
    return staff


@transaction.atomic
def accept(*, staff: PartnerStaff, user: User, password: str | None = None) -> PartnerStaff:
    """The invited person accepts; an account made by the invitation gets its password here,
    and its address counts as confirmed, since the link came to it."""
    staff = PartnerStaff.objects.select_for_update().select_related("user").get(pk=staff.pk)
    if staff.user_id != user.pk:
        raise PartnerStaffError(_("This invitation is for another account."))
    if staff.accepted_at is not None or staff.ended_at is not None:
        raise PartnerStaffError(
            _("This invitation was already accepted or has been withdrawn. Please sign in.")
        )
    with audit.recorded_by(user) as trail:
        if password is not None:
            user.set_password(password)
            user.save(update_fields=["password", "updated_at"])
            trail.changed(user, ["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        trail.assign(staff, accepted_at=timezone.now())
        staff.save(update_fields=["accepted_at"])
    return staff


@transaction.atomic
def end_access(*, by: User, staff: PartnerStaff) -> None:
    """From the person's next request on, they act for the organisation no more. The row stays
    as the record of who had access when."""
    staff = PartnerStaff.objects.select_for_update().get(pk=staff.pk)
    if staff.ended_at is not None:
        return
    with audit.recorded_by(by) as trail:
        trail.assign(staff, ended_at=timezone.now(), ended_by=by)
        staff.save(update_fields=["ended_at", "ended_by"])


def end_all_for(*, user: User, by: User | None = None) -> int:
    """Every organisation this person acts for (erasure, a closed account)."""
    ended = 0
    for staff in PartnerStaff.objects.filter(user=user, ended_at=None):
        end_access(by=by or user, staff=staff)
        ended += 1
    return ended
