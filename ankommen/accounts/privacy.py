"""What the portal holds about a person's account, for export and erasure (see ankommen.privacy):
the account itself, its e-mail addresses, second factors and signed-in sessions."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password

from ankommen.accounts.models import AccountSession, User
from ankommen.privacy.registry import ERASED_NAME
from ankommen.privacy.serialize import plain

MODELS = (
    "accounts.User",
    "accounts.AccountSession",
    "account.EmailAddress",
    "account.EmailConfirmation",
    "mfa.Authenticator",
)
ACCOUNT_FIELDS = (
    "email", "full_name", "preferred_name", "preferred_language", "role", "date_joined",
    "last_login", "heard_via",
)  # fmt: skip


def account_emails(user: User | None) -> list[str]:
    """Every address the account has used, confirmed or not."""
    if user is None:
        return []
    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return sorted(addresses | ({user.email} if user.email else set()))


def export_account(user: User | None) -> dict[str, Any]:
    """Secrets (password hash, keys, session contents) are never handed out, only that they
    exist and when they were used."""
    if user is None:
        return {}
    return {
        "account": {name: plain(getattr(user, name)) for name in ACCOUNT_FIELDS},
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "second_factors": [
            {
                "type": factor.type,
                "name": factor.data.get("name", ""),
                "created_at": factor.created_at.isoformat(),
                "last_used_at": factor.last_used_at and factor.last_used_at.isoformat(),
            }
            for factor in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "signed_in_until": [
            session.expire_date.isoformat()
            for session in AccountSession.objects.filter(user=user).order_by("expire_date")
        ],
    }


def erase_account(user: User | None) -> None:
    """The account can no longer sign in and names nobody: its addresses (with their
    confirmation mails' keys), second factors (named by the person) and every signed-in
    browser go. The row stays, so what the person did still counts."""
    if user is None:
        return
    User.objects.filter(pk=user.pk).update(
        email=None,
        full_name=ERASED_NAME,
        preferred_name="",
        is_active=False,
        invite_code=None,
        password=make_password(None),
    )
    EmailAddress.objects.filter(user=user).delete()  # confirmations go with their address
    Authenticator.objects.filter(user=user).delete()
    AccountSession.objects.filter(user=user).delete()
