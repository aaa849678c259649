from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_TARGET = 1_000_000


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
    # A target of 0 would show no progress at all; a city's network stays far below the top.
    value = models.PositiveIntegerField(
        _("target"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET)]
    )
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


class ImportJob(models.Model):
    """An uploaded file on its way in: checked in full first, written only if every row is good.

    The file itself is kept only until the import is done or abandoned.
    """

    class Kind(models.TextChoices):
        VOLUNTEERS = "volunteers", _("Volunteers")
        NEWCOMERS = "newcomers", _("Newcomers")
        PARTNERS = "partners", _("Partner organisations")

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("what"), max_length=12, choices=Kind)
    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"row": line, "errors": [message, ...]}, ...]; row 0 is a problem with the whole file.
    errors = models.JSONField(default=list, blank=True)
    # A few checked rows to show before importing.
    preview = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    # How often a worker has taken up the current step; counted before the work starts, so a
    # file that kills its worker is not handed out again and again.
    attempts = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def percent_done(self) -> int:
        if not self.total_rows:
            return 0 if self.state in (self.State.CHECKING, self.State.IMPORTING) else 100
        return min(100, 100 * self.processed_rows // self.total_rows)

    @property
    def is_busy(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)
