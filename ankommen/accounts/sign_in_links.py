"""A link by e-mail lets a person sign in from a network where someone else guesses their password.

The throttle (sign_in_throttle.py) makes a guessing network wait, and whoever shares that
network (an office behind one address, a shelter's Wi-Fi) waits with it. They may ask for a link:
- It goes only to an active account that signs in with a password (newcomers use their card) and
  whose address is confirmed; at most once per LINK_INTERVAL and MAX_LINKS_PER_DAY times a day
  per account, so nobody can flood a mailbox with it. A network may ask REQUESTS_PER_NETWORK
  times an hour. The answer is the same whether the address has an account and whether a mail
  went out, so the form tells nobody who has an account.
- The link is signed, names the account and a nonce, and works once within LINK_LIFETIME. Only
  the nonce's hash is kept (in the cache); the outbox forgets the link once it is sent.
- Opening it shows a page; confirming it (a POST: mail scanners open links) gives this browser
  session a grant for that account, for GRANT_LIFETIME. It signs nobody in: password and second
  factor are still asked, and the holder's tries are counted on their own, per grant. The
  guesser, without the grant, keeps waiting.
"""

import hashlib
import secrets
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ankommen.accounts.models import Role, User, normalize_email
from ankommen.accounts.sign_in_throttle import SignInThrottledError, hashed_key, locked
from ankommen.messaging.services import enqueue_mail_to_user

LINK_LIFETIME = 30 * 60
LINK_INTERVAL = 30 * 60
MAX_LINKS_PER_DAY = 3
REQUESTS_PER_NETWORK = 5
GRANT_LIFETIME = 30 * 60
DAY = 24 * 60 * 60
HOUR = 60 * 60
SALT = "ankommen.accounts.sign-in-link"
GRANT_SESSION_KEY = "accounts:sign_in_grant"
TEMPLATE = "accounts/email/sign_in_link"


class SignInLinkError(Exception):
    """A link that is forged, expired or used; the message says which and what to do."""


class SignInLinkRequestsError(Exception):
    """A network asked for too many links."""


def request_sign_in_link(*, email: str, network: str) -> None:
    """Sends a link if the address has an account that may have one; says nothing either way."""
    _count_network_request(network)
    account = _account_for_link(email)
    if account is None or not _may_send_to(account):
        return
    nonce = secrets.token_urlsafe(24)
    token = signing.dumps({"account": account.pk, "nonce": nonce}, salt=SALT)
    with translation.override(account.preferred_language):
        url = settings.PORTAL_URL + reverse("accounts:sign_in_link", args=[token])
    with transaction.atomic():
        # A newer link replaces an older one still unused: only the last mail works.
        cache.set(_nonce_key(account), _hash(nonce), LINK_LIFETIME)
        # Not notify: the link goes to the address that asked for it, whatever else reaches
        # the person, or an SMS channel would hand a sign-in to whoever typed an address.
        enqueue_mail_to_user(
            user=account,
            template=TEMPLATE,
            context={"minutes": LINK_LIFETIME // 60},
            secret_context={"sign_in_link_url": url},
        )


def account_for_sign_in_link(token: str) -> User:
    """The account a link is for, if it is genuine, fresh and unused; it is not used up here."""
    return _read(token)


def redeem_sign_in_link(*, token: str, session: SessionBase) -> User:
    """Uses the link up and gives this browser session a grant for its account."""
    account = _read(token)
    # Deleting the key is atomic in the database cache: of two requests, only one succeeds.
    if not cache.delete(_nonce_key(account)):
        raise SignInLinkError(_used())
    session[GRANT_SESSION_KEY] = {
        "account": _account_key(account.email),
        "grant": secrets.token_urlsafe(16),
        "until": time.time() + GRANT_LIFETIME,
    }
    return account


def sign_in_grant_for(session: SessionBase, email: str) -> str | None:
    """The grant this session holds for the account signing in, if it holds a valid one."""
    grant = session.get(GRANT_SESSION_KEY)
    if not grant or grant["account"] != _account_key(email) or grant["until"] < time.time():
        return None
    return grant["grant"]


def _read(token: str) -> User:
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_LIFETIME)
    except signing.SignatureExpired as expired:
        raise SignInLinkError(
            _("This sign-in link has expired. Please ask for a new one.")
        ) from expired
    except signing.BadSignature as forged:
        raise SignInLinkError(
            _("This sign-in link is not valid. Please ask for a new one.")
        ) from forged
    account = User.objects.filter(pk=payload["account"]).first()
    if account is None or not _may_have_link(account):
        raise SignInLinkError(_("This sign-in link is not valid. Please ask for a new one."))
    if cache.get(_nonce_key(account)) != _hash(payload["nonce"]):
        raise SignInLinkError(_used())
    return account


def _used() -> str:
    return _(
        "This sign-in link has already been used, or a newer one was sent. Please use the "
        "newest e-mail or ask for a new link."
    )


def _account_for_link(email: str) -> User | None:
    account = User.objects.filter(email=normalize_email(email) or "").first()
    if account is None or not _may_have_link(account):
        return None
    return account


def _may_have_link(account: User) -> bool:
    return (
        account.is_active
        and account.role != Role.NEWCOMER
        and account.has_usable_password()
        and EmailAddress.objects.filter(
            user=account, email__iexact=account.email, verified=True
        ).exists()
    )


def _may_send_to(account: User) -> bool:
    """At most one link per LINK_INTERVAL and MAX_LINKS_PER_DAY a day, counted under a lock."""
    key = hashed_key("sign-in-link-sent", str(account.pk))
    try:
        with locked(key):
            now = time.time()
            sent = [at for at in cache.get(key, []) if at > now - DAY]
            if len(sent) >= MAX_LINKS_PER_DAY or (sent and sent[-1] > now - LINK_INTERVAL):
                return False
            cache.set(key, [*sent, now], DAY)
    except SignInThrottledError:
        # Another request is sending this account its link right now.
        return False
    return True


def _count_network_request(network: str) -> None:
    key = hashed_key("sign-in-link-network", network)
    with locked(key):
        now = time.time()
        asked = [at for at in cache.get(key, []) if at > now - HOUR]
        if len(asked) >= REQUESTS_PER_NETWORK:
            raise SignInLinkRequestsError(
                _(
                    "Too many sign-in links were asked for from your network. Please try again "
                    "in an hour."
                )
            )
        cache.set(key, [*asked, now], HOUR)


def _nonce_key(account: User) -> str:
    return hashed_key("sign-in-link", str(account.pk))


def _account_key(email: str) -> str:
    return hashed_key("account", (email or "").strip().lower())


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()
