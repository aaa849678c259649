from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One read, change, export or erasure of a person's record. Never edited, never deleted:
    the model refuses it, the admin offers no way, and a database trigger stops the rest.

    The actor is kept as a bare id, so the entry survives when that account goes; the subject
    likewise, so erasing a person leaves the proof that it happened.
    """

    class Action(models.TextChoices):
        READ = "read", _("Read")
        CREATE = "create", _("Created")
        CHANGE = "change", _("Changed")
        DELETE = "delete", _("Deleted")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor_id = models.PositiveIntegerField(_("who (account id)"), null=True, blank=True)
    action = models.CharField(_("what"), max_length=10, choices=Action)
    subject_type = models.CharField(_("record type"), max_length=40)
    subject_id = models.PositiveIntegerField(_("record id"))
    # Field names that changed, or what was exported; never the values of sensitive fields.
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "-at"], name="audit_subject_idx")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")
