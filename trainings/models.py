from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ankommen.vocabulary.models import Language, Theme
from refugees.models import Newcomer


class Audience(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    NEWCOMERS = "newcomers", _("Newcomers")
    BOTH = "both", _("Volunteers and newcomers")


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("for"), max_length=12, choices=Audience, default=Audience.VOLUNTEERS
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages of instruction"), blank=True
    )
    is_basic_training = models.BooleanField(
        _("basic training"),
        default=False,
        help_text=_("Volunteers must attend it before they can be matched."),
    )
    prerequisites: "models.ManyToManyField[Course, Any]" = models.ManyToManyField(
        "self", verbose_name=_("prerequisites"), symmetrical=False, blank=True
    )
    qualification = models.CharField(
        _("qualification granted"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty if attending grants no qualification."),
    )
    qualification_months = models.PositiveSmallIntegerField(
        _("qualification valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it does not expire."),
    )
    # Set when a coordinator retires the course: it gets no new sessions, and its future ones
    # were cancelled then. Past sessions, attendance and qualifications stay.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_for_newcomers(self) -> bool:
        return self.audience in (Audience.NEWCOMERS, Audience.BOTH)

    @property
    def is_for_volunteers(self) -> bool:
        return self.audience in (Audience.VOLUNTEERS, Audience.BOTH)


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"))
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True, related_name="+"
    )
    signup_deadline = models.DateTimeField(_("sign-up until"), null=True, blank=True)
    cancellation_deadline = models.DateTimeField(_("cancellation until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    # Kept in step under the session's row lock; the constraint is the last guard.
    confirmed_count = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="trainings_session_when_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity")),
                name="trainings_session_never_overbooked",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="trainings_session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session_detail", args=[self.pk])

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    def clean(self) -> None:
        """What every session needs, whoever plans it: an end after its start, a place, at least
        one seat and not fewer than the people holding one, deadlines before the start, and a
        course that still runs (a new session only)."""
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        if not self.place and not self.online_url:
            errors["place"] = _("Please give a place or an online link.")
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = _("A session needs at least one place.")
        elif self.capacity is not None and self.capacity < self.confirmed_count:
            errors["capacity"] = ngettext(
                "%(count)d person already has a place: the session needs at least as many.",
                "%(count)d people already have a place: the session needs at least as many.",
                self.confirmed_count,
            ) % {"count": self.confirmed_count}
        for deadline in ("signup_deadline", "cancellation_deadline"):
            value = getattr(self, deadline)
            if value and self.starts_at and value > self.starts_at:
                errors[deadline] = _("The deadline must not be after the start.")
        if self._state.adding and self.course_id and self.course.is_retired:
            errors["course"] = _("This course has been retired: it gets no new sessions.")
        if errors:
            raise ValidationError(errors)


class Registration(models.Model):
    """A sign-up of a volunteer (by account) or a newcomer (by record) for one session."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class CancelReason(models.TextChoices):
        VOLUNTEER_WITHDREW = "volunteer_withdrew", _("The volunteer withdrew")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    newcomer = models.ForeignKey(
        Newcomer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_registrations",
    )
    state = models.CharField(_("state"), max_length=12, choices=State)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Empty when the participant or a coordinator cancelled by hand.
    cancel_reason = models.CharField(
        _("why it was cancelled"), max_length=20, choices=CancelReason, blank=True
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, newcomer__isnull=True)
                | Q(user__isnull=True, newcomer__isnull=False),
                name="trainings_registration_one_participant",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(state="cancelled") & Q(user__isnull=False),
                name="trainings_registration_user_once",
            ),
            models.UniqueConstraint(
                fields=["session", "newcomer"],
                condition=~Q(state="cancelled") & Q(newcomer__isnull=False),
                name="trainings_registration_newcomer_once",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "state", "created_at"], name="trainings_reg_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.participant_name} · {self.session}"

    @property
    def participant_name(self) -> str:
        return self.user.full_name if self.user_id else self.newcomer.full_name

    @property
    def participant_language(self) -> str:
        return self.user.preferred_language if self.user_id else self.newcomer.preferred_language


class Qualification(models.Model):
    """Granted by attending a course; may expire."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    newcomer = models.ForeignKey(
        Newcomer, null=True, blank=True, on_delete=models.CASCADE, related_name="qualifications"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("qualification"), max_length=200)
    granted_on = models.DateField(_("granted on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["-granted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, newcomer__isnull=True)
                | Q(user__isnull=True, newcomer__isnull=False),
                name="trainings_qualification_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CalendarFeed(models.Model):
    """A personal calendar URL; only a hash of its secret is kept, and it can be renewed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
