from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.vocabulary.models import District
from refugees.models import Newcomer
from volunteers.models import Volunteer


class DistrictNeighbour(models.Model):
    """Which districts border each other: "near" in the matching score. Kept both ways."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")

    # The vocabulary pages count records that use a district; its borders are part of it.
    counted_as = None

    class Meta:
        verbose_name = _("neighbouring district")
        verbose_name_plural = _("neighbouring districts")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "neighbour"], name="matching_neighbour_once"
            ),
            models.CheckConstraint(
                condition=~Q(district=models.F("neighbour")), name="matching_neighbour_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} - {self.neighbour}"


MAX_WEIGHT = 100


def _weight(label: str, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(0), MaxValueValidator(MAX_WEIGHT)]
    )


class MatchingWeights(models.Model):
    """The weights of the soft score, each 0 to 100; coordinators change them, the latest row
    counts. The bound keeps every score, and so every solver cost, small and exact."""

    language = _weight(_("shared language level"), 25)
    district = _weight(_("same or nearby district"), 20)
    themes = _weight(_("interests match the needs"), 20)
    availability = _weight(_("overlapping free times"), 15)
    waiting = _weight(_("waiting time (fairness)"), 20)
    age = _weight(_("age group the volunteer prefers"), 10)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__lte=MAX_WEIGHT)
                & Q(district__lte=MAX_WEIGHT)
                & Q(themes__lte=MAX_WEIGHT)
                & Q(availability__lte=MAX_WEIGHT)
                & Q(waiting__lte=MAX_WEIGHT)
                & Q(age__lte=MAX_WEIGHT),
                name="matching_weights_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d}"

    def clean(self) -> None:
        """The bounds every path shares (this page, the admin, the service): each weight 0 to
        MAX_WEIGHT, checked by the fields, and at least one above 0, or every pair would score
        the same and the engine's choice among them would say nothing."""
        values = self.as_dict()
        if all(isinstance(value, int) for value in values.values()) and not any(values.values()):
            raise ValidationError(
                _("At least one weight must be above 0, or every pair would score the same.")
            )

    def as_dict(self) -> dict[str, int]:
        return {
            "language": self.language,
            "district": self.district,
            "themes": self.themes,
            "availability": self.availability,
            "waiting": self.waiting,
            "age": self.age,
        }


