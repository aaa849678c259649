"""Where trainings plug into the rest: e-mail attachments, reminders, navigation, other apps."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_coordinator
from ankommen.messaging.attachments import Attachment, register_attachment_builder
from ankommen.messaging.services import Reminder, register_reminder_source
from ankommen.navigation import NavItem, register_nav_item
from trainings.calendar import session_ics
from trainings.models import Qualification, Registration, Session

QUALIFICATION_NOTICE = timedelta(days=30)


def _session_ics_attachment(spec: dict[str, Any]) -> Attachment:
    session = Session.objects.select_related("course").get(pk=spec["session_id"])
    return ("training.ics", session_ics(session), "text/calendar")


def session_reminders(now: datetime) -> list[Reminder]:
    """Everyone confirmed, once, within 24 hours of the start."""
    due = Registration.objects.filter(
        state=Registration.State.CONFIRMED,
        session__status=Session.Status.PLANNED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=24),
        user__email__isnull=False,
    ).select_related("user", "session__course")
    return [
        Reminder(
            occasion=f"{registration.pk}:{registration.session.starts_at.isoformat()}",
            to_email=registration.user.email,
            recipient=registration.user,
            template="trainings/email/reminder",
            language=registration.user.preferred_language,
            context={
                "user_display": registration.user.display_name,
                "course": registration.session.course.title,
                "starts_at": timezone.localtime(registration.session.starts_at).isoformat(),
                "place": registration.session.place,
                "online_url": registration.session.online_url,
            },
        )
        for registration in due
    ]


def qualification_reminders(now: datetime) -> list[Reminder]:
    """The holder hears once, 30 days before a qualification expires."""
    today = timezone.localdate(now)
    expiring = Qualification.objects.filter(
        valid_until__gte=today,
        valid_until__lte=today + QUALIFICATION_NOTICE,
        user__email__isnull=False,
    ).select_related("user")
    return [
        Reminder(
            occasion=f"{qualification.pk}",
            to_email=qualification.user.email,
            recipient=qualification.user,
            template="trainings/email/qualification_expiring",
            language=qualification.user.preferred_language,
            context={
                "user_display": qualification.user.display_name,
                "qualification": qualification.name,
                "valid_until": qualification.valid_until.isoformat(),
                "catalogue_url": settings.PORTAL_URL + "/",
            },
        )
        for qualification in expiring
    ]


def _signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not getattr(
        user, "is_newcomer", False
    )


def register() -> None:
    register_attachment_builder("session-ics", _session_ics_attachment)
    register_reminder_source("training-session", session_reminders)
    register_reminder_source("qualification-expiring", qualification_reminders)
    register_nav_item(NavItem(_("Trainings"), "trainings:catalogue", _signed_in, 300))
    register_nav_item(
        NavItem(_("Training sessions"), "trainings:session_admin_list", is_coordinator, 310)
    )
