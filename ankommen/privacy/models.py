from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionReview(models.Model):
    """A list of people whose retention period is over, proposed by the weekly job. Nothing is
    erased until a coordinator confirms the list, and then only people on it who are still due.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for confirmation")
        DONE = "done", _("Erased")
        DISCARDED = "discarded", _("Discarded")

    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PROPOSED)
    # [{"kind": "newcomer", "id": 12, "reason": "..."}]; names are looked up when shown.
    items = models.JSONField(_("people"), default=list)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    erased_count = models.PositiveIntegerField(_("erased"), default=0)
    skipped_count = models.PositiveIntegerField(_("no longer due"), default=0)

    class Meta:
        verbose_name = _("retention review")
        verbose_name_plural = _("retention reviews")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} ({len(self.items)})"
