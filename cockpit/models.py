from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """What the network aims for, e.g. 5,003 friendships: the dashboard shows progress to it."""

    class Metric(models.TextChoices):
        REGISTERED = "registered", _("Volunteers registered")
        CONVERSATION = "conversation", _("First conversation done")
        TRAINED = "trained", _("Basic training done")
        READY = "ready", _("Ready to accompany")
        MATCHED = "matched", _("Accompany someone")
        ACTIVE = "active", _("Active in a mentorship")
        FRIENDSHIPS = "friendships", _("Friendships that came about")

    metric = models.CharField(_("figure"), max_length=20, choices=Metric, unique=True)
    value = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["metric"]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.value}"
