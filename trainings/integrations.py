"""Where trainings plug into the rest: e-mail attachments, reminders, navigation, other apps."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen import dates
from ankommen.accounts.permissions import is_coordinator
from ankommen.fragments import refresh_when_changed
from ankommen.messaging.attachments import ATTACHMENTS, Attachment, AttachmentBuilder
from ankommen.messaging.services import REMINDERS, DueReminder, ReminderSource
from ankommen.navigation import NAVIGATION, TRAININGS, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from ankommen.translated_content import all_versions, for_reader
from refugees.hooks import APPOINTMENTS, OFFERS, Appointment, Offer
from refugees.models import Newcomer
from trainings import demo, privacy
from trainings.calendar import session_ics
from trainings.models import Audience, Course, Qualification, Registration, Session
from trainings.services import cancel_for_withdrawal
from translations.hooks import TRANSLATABLE, Translatable
from volunteers.hooks import (
    BASIC_TRAINING,
    BUSY,
    CERTIFICATE_SECTIONS,
    DETAIL_PANELS,
    WITHDRAWAL,
    BasicTraining,
    DetailPanel,
    TrainingDate,
    Withdrawal,
)
from volunteers.models import Volunteer

QUALIFICATION_NOTICE = timedelta(days=30)


def _session_ics_attachment(spec: dict[str, Any]) -> Attachment:
    session = Session.objects.select_related("course").get(pk=spec["session_id"])
    return ("training.ics", session_ics(session), "text/calendar")


def session_reminders(now: datetime) -> list[DueReminder]:
    """Everyone confirmed, once, within 24 hours of the start."""
    due = Registration.objects.filter(
        state=Registration.State.CONFIRMED,
        session__status=Session.Status.PLANNED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + timedelta(hours=24),
        user__isnull=False,
    ).select_related("user", "session__course")
    return [
        DueReminder(
            person=registration.user,
            occasion="trainings/reminder",
            key=f"{registration.pk}:{registration.session.starts_at.isoformat()}",
            context={
                "course": all_versions(registration.session.course, "title"),
                "starts_at": timezone.localtime(registration.session.starts_at).isoformat(),
                "place": all_versions(registration.session, "place"),
                "online_url": registration.session.online_url,
            },
        )
        for registration in due
        if registration.user is not None  # the query asks for an account; this tells mypy
    ]


def qualification_reminders(now: datetime) -> list[DueReminder]:
    """The holder hears once, 30 days before a qualification expires."""
    today = timezone.localdate(now)
    expiring = Qualification.objects.filter(
        valid_until__gte=today,
        valid_until__lte=today + QUALIFICATION_NOTICE,
        user__isnull=False,
    ).select_related("user")
    return [
        DueReminder(
            person=qualification.user,
            occasion="trainings/qualification_expiring",
            key=f"{qualification.pk}",
            context={
                "qualification": qualification.name,
                "valid_until": qualification.valid_until.isoformat(),
                "catalogue_url": settings.PORTAL_URL + "/",
            },
        )
        for qualification in expiring
        if qualification.user is not None and qualification.valid_until is not None
    ]


def _courses_still_read() -> QuerySet[Course]:
    return Course.objects.filter(retired_at__isnull=True)


def _sessions_still_read() -> QuerySet[Session]:
    """Planned sessions to come: a past session's place is read by nobody any more."""
    return Session.objects.filter(status=Session.Status.PLANNED, ends_at__gt=timezone.now())


def _signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not getattr(
        user, "is_newcomer", False
    )


def register() -> None:
    # The catalogue's language filter offers the languages some course is given in.
    refresh_when_changed(Course, Course.languages.through)
    WITHDRAWAL.register(_end_for_withdrawal)
    BUSY.register(_busy_in_sessions)
    APPOINTMENTS.register(_newcomer_appointments)
    OFFERS.register(_newcomer_offers)
    TRANSLATABLE.register(Translatable(Course, Course._meta.verbose_name, _courses_still_read))
    TRANSLATABLE.register(Translatable(Session, Session._meta.verbose_name, _sessions_still_read))
    DETAIL_PANELS.register(DetailPanel(_("Trainings"), 300, _volunteer_panel))
    BASIC_TRAINING.register(_basic_training)
    CERTIFICATE_SECTIONS.register(_certificate_section)
    ATTACHMENTS.register(AttachmentBuilder("session-ics", _session_ics_attachment))
    REMINDERS.register(ReminderSource("training-session", session_reminders))
    REMINDERS.register(ReminderSource("qualification-expiring", qualification_reminders))
    NAVIGATION.register(NavItem(_("Trainings"), "trainings:catalogue", _signed_in, 300, TRAININGS))
    NAVIGATION.register(
        NavItem(
            _("Training sessions"), "trainings:session_admin_list", is_coordinator, 310, TRAININGS
        )
    )
    NAVIGATION.register(
        NavItem(_("Courses"), "trainings:course_list", is_coordinator, 320, TRAININGS)
    )
    NAVIGATION.register(
        NavItem(
            _("Attendance to record"), "trainings:needs_attendance", is_coordinator, 330, TRAININGS
        )
    )
    privacy.register()
    DEMO_SEEDERS.register(demo.seed_trainings)


