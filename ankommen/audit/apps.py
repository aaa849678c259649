from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who read or changed whose record, and when: an append-only log."""

    name = "ankommen.audit"
    label = "audit"
    verbose_name = _("Audit log")
