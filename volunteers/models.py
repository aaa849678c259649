from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.audit.tracking import AuditedQuerySet
from ankommen.vocabulary.models import District, Language, LanguageLevel, Theme


class Stage(models.TextChoices):
    """The onboarding journey; allowed moves are in volunteers/stages.py."""

    APPLIED = "applied", _("Applied")
    CONVERSATION_SCHEDULED = "conversation_scheduled", _("First conversation scheduled")
    CONVERSATION_DONE = "conversation_done", _("First conversation done")
    TRAINED = "trained", _("Basic training done")
    CLEARANCE_CHECKED = "clearance_checked", _("Police clearance checked")
    READY = "ready", _("Ready")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    DIVERSE = "diverse", _("Diverse")
    UNSAID = "unsaid", _("Prefer not to say")


class VolunteerRole(models.TextChoices):
    """What a volunteer would like to do; each is a boolean field wants_<value>."""

    MENTOR = "mentor", _("Mentor or friend")
    GUIDE = "guide", pgettext_lazy("volunteer role", "Guide (Lotse)")
    LANGUAGE_MEDIATOR = "language_mediator", _("Language mediator")
    TRAINER = "trainer", _("Trainer")
    WORKING_GROUP = "working_group", _("Working-group member")
    OCCASIONAL = "occasional", _("Occasional helper")


class AgePreference(models.TextChoices):
    """Whom a volunteer would rather accompany; the matching score favours it, never requires it."""

    YOUNG = "young", _("Children and teenagers (with their families)")
    YOUNG_ADULTS = "young_adults", _("Young adults (18 to 26)")
    ADULTS = "adults", _("Adults (27 to 64)")
    SENIORS = "seniors", _("Older people (65 and over)")


class Volunteer(models.Model):
    """A volunteer's profile; it exists only once they have agreed to the data processing."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer"
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    skills = models.TextField(_("skills"), blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes of interest"), blank=True)
    wants_mentor = models.BooleanField(VolunteerRole.MENTOR.label, default=False)
    wants_guide = models.BooleanField(VolunteerRole.GUIDE.label, default=False)
    wants_language_mediator = models.BooleanField(
        VolunteerRole.LANGUAGE_MEDIATOR.label, default=False
    )
    wants_trainer = models.BooleanField(VolunteerRole.TRAINER.label, default=False)
    wants_working_group = models.BooleanField(VolunteerRole.WORKING_GROUP.label, default=False)
    wants_occasional = models.BooleanField(VolunteerRole.OCCASIONAL.label, default=False)
    accepts_minors = models.BooleanField(_("happy to work with minors"), default=False)
    accepts_families = models.BooleanField(_("happy to accompany families"), default=False)
    # AgePreference values; empty means "does not matter".
    age_preferences = models.JSONField(
        _("ages I would like to accompany"), default=list, blank=True
    )
    max_mentorships = models.PositiveSmallIntegerField(
        _("newcomers or families at a time"),
        default=1,
        validators=[MaxValueValidator(10)],
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("hours per month"), null=True, blank=True, validators=[MaxValueValidator(200)]
    )
    # 21 bits: weekday (0 = Monday) x part of day (morning, afternoon, evening); see availability.py
    availability = models.PositiveIntegerField(_("weekly availability"), default=0)

    stage = models.CharField(_("stage"), max_length=30, choices=Stage, default=Stage.APPLIED)
    stage_changed_at = models.DateTimeField(_("stage since"), auto_now_add=True)
    stage_before_pause = models.CharField(max_length=30, choices=Stage, blank=True)
    first_conversation_at = models.DateTimeField(_("first conversation"), null=True, blank=True)

    wizard_step = models.PositiveSmallIntegerField(default=0)
    profile_completed_at = models.DateTimeField(_("profile completed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True)
    retain_until = models.DateField(
        _("personal data kept until"),
        null=True,
        blank=True,
        help_text=_("Set on withdrawal: the data are deleted after this day."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        # user_id, not pk, breaks ties: both sort keys then live in accounts_user_name_idx.
        ordering = ["user__full_name", "user_id"]
        indexes = [
            models.Index(fields=["stage", "stage_changed_at"], name="volunteers_stage_idx"),
            models.Index(fields=["last_activity_at"], name="volunteers_activity_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(availability__lt=2**21), name="volunteers_volunteer_slots"
            ),
            models.CheckConstraint(
                condition=~models.Q(stage="withdrawn") | models.Q(withdrawn_at__isnull=False),
                name="volunteers_volunteer_withdrawn_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.user.full_name

    def get_absolute_url(self) -> str:
        return reverse("volunteers:volunteer_detail", args=[self.pk])

    @property
    def age_preference_labels(self) -> list[str]:
        return [
            AgePreference(value).label
            for value in self.age_preferences
            if value in AgePreference.values
        ]

    @property
    def roles(self) -> list[VolunteerRole]:
        return [role for role in VolunteerRole if getattr(self, f"wants_{role.value}")]

    @property
    def needs_clearance(self) -> bool:
        """An extended police clearance is needed to work with minors (§ 72a SGB VIII)."""
        return self.accepts_minors


class VolunteerConsent(models.Model):
    """Which version of the data-processing text a volunteer agreed to, and when."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="consents")
    text_version = models.CharField(_("text version"), max_length=20)
    text = models.TextField(_("text agreed to"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    agreed_at = models.DateTimeField(_("agreed at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-agreed_at"]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.text_version}"


class LanguageSkill(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, verbose_name=_("language"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=20, choices=LanguageLevel)

    # The vocabulary pages count the volunteers who speak a language, not these rows.
    counted_as = "volunteer"

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        ordering = ["language__name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "language"], name="volunteers_languageskill_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class StageChange(models.Model):
    """Every move on the onboarding journey: who, when, from where to where, and why."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(
        pgettext_lazy("stage change", "from"), max_length=30, choices=Stage, blank=True
    )
    to_stage = models.CharField(pgettext_lazy("stage change", "to"), max_length=30, choices=Stage)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.from_stage} → {self.to_stage}"


class HoursEntry(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    worked_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    hours_submitted = models.DecimalField(
        _("hours as submitted"), max_digits=4, decimal_places=2, editable=False
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Told to the volunteer with the decision; hours declined in bulk always say why.
    decline_reason = models.CharField(_("why not approved"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours")
        ordering = ["-worked_on", "-pk"]
        indexes = [models.Index(fields=["state", "worked_on"], name="volunteers_hours_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24),
                name="volunteers_hoursentry_hours_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.worked_on}: {self.hours}"


class ClearanceCheck(models.Model):
    """An inspected police clearance certificate: the facts only, never a copy of it."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="clearance_checks"
    )
    seen_on = models.DateField(_("seen on"))
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("police clearance check")
        verbose_name_plural = _("police clearance checks")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="volunteers_clearancecheck_valid_after_issue",
            ),
            models.CheckConstraint(
                condition=models.Q(seen_on__gte=models.F("issued_on")),
                name="volunteers_clearancecheck_seen_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.valid_until}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_until >= day


class CoordinatorNote(models.Model):
    """Internal notes about a volunteer: only coordinators read them in the portal; the
    volunteer receives them, without the author's name, with their data export."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coordinator note")
        verbose_name_plural = _("coordinator notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:50]
