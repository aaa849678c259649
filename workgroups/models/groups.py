from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ankommen.vocabulary.models import District, Language, Theme


class EndReason(models.TextChoices):
    """Why a membership, a task sign-up or a mediation ended without the person doing it."""

    VOLUNTEER_WITHDREW = "volunteer_withdrew", _("The volunteer withdrew")


class WorkingGroup(models.Model):
    name = models.CharField(_("name"), max_length=200)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("description"), blank=True)
    is_permanent = models.BooleanField(_("permanent"), default=True)
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("For temporary groups.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_permanent=True) | Q(ends_on__isnull=False),
                name="workgroups_workinggroup_temporary_has_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workgroups:group_detail", args=[self.pk])


class Membership(models.Model):
    """A person's place in a group: a request first, then member or lead, or declined/left."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        LEAD = "lead", _("Lead")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.REQUESTED)
    request_note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # Empty when the member left on their own.
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(state__in=["requested", "active"]),
                name="workgroups_membership_once",
            ),
            models.CheckConstraint(
                condition=~Q(role="lead") | Q(state="active"),
                name="workgroups_membership_lead_is_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.group}"


class Meeting(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("present"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.group} {self.starts_at:%Y-%m-%d}"


class Task(models.Model):
    """A concrete engagement opportunity ("Tätigkeitsbeschreibung") volunteers sign up to."""

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", _("One-off")
        RECURRING = "recurring", _("Recurring")

    class Review(models.TextChoices):
        """A task a partner organisation posts is shown once a coordinator approves it."""

        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Waiting for a coordinator")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("description"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )
    where = models.CharField(_("where"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.ONE_OFF)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    schedule = models.CharField(
        _("when (recurring)"), max_length=200, blank=True, help_text=_("E.g. every Tuesday 16-18")
    )
    time_needed = models.CharField(_("time needed"), max_length=200, blank=True)
    languages = models.ManyToManyField(Language, verbose_name=_("languages needed"), blank=True)
    helpers_needed = models.PositiveSmallIntegerField(_("helpers needed"), default=1)
    signed_up_count = models.PositiveSmallIntegerField(default=0, editable=False)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    # Whether it takes sign-ups now: false when full, started or closed (the services keep it).
    is_open = models.BooleanField(_("open"), default=True)
    # Set when a coordinator or lead closes it: no new sign-ups, whatever places are left,
    # until it is reopened; those signed up keep their place.
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    partner = models.ForeignKey(
        "workgroups.Partner",
        verbose_name=_("posted by organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    review = models.CharField(
        _("review"), max_length=10, choices=Review, default=Review.APPROVED, editable=False
    )
    review_note = models.CharField(_("why it was declined"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_up_count__lte=F("helpers_needed")),
                name="workgroups_task_never_overfilled",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="workgroups_task_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(is_open=False),
                name="workgroups_task_closed_takes_no_signups",
            ),
            # Every sign-up path checks is_open under a row lock: a task not approved is
            # shown to nobody but its organisation and coordinators, and takes no sign-up.
            models.CheckConstraint(
                condition=Q(review="approved") | Q(is_open=False),
                name="workgroups_task_unapproved_takes_no_signups",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workgroups:task_detail", args=[self.pk])

    @property
    def places_left(self) -> int:
        return max(self.helpers_needed - self.signed_up_count, 0)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at is not None and self.starts_at <= timezone.now()


class TaskSignup(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_signups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Empty when the helper cancelled on their own.
    cancel_reason = models.CharField(
        _("why it was cancelled"), max_length=20, choices=EndReason, blank=True
    )

    class Meta:
        verbose_name = _("task sign-up")
        verbose_name_plural = _("task sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"],
                condition=Q(cancelled_at__isnull=True),
                name="workgroups_tasksignup_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.task}"
