import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def finish(self, *, state: str, **fields: object) -> int:
        """Sent or given up: one UPDATE sets the state and drops the one-time links, so no
        row that is done holds a link that still opens something."""
        return self.update(state=state, secret_context={}, updated_at=timezone.now(), **fields)


class OutboxMessage(models.Model):
    """One logical e-mail, written in the transaction of the change that causes it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Category(models.TextChoices):
        # Transactional mail (sign-up, password) is never held back by a newsletter opt-out.
        TRANSACTIONAL = "transactional", _("Account and service")
        REMINDER = "reminder", _("Reminder")
        NEWSLETTER = "newsletter", _("Newsletter")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    to_email = models.EmailField(_("to"))
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.TRANSACTIONAL
    )
    newsletter = models.ForeignKey(
        "messaging.Newsletter",
        verbose_name=_("newsletter"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    template = models.CharField(_("template"), max_length=200)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # Links that act as a password (password reset, address confirmation, check-in,
    # unsubscribe): merged into the context when sending and emptied once the row is sent or
    # has failed for good, so a copy of the database opens nothing.
    secret_context = models.JSONField(_("one-time links"), default=dict, blank=True)
    has_secrets = models.BooleanField(_("held one-time links"), default=False)
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    # Specs such as {"kind": "session-ics", "session_id": 7}; files are built when sending.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, unique=True, default=uuid.uuid4
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The delivery run (host:pid:nonce) that claimed the row last, and until when its claim
    # holds unless renewed: a row "sending" past its lease belongs to a dead worker.
    claimed_by = models.CharField(_("claimed by"), max_length=120, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False),
                name="messaging_outboxmessage_sent_has_sent_at",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="messaging_outbox_due_idx"),
            models.Index(fields=["newsletter", "state"], name="messaging_outbox_news_idx"),
            # The default order, newest first, in one index: with created_at alone, the
            # 10,000 rows of one newsletter (nearly equal times) were sorted by id on every
            # admin page (64 ms at city scale).
            models.Index(fields=["-created_at", "-id"], name="messaging_outbox_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.to_email} ({self.get_state_display()})"


class AddressHealth(models.Model):
    """Hard failures per address: after repeated ones the address is skipped, not retried."""

    email = models.EmailField(_("e-mail address"), unique=True)
    hard_failures = models.PositiveSmallIntegerField(_("hard failures"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)
    suppressed_at = models.DateTimeField(
        _("skipped since"),
        null=True,
        blank=True,
        help_text=_("E-mails to this address are no longer sent. Clear to try again."),
    )

    class Meta:
        verbose_name = _("address health")
        verbose_name_plural = _("address health")
        ordering = ["-last_failure_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="messaging_addresshealth_email_ci"),
        ]

    def __str__(self) -> str:
        return self.email


class OutboxSubject(models.Model):
    """Whom an e-mail is about, when that is someone other than its recipient (the newcomer in
    a mail to their volunteer): erasing that person reaches the mail through this link."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="subjects")
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("person an e-mail is about")
        verbose_name_plural = _("people e-mails are about")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "subject_type", "subject_id"],
                name="messaging_outboxsubject_once",
            ),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="messaging_outbox_about_idx")
        ]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.subject_type_id}#{self.subject_id}"
