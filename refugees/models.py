"""Newcomers. The app is called "refugees"; the model and the UI say "newcomer"."""

from django.conf import settings
from django.db import models
from django.urls import reverse
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


class HouseholdMember(models.Model):
    class Relation(models.TextChoices):
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Child")
        OTHER = "other", pgettext_lazy("household relation", "Other")

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="members")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation)
    age_group = models.CharField(_("age group"), max_length=10, choices=AgeGroup)
    first_name = PersonNameField(_("first name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["relation", "pk"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} ({self.get_age_group_display()})"


class NewcomerLanguage(models.Model):
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, verbose_name=_("language"), on_delete=models.PROTECT)
    level = models.CharField(_("level"), max_length=20, choices=LanguageLevel)

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
