from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Subscription(models.Model):
    """Newsletter consent, by double opt-in, with the exact text agreed to, when and from where."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail address"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscription",
    )
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    state = models.CharField(_("state"), max_length=15, choices=State, default=State.PENDING)
    consent_text = models.TextField(_("consent text agreed to"))
    consent_ip = models.GenericIPAddressField(_("consent given from"), null=True, blank=True)
    consented_at = models.DateTimeField(_("consent given at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    unsubscribed_via = models.ForeignKey(
        "messaging.Newsletter",
        verbose_name=_("unsubscribed through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unsubscriptions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="messaging_subscription_email_ci"),
            models.CheckConstraint(
                condition=~models.Q(state="confirmed") | models.Q(confirmed_at__isnull=False),
                name="messaging_subscription_confirmed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["state", "language"], name="messaging_subscr_state_idx")]

    def __str__(self) -> str:
        return self.email
