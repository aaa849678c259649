"""Newsletter consent: double opt-in, recorded in full, withdrawn with one click."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen.accounts.models import User, normalize_email
from ankommen.messaging.models import OutboxMessage, Subscription
from ankommen.messaging.services.outbox import enqueue_mail

CONFIRM_SALT = "ankommen.messaging.subscription.confirm"
UNSUBSCRIBE_SALT = "ankommen.messaging.subscription.unsubscribe"
CONFIRM_MAX_AGE = 14 * 24 * 3600


class SubscriptionError(Exception):
    """A link that is forged, expired or no longer applies."""


def consent_text(language: str) -> str:
    """The exact sentence people agree to, stored with their consent in their language."""
    with translation.override(language):
        return _(
            "I would like to receive the newsletter of %(portal)s by e-mail. I can unsubscribe "
            "at any time with the link in every newsletter."
        ) % {"portal": settings.PORTAL_NAME}


def _absolute(url_name: str, token: str, language: str) -> str:
    with translation.override(language):
        return settings.PORTAL_URL + reverse(url_name, args=[token])


def unsubscribe_url(subscription: Subscription, newsletter_id: int | None = None) -> str:
    token = signing.dumps([subscription.pk, newsletter_id or 0], salt=UNSUBSCRIBE_SALT)
    return _absolute("messaging:unsubscribe", token, subscription.language)


@transaction.atomic
def request_subscription(
    *, email: str, full_name: str, language: str, ip: str | None
) -> Subscription:
    """Record the consent and send the confirmation link; nothing is sent to a subscriber yet.

    The answer is the same whether the address is new or known, so the form reveals nothing.
    """
    email = normalize_email(email) or ""
    subscription = Subscription.objects.select_for_update().filter(email=email).first()
    if subscription is not None and subscription.state == Subscription.State.CONFIRMED:
        return subscription
    now = timezone.now()
    if subscription is None:
        subscription = Subscription(email=email)
    subscription.full_name = full_name
    subscription.language = language
    subscription.state = Subscription.State.PENDING
    subscription.consent_text = consent_text(language)
    subscription.consent_ip = ip
    subscription.consented_at = now
    subscription.save()
    token = signing.dumps(subscription.pk, salt=CONFIRM_SALT)
    enqueue_mail(
        to_email=email,
        template="messaging/email/subscription_confirm",
        context={},
        secret_context={
            "confirm_url": _absolute("messaging:subscription_confirm", token, language)
        },
        language=language,
        # One confirmation an hour per address at most, however often the form is sent.
        idempotency_key=f"subscription-confirm:{subscription.pk}:{now:%Y%m%d%H}",
    )
    return subscription


def subscription_from_confirm_token(token: str) -> Subscription:
    try:
        pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as error:
        raise SubscriptionError(_("This confirmation link has expired.")) from error
    except signing.BadSignature as error:
        raise SubscriptionError(_("This link is not valid.")) from error
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise SubscriptionError(_("This link is not valid."))
    return subscription


@transaction.atomic
def confirm_subscription(*, subscription: Subscription) -> Subscription:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state == Subscription.State.UNSUBSCRIBED:
        raise SubscriptionError(
            _("You have unsubscribed since. Please subscribe again if you wish.")
        )
    if subscription.state == Subscription.State.PENDING:
        subscription.state = Subscription.State.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["state", "confirmed_at", "updated_at"])
    return subscription


@transaction.atomic
def subscribe_account(*, user: User, ip: str | None) -> Subscription:
    """A signed-in person with a confirmed address has already proven it is theirs."""
    if (
        not user.email
        or not EmailAddress.objects.filter(
            user=user, email__iexact=user.email, verified=True
        ).exists()
    ):
        raise SubscriptionError(_("Please confirm your e-mail address first."))
    now = timezone.now()
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        email=normalize_email(user.email),
        defaults={"language": user.preferred_language, "consented_at": now},
    )
    # After a change of address the account's old subscription lets go of it.
    Subscription.objects.filter(user=user).exclude(pk=subscription.pk).update(user=None)
    subscription.user = user
    subscription.full_name = user.full_name
    subscription.language = user.preferred_language
    subscription.state = Subscription.State.CONFIRMED
    subscription.consent_text = consent_text(user.preferred_language)
    subscription.consent_ip = ip
    subscription.consented_at = now
    subscription.confirmed_at = now
    subscription.unsubscribed_at = None
    subscription.save()
    return subscription


def subscription_from_unsubscribe_token(token: str) -> tuple[Subscription, int | None]:
    try:
        pk, newsletter_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise SubscriptionError(_("This link is not valid.")) from error
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise SubscriptionError(_("This link is not valid."))
    return subscription, newsletter_id or None


@transaction.atomic
def unsubscribe(*, subscription: Subscription, via_newsletter_id: int | None = None) -> None:
    """Withdrawing consent stops newsletters at once, also those already queued."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state != Subscription.State.UNSUBSCRIBED:
        subscription.state = Subscription.State.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.unsubscribed_via_id = via_newsletter_id
        subscription.save(
            update_fields=["state", "unsubscribed_at", "unsubscribed_via", "updated_at"]
        )
    OutboxMessage.objects.filter(
        category=OutboxMessage.Category.NEWSLETTER,
        to_email__iexact=subscription.email,
        state=OutboxMessage.State.PENDING,
    ).finish(state=OutboxMessage.State.FAILED, last_error="Unsubscribed before delivery.")


@transaction.atomic
def record_documented_consent(
    *, email: str, full_name: str, language: str, consent_text: str
) -> Subscription:
    """Consent given in person and documented by a coordinator needs no confirmation link."""
    now = timezone.now()
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        email=normalize_email(email),
        defaults={"language": language, "consented_at": now},
    )
    subscription.full_name = full_name
    subscription.language = language
    subscription.state = Subscription.State.CONFIRMED
    subscription.consent_text = consent_text
    subscription.consent_ip = None
    subscription.consented_at = now
    subscription.confirmed_at = now
    subscription.unsubscribed_at = None
    subscription.save()
    return subscription
