import secrets

from django.db import IntegrityError, transaction

from ankommen.accounts.models import User
from ankommen.audit import services as audit

REFERRAL_SESSION_KEY = "accounts:invite_code"


def invite_code_for(user: User) -> str:
    """Each person gets a personal invite code the first time they ask for it."""
    while not user.invite_code:
        candidate = secrets.token_urlsafe(8)
        try:
            with transaction.atomic():
                updated = User.objects.filter(pk=user.pk, invite_code__isnull=True).update(
                    invite_code=candidate
                )
        except IntegrityError:
            continue  # the same code was drawn twice: draw again
        user.refresh_from_db(fields=["invite_code"])
        if not updated and not user.invite_code:
            continue
    return user.invite_code


def open_account(
    *,
    email: str,
    full_name: str,
    role: str,
    preferred_language: str,
    by: User | None,
    heard_via: str = "",
) -> User:
    """An account someone else opens (a coordinator's import): no password until its person
    sets one through a reset link."""
    with audit.recorded_by(by) as trail:
        user = User.objects.create_user(
            email=email,
            password=None,
            full_name=full_name,
            role=role,
            preferred_language=preferred_language,
            heard_via=heard_via,
        )
        trail.created(user)
    return user


def inviter_for_code(code: str | None) -> User | None:
    if not code:
        return None
    return User.objects.filter(invite_code=code, is_active=True).first()
