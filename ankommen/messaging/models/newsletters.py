from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Newsletter(models.Model):
    """A "Rundbrief": written once, sent to a segment, each recipient in their language."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    language = models.CharField(
        _("main language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Recipients whose language has no version of its own get this one."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: **bold**, *italic*, lists, links."))
    segment_kind = models.CharField(_("recipients"), max_length=50, default="all")
    segment_value = models.CharField(_("recipient choice"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    recipients_total = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    fanned_out_at = models.DateTimeField(_("all e-mails queued at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="scheduled") | models.Q(scheduled_at__isnull=False),
                name="messaging_newsletter_scheduled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("messaging:newsletter_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.SCHEDULED)


class NewsletterTranslation(models.Model):
    """The same newsletter in another language, for recipients who read that one."""

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("newsletter translation")
        verbose_name_plural = _("newsletter translations")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "language"], name="messaging_newslettertranslation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} ({self.language})"