class Rejection(models.Model):
    """A pair a coordinator turned down: later runs never propose it again."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rejected pair")
        verbose_name_plural = _("rejected pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "newcomer"], name="matching_rejection_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} x {self.newcomer}"


class Mentorship(models.Model):
    """A volunteer accompanying a newcomer, from the introduction to the end."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        INTRODUCED = "introduced", _("Introduced")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        GOAL_REACHED = "goal_reached", _("Goal reached")
        MOVED_AWAY = "moved_away", _("Moved away")
        NO_CONTACT = "no_contact", _("No contact any more")
        CONFLICT = "conflict", _("Conflict")
        VOLUNTEER_WITHDREW = "volunteer_withdrew", _("The volunteer withdrew")
        OTHER = "other", pgettext_lazy("end reason", "Other")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="mentorships")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="mentorships")
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.PROPOSED)

    class Flag(models.TextChoices):
        NEEDS_HELP = "help", _("The volunteer asked for help")
        CHECK_INS_MISSED = "missed", _("Two check-ins missed")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Once a month")
        AS_NEEDED = "as_needed", _("When needed")

    first_meeting_on = models.DateField(_("first meeting"), null=True, blank=True)
    first_meeting_place = models.CharField(_("where they first meet"), max_length=200, blank=True)
    # Interprets between the pair when they share no language (a volunteer in that role).
    language_mediator = models.ForeignKey(
        Volunteer,
        verbose_name=_("language mediator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediations",
    )
    # The agreement the pair made at the start.
    goals = models.TextField(_("what we want to achieve"), max_length=2000, blank=True)
    meeting_frequency = models.CharField(
        _("how often we meet"), max_length=12, choices=Frequency, blank=True
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    # Set for a pair a coordinator made by hand; the reason when they overrode a hard rule.
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.CharField(
        _("why the rules were overridden"), max_length=300, blank=True
    )
    flag = models.CharField(_("needs attention"), max_length=10, choices=Flag, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason, blank=True)
    # Paused because the volunteer paused (not by a coordinator): resumes when they resume.
    paused_with_volunteer = models.BooleanField(default=False, editable=False)
    state_changed_at = models.DateTimeField(_("state since"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            # A newcomer has at most one open mentorship; the database is the last guard.
            models.UniqueConstraint(
                fields=["newcomer"],
                condition=~Q(state="ended"),
                name="matching_mentorship_one_open_per_newcomer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.newcomer}"


class MatchingRun(models.Model):
    """One run of the engine: who started it, with which weights and scope, and what came out."""

    class State(models.TextChoices):
        RUNNING = "running", pgettext_lazy("matching run", "Running")
        DONE = "done", pgettext_lazy("matching run", "Done")
        FAILED = "failed", pgettext_lazy("matching run", "Failed")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.RUNNING)
    weights = models.JSONField(_("weights"), default=dict)
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    newcomers_considered = models.PositiveIntegerField(default=0)
    proposals_made = models.PositiveIntegerField(default=0)
    total_score = models.PositiveIntegerField(default=0)
    unmatched_by_reason = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"

    STAGES = ("load", "score", "solve", "write")

    @property
    def percent_done(self) -> int:
        if self.state != self.State.RUNNING:
            return 100
        finished = sum(1 for stage in self.STAGES if stage in self.timings)
        return 100 * finished // len(self.STAGES)

    @property
    def unmatched(self) -> int:
        return sum(self.unmatched_by_reason.values())


class Proposal(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("The volunteer withdrew")

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    # Points per criterion; they add up to the score.
    components = models.JSONField(_("score by criterion"), default=dict)
    runner_ups = models.JSONField(_("runner-up volunteers"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PROPOSED)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-score", "pk"]
        # A run's page of best proposals comes off this index (36 ms -> under 1 ms for a run
        # of 3,400 proposals), not from sorting every proposal joined with both people.
        indexes = [models.Index("run", F("score").desc(), "id", name="matching_proposal_rank_idx")]

    def __str__(self) -> str:
        return f"{self.volunteer} x {self.newcomer} ({self.score})"


class Leftover(models.Model):
    """A newcomer a run could not match, and why, in words a coordinator understands."""

    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="leftovers")
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20)
    # Names of the languages and the district involved, so that the reason reads in any locale.
    details = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("unmatched newcomer")
        verbose_name_plural = _("unmatched newcomers")

    def __str__(self) -> str:
        return f"{self.newcomer_id}: {self.reason}"


class CheckIn(models.Model):
    """ "How is it going?" asked of the volunteer every few weeks through a one-click link."""

    class Answer(models.TextChoices):
        GOOD = "good", _("Good")
        DIFFICULTIES = "difficulties", _("Some difficulties")
        NEED_HELP = "help", _("I need help")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="checkins")
    due_on = models.DateField(_("asked on"))
    # Only the hash: the link in the e-mail is the proof, like a password.
    token_hash = models.CharField(max_length=64, unique=True)
    answer = models.CharField(_("answer"), max_length=12, choices=Answer, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-due_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.mentorship_id} {self.due_on}"


class ClosingFeedback(models.Model):
    """How it went, asked of both sides once a mentorship has ended."""

    class Side(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        NEWCOMER = "newcomer", _("Newcomer")

    class Rating(models.TextChoices):
        GOOD = "good", _("Good")
        MIXED = "mixed", _("Partly good")
        BAD = "bad", _("Not good")

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    side = models.CharField(_("from"), max_length=10, choices=Side)
    rating = models.CharField(_("how it went"), max_length=6, choices=Rating)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("closing feedback")
        verbose_name_plural = _("closing feedback")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "side"], name="matching_feedback_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship_id} {self.side}: {self.rating}"
