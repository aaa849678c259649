"""Reading the audit trail."""

from django.db import models
from django.db.models import Q, QuerySet

from ankommen.audit.models import AuditEvent


def events_about(*subjects: models.Model | None) -> QuerySet[AuditEvent]:
    """Every entry about any of these records (a person's record and their account), oldest
    first."""
    about = Q(pk__in=[])
    for subject in subjects:
        if subject is not None:
            about |= Q(subject_type=subject._meta.model_name, subject_id=subject.pk)
    return AuditEvent.objects.filter(about).order_by("at", "pk")
