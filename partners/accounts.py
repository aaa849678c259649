"""The GDPR rights of people whose account exists only to act for partner organisations
(Role.PARTNER): they have no volunteer record, so the volunteer export and erasure do not reach
them. Volunteers who also act for an organisation are covered by the volunteer's parts
(partners/privacy.py)."""

from typing import Any

from django.db import transaction

from ankommen.accounts.models import Role, User
from ankommen.accounts.privacy import account_emails, erase_account, export_account
from ankommen.audit import services as audit
from ankommen.audit.models import AuditEvent
from ankommen.messaging.privacy import Correspondent, erase_messages, export_messages
from ankommen.privacy.history import export_history
from partners.privacy import erase_staff, export_staff


def partner_accounts() -> Any:
    return User.objects.filter(role=Role.PARTNER)


def _correspondent(user: User) -> Correspondent:
    return Correspondent.of(
        user=user,
        emails=account_emails(user),
        subjects=[user],
        identifying=[user.full_name, user.email or ""],
    )


def export_partner_account(user: User, *, by: User) -> dict[str, Any]:
    data = {
        "account": export_account(user),
        "partner_organisations": export_staff(user),
        "messages": export_messages(_correspondent(user)),
        "history": export_history(user),
    }
    audit.record(
        action=AuditEvent.Action.EXPORT, subject=user, by=by, details={"sections": list(data)}
    )
    return data


@transaction.atomic
def erase_partner_account(user: User, *, by: User) -> None:
    """Access ends, mails to and about the person go, the account names nobody and cannot sign
    in. What the organisation published stays: it is the organisation's, not the person's."""
    with audit.recorded_by(by):
        erase_messages(_correspondent(user))
        erase_staff(user)
        erase_account(user)
    audit.record(action=AuditEvent.Action.ERASE, subject=user, by=by)
