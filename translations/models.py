"""The work of translating the texts newcomers read: one task per record, field and language.

A published version lives where readers read it: in the record's own column for that language
(django-modeltranslation's `title_ar`). A task holds the work around it: who claimed it, the
draft, the review, and the German text the published version was made from, so that a changed
source shows the version as outdated without anyone having to mark it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranslationTask(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("To translate")
        CLAIMED = "claimed", _("Being translated")
        SUBMITTED = "submitted", _("To review")
        # A version is published; it is outdated if the German text has changed since.
        DONE = "done", _("Translated")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=60)
    language = models.CharField(_("language"), max_length=12)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    draft = models.TextField(_("translation"), blank=True)
    # The German text the draft was written from, to show what changed if it changes meanwhile.
    draft_source = models.TextField(blank=True)
    # The version readers read (also in the record's column), and the German text it was made
    # from: it is outdated when the record's German text differs.
    published = models.TextField(blank=True)
    published_source = models.TextField(blank=True)
    translator = models.ForeignKey(
        # Erasing a translator's account leaves their texts; a claim without a translator is
        # open to others again (see selectors.claim_has_lapsed).
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)
    review_note = models.CharField(_("note from the review"), max_length=500, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("translation task")
        verbose_name_plural = _("translation tasks")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="translation_task_once_per_text_and_language",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "claimed", "submitted", "done"]),
                name="translation_task_state_known",
            ),
        ]
        indexes = [models.Index(fields=["language", "state"], name="translation_task_queue_idx")]

    def __str__(self) -> str:
        return f"{self.content_type.model} #{self.object_id} {self.field} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("translations:task", args=[self.pk])


class Translator(models.Model):
    """A volunteer who has said yes to translating; their languages come from their profile
    (those they speak fluently or natively), so they change when the profile does."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translator"
    )
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("translator")
        verbose_name_plural = _("translators")

    def __str__(self) -> str:
        return str(self.user)