def _newcomer_appointments(newcomer: Newcomer) -> list[Appointment]:
    """Sure places and waiting-list places, in one query whatever their number.

    The position counts who waits longer on the same session, in the order in which
    `_promote_first_waiting` hands out a freed place (created, then primary key).
    """
    waiting = Registration.State.WAITLISTED
    waits_longer = (
        Registration.objects.filter(session=OuterRef("session"), state=waiting)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    registrations = (
        Registration.objects.filter(
            newcomer=newcomer,
            state__in=[Registration.State.CONFIRMED, waiting],
            session__status=Session.Status.PLANNED,
            session__starts_at__gte=timezone.now(),
        )
        .annotate(waiting_ahead=Coalesce(Subquery(waits_longer, output_field=IntegerField()), 0))
        .select_related("session__course")
    )
    return [
        Appointment(
            title=for_reader(registration.session.course, "title"),
            starts_at=registration.session.starts_at,
            place=for_reader(registration.session, "place"),
            waiting_position=(
                registration.waiting_ahead + 1 if registration.state == waiting else None
            ),
        )
        for registration in registrations
    ]


def _newcomer_offers(newcomer: Newcomer) -> list[Offer]:
    """Upcoming newcomer courses, those taught in the newcomer's languages first."""
    spoken = set(newcomer.languages.values_list("language__code", flat=True))
    taken = Registration.objects.filter(newcomer=newcomer).exclude(
        state=Registration.State.CANCELLED
    )
    sessions = (
        Session.objects.filter(
            status=Session.Status.PLANNED,
            starts_at__gt=timezone.now(),
            course__audience__in=["newcomers", "both"],
        )
        .exclude(pk__in=taken.values("session_id"))
        .select_related("course__theme")
        .prefetch_related("course__languages")
        .order_by("starts_at")[:30]
    )
    offers = [
        Offer(
            title=for_reader(session.course, "title"),
            theme=session.course.theme.localized_name if session.course.theme else "",
            description=for_reader(session.course, "description", limit=300),
            where=for_reader(session, "place"),
            languages=[language.code for language in session.course.languages.all()],
            when=session.starts_at,
            sign_up_url=reverse("trainings:newcomer_sign_up", args=[session.pk]),
        )
        for session in sessions
    ]
    return sorted(offers, key=lambda offer: not spoken.intersection(offer.languages))


def _volunteer_panel(volunteer: Volunteer, request: Any) -> str:
    registrations = (
        Registration.objects.filter(user_id=volunteer.user_id)
        .exclude(state=Registration.State.CANCELLED)
        .select_related("session__course")
        .order_by("-session__starts_at")[:20]
    )
    qualifications = Qualification.objects.filter(user_id=volunteer.user_id)
    return render_to_string(
        "trainings/partials/_volunteer_panel.html",
        {"registrations": registrations, "qualifications": qualifications},
        request=request,
    )


# How many dates of the basic training a volunteer without one is offered.
BASIC_TRAINING_DATES = 3


def _training_date(session: Session) -> TrainingDate:
    return TrainingDate(
        title=session.course.title,
        starts_at=session.starts_at,
        url=session.get_absolute_url(),
        place=session.place,
        is_full=session.free_places == 0,
    )


def _basic_training(volunteer: Volunteer) -> BasicTraining:
    """Their place in a basic training still to come, or else the next dates open for sign-up
    (a full one too: its waiting list takes them). Two queries at most."""
    now = timezone.now()
    ahead = Q(
        course__is_basic_training=True,
        course__audience__in=[Audience.VOLUNTEERS, Audience.BOTH],
        status=Session.Status.PLANNED,
        starts_at__gt=now,
    )
    booked = (
        Registration.objects.filter(
            user_id=volunteer.user_id,
            state__in=[Registration.State.CONFIRMED, Registration.State.WAITLISTED],
            session__in=Session.objects.filter(ahead),
        )
        .select_related("session__course")
        .order_by("session__starts_at")
        .first()
    )
    upcoming: list[Session] = []
    if booked is None:
        upcoming = list(
            Session.objects.filter(ahead)
            .filter(Q(signup_deadline__isnull=True) | Q(signup_deadline__gt=now))
            .select_related("course")
            .order_by("starts_at", "pk")[:BASIC_TRAINING_DATES]
        )
    return BasicTraining(
        booked=_training_date(booked.session) if booked is not None else None,
        is_waiting=booked is not None and booked.state == Registration.State.WAITLISTED,
        upcoming=[_training_date(session) for session in upcoming],
        catalogue_url=reverse("trainings:catalogue") + f"?audience={Audience.VOLUNTEERS}",
    )


def _certificate_section(volunteer: Volunteer) -> tuple[str, list[str]]:
    attended = (
        Registration.objects.filter(user_id=volunteer.user_id, attended=True)
        .select_related("session__course")
        .order_by("session__starts_at")
    )
    lines = [
        "{title} ({day})".format(
            title=registration.session.course.title,
            day=dates.format_date(registration.session.starts_at, length="medium"),
        )
        for registration in attended
    ]
    return str(_("Trainings attended")), lines


def _end_for_withdrawal(withdrawal: Withdrawal) -> None:
    cancel_for_withdrawal(user=withdrawal.volunteer.user)


def _busy_in_sessions(starts_at: datetime, ends_at: datetime) -> QuerySet[Registration]:
    """Confirmed places in sessions overlapping the time."""
    return Registration.objects.filter(
        state=Registration.State.CONFIRMED,
        session__starts_at__lt=ends_at,
        session__ends_at__gt=starts_at,
    )
