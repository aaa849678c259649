"""Newcomers. The app is called "refugees"; the model and the UI say "newcomer"."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.audit.tracking import AuditedQuerySet
from ankommen.names import PersonNameField
from ankommen.vocabulary.models import District, Language, LanguageLevel, Theme


class AgeGroup(models.TextChoices):
    CHILD_0_5 = "0-5", _("Under 6 years")
    CHILD_6_13 = "6-13", _("6 to 13 years")
    YOUTH_14_17 = "14-17", _("14 to 17 years")
    ADULT_18_26 = "18-26", _("18 to 26 years")
    ADULT_27_45 = "27-45", _("27 to 45 years")
    ADULT_46_64 = "46-64", _("46 to 64 years")
    SENIOR = "65+", _("65 years and older")

    @classmethod
    def minors(cls) -> list[str]:
        return [cls.CHILD_0_5, cls.CHILD_6_13, cls.YOUTH_14_17]

    @classmethod
    def for_age(cls, age: int) -> "AgeGroup":
        for least, group in AGE_GROUP_FROM:
            if age >= least:
                return group
        return cls.CHILD_0_5


AGE_GROUP_FROM = [
    (65, AgeGroup.SENIOR),
    (46, AgeGroup.ADULT_46_64),
    (27, AgeGroup.ADULT_27_45),
    (18, AgeGroup.ADULT_18_26),
    (14, AgeGroup.YOUTH_14_17),
    (6, AgeGroup.CHILD_6_13),
]
COMING_OF_AGE = 18


# One definition of "minor" for the newcomer and every household member, in Python and in SQL.
# A year of birth alone cannot tell whether this year's birthday has passed, so everyone is
# taken at the youngest age their year allows: whoever turns 18 this calendar year counts as a
# minor until the year ends. Where the age group and the year of birth disagree, whichever says
# minor counts: treating a child as an adult would take away the child's protection.
def youngest_age(birth_year: int, today: date) -> int:
    return max(today.year - birth_year - 1, 0)


def is_minor(*, age_group: str, birth_year: int | None, today: date) -> bool:
    """A minor by the age group or by the year of birth, whichever says so."""
    by_year = birth_year is not None and youngest_age(birth_year, today) < COMING_OF_AGE
    return age_group in AgeGroup.minors() or by_year


def kept_age_group(*, age_group: str, birth_year: int | None, today: date) -> str:
    """The age group to keep when the year of birth is erased: the one recorded, or else the
    one the year gives, so that a child stays a minor and still counts in the figures."""
    if age_group or birth_year is None:
        return age_group
    return AgeGroup.for_age(youngest_age(birth_year, today))


def minor_q(today: date) -> Q:
    """`is_minor` as a condition on a newcomer's or a household member's row."""
    return Q(age_group__in=AgeGroup.minors()) | Q(birth_year__gte=today.year - COMING_OF_AGE)


class ResidenceStatus(models.TextChoices):
    """The categories networks work with (seed 004); special-category data, see the README."""

    RECOGNISED = "recognised", _("Recognised")
    IN_PROCEDURE = "in_procedure", _("Asylum procedure ongoing")
    TOLERATED = "tolerated", _("Tolerated stay (Duldung)")
    DEPORTATION_BAN = "deportation_ban", _("Deportation ban")
    OTHER = "other", pgettext_lazy("residence status", "Other")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Newcomer(models.Model):
    """A newcomer recorded by a coordinator, with the minimum the network needs."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        DIVERSE = "diverse", _("Diverse")
        UNSAID = "unsaid", _("Prefer not to say")

    class Household(models.TextChoices):
        SINGLE = "single", _("Single person")
        FAMILY = "family", _("Family")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newcomer",
        editable=False,
        help_text=_("The account the personal access link signs in to."),
    )
    full_name = PersonNameField(_("full name"), max_length=200)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender, blank=True)
    household = models.CharField(
        _("household"), max_length=10, choices=Household, default=Household.SINGLE
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )
    residence_status = models.CharField(
        _("residence status"), max_length=20, choices=ResidenceStatus, blank=True
    )
    preferred_language = models.CharField(
        _("language of the newcomer's pages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # The newcomer chooses the language of their pages on the first visit; until then the
    # coordinator's guess is used and the language page comes first.
    language_confirmed = models.BooleanField(default=False, editable=False)
    wants_same_gender_contact = models.BooleanField(
        _("wants a contact person of the same gender"), default=False
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    share_phone = models.BooleanField(_("phone may be given to the contact person"), default=False)
    share_email = models.BooleanField(_("e-mail may be given to the contact person"), default=False)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    waiting_since = models.DateField(_("waiting since"))
    # 0 without an open need, 4 for an urgent one; kept by refugees.urgency.
    most_urgent_need = models.PositiveSmallIntegerField(default=0, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditedQuerySet.as_manager()

    class Meta:
        verbose_name = _("newcomer")
        verbose_name_plural = _("newcomers")
        ordering = ["full_name", "pk"]
        indexes = [
            models.Index(fields=["waiting_since"], name="refugees_waiting_idx"),
            # The coordinators' list: most urgent first, then whoever has waited longest.
            models.Index(
                models.F("most_urgent_need").desc(),
                "waiting_since",
                "id",
                name="refugees_queue_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900),
                name="refugees_newcomer_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=~models.Q(share_email=True) | ~models.Q(email=""),
                name="refugees_newcomer_shared_email_exists",
            ),
            models.CheckConstraint(
                condition=~models.Q(share_phone=True) | ~models.Q(phone=""),
                name="refugees_newcomer_shared_phone_exists",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("refugees:newcomer_detail", args=[self.pk])

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0] if self.full_name else ""

    @property
    def is_minor(self) -> bool:
        return is_minor(
            age_group=self.age_group, birth_year=self.birth_year, today=timezone.localdate()
        )


class HouseholdMember(models.Model):
    class Relation(models.TextChoices):
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Child")
        OTHER = "other", pgettext_lazy("household relation", "Other")

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation)
    # Either may be known; together they decide who is a minor (see `is_minor`).
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    first_name = PersonNameField(_("first name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["relation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(age_group="") | Q(birth_year__isnull=False),
                name="refugees_householdmember_age_known",
                violation_error_message=_("Please give the age group or the year of birth."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900),
                name="refugees_householdmember_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        age = self.get_age_group_display() if self.age_group else self.birth_year
        return f"{self.get_relation_display()} ({age})"

    @property
    def is_minor(self) -> bool:
        return is_minor(
            age_group=self.age_group, birth_year=self.birth_year, today=timezone.localdate()
        )


def with_minors(today: date) -> Q:
    """Newcomers who are minors themselves or have one in their household."""
    members = HouseholdMember.objects.filter(minor_q(today), newcomer=OuterRef("pk"))
    return minor_q(today) | Q(Exists(members))


class NewcomerLanguage(models.Model):
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, verbose_name=_("language"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=20, choices=LanguageLevel)

    # The vocabulary pages count the newcomers who speak a language, not these rows.
    counted_as = "newcomer"

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(
                fields=["newcomer", "language"], name="refugees_newcomerlanguage_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class Need(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    class Source(models.TextChoices):
        COORDINATOR = "coordinator", _("Recorded by a coordinator")
        NEWCOMER = "newcomer", _("Asked for by the newcomer")

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="needs")
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency, default=Urgency.MEDIUM)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status, default=Status.OPEN)
    source = models.CharField(_("source"), max_length=15, choices=Source)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "urgency"], name="refugees_need_status_idx")]

    def __str__(self) -> str:
        return f"{self.theme}: {self.get_urgency_display()}"


class NewcomerConsent(models.Model):
    """Consent obtained in person: by whom, when, in which language, for what."""

    class Purpose(models.TextChoices):
        RECORD = "record", _("Keeping this record to arrange support")
        SHARE_CONTACT = "share_contact", _("Giving the contact details to the contact person")
        EMAIL = "email", _("Receiving information by e-mail")

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    obtained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("obtained by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    obtained_on = models.DateField(_("obtained on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-obtained_on", "-pk"]

    def __str__(self) -> str:
        return self.get_purpose_display()


class AccessLink(models.Model):
    """A personal sign-in link; only a hash of its token is stored, never the token."""

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="access_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access link")
        verbose_name_plural = _("access links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.newcomer} ({self.expires_at:%Y-%m-%d})"
