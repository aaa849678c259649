"""The network around the groups: partners and their offers and needs, referrals, events,
and requests for language mediators."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ankommen.vocabulary.models import District, Language, Theme
from refugees.models import Newcomer
from workgroups.models.groups import EndReason


class Partner(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipal office")
        SHELTER = "shelter", _("Shelter")
        COUNSELLING = "counselling", _("Migration counselling")
        SELF_ORGANISATION = "self_organisation", _("Migrant self-organisation")
        RELIGIOUS = "religious", _("Religious community")
        EMPLOYMENT = "employment", _("Employment agency")
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University")
        ASSOCIATION = "association", _("Association")
        OTHER = "other", _("Other organisation")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    districts = models.ManyToManyField(District, verbose_name=_("districts served"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    # A retired partner (closed, or no longer working with the network) is kept with its
    # offers, needs and referrals; they count nowhere until it is reactivated.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="workgroups_partner_both_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("what"), max_length=200)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True)
    schedule = models.CharField(_("when"), max_length=200, blank=True)
    audience = models.CharField(_("for whom"), max_length=200, blank=True)
    is_free = models.BooleanField(_("free of charge"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.partner})"


class PartnerNeed(models.Model):
    """A needs assessment entry: what a shelter or partner is missing."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="needs")
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("what is needed"))
    is_open = models.BooleanField(_("open"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner need")
        verbose_name_plural = _("partner needs")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.theme}"


class Referral(models.Model):
    """A newcomer handed over to a partner's offer, with their consent to that hand-over."""

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        ACCEPTED = "accepted", _("Accepted")
        DONE = "done", pgettext_lazy("referral outcome", "Done")
        DECLINED = "declined", _("Declined")
        NO_SHOW = "no_show", _("Did not come")

    class SharedContact(models.TextChoices):
        """How the partner may reach the newcomer, as the newcomer agreed."""

        NONE = "none", _("No contact: the partner waits for the newcomer")
        PHONE = "phone", _("The newcomer's phone number")
        EMAIL = "email", _("The newcomer's e-mail address")
        COORDINATOR = "coordinator", _("Through the coordinator")

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="referrals")
    consent_on = models.DateField(_("newcomer agreed on"))
    consent_language = models.CharField(
        _("explained in"), max_length=10, choices=settings.LANGUAGES
    )
    # What the newcomer agreed to hand over, besides first name and languages.
    need_summary = models.CharField(
        _("what the partner should know"),
        max_length=500,
        blank=True,
        help_text=_("In plain words, for the partner. No health or residence details."),
    )
    shared_contact = models.CharField(
        _("contact the partner may have"),
        max_length=12,
        choices=SharedContact,
        default=SharedContact.NONE,
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome, default=Outcome.WAITING
    )
    # The coordinators' own note; partners never see it.
    note = models.CharField(_("note"), max_length=500, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The partner's answer.
    decline_reason = models.CharField(_("why it was declined"), max_length=500, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("place of the appointment"), max_length=200, blank=True)
    outcome_note = models.CharField(_("note on the outcome"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_changed_at = models.DateTimeField(_("outcome changed on"), null=True, blank=True)
    # Consent to the hand-over withdrawn (or the newcomer's data erased): partners see it no more.
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn on"), null=True, blank=True)
    consent_withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment_at__isnull=False) | Q(appointment_place=""),
                name="workgroups_referral_place_needs_appointment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer} → {self.offer}"

    @property
    def is_withdrawn(self) -> bool:
        return self.consent_withdrawn_at is not None


class NetworkEvent(models.Model):
    """Network conferences, member assemblies, the conversation café."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("network event")
        verbose_name_plural = _("network events")
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_over(self) -> bool:
        """It has begun: nobody replies to it, and it cannot be cancelled any more."""
        return self.starts_at <= timezone.now()


class EventResponse(models.Model):
    """An RSVP, from a signed-in volunteer or a partner's contact person."""

    class Answer(models.TextChoices):
        YES = "yes", _("Coming")
        NO = "no", _("Not coming")

    event = models.ForeignKey(NetworkEvent, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="event_responses"
    )
    answer = models.CharField(_("answer"), max_length=5, choices=Answer)
    responded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="workgroups_rsvp_user_once",
            ),
            models.UniqueConstraint(
                fields=["event", "partner"],
                condition=Q(partner__isnull=False),
                name="workgroups_rsvp_partner_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, partner__isnull=True)
                | Q(user__isnull=True, partner__isnull=False),
                name="workgroups_rsvp_one_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.answer}"


class MediatorRequest(models.Model):
    """Someone needs an interpreter for an appointment; a mediator who speaks it accepts."""

    class State(models.TextChoices):
        OPEN = "open", _("Looking for a mediator")
        ACCEPTED = "accepted", _("Mediator found")
        CANCELLED = "cancelled", _("Cancelled")

    language = models.ForeignKey(
        Language, verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    other_language = models.ForeignKey(
        Language,
        verbose_name=_("into"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Usually German."),
    )
    starts_at = models.DateTimeField(_("date and time"))
    ends_at = models.DateTimeField(_("until"))
    place = models.CharField(_("place"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    is_confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("The topic is shown only to the mediator.")
    )
    newcomer = models.ForeignKey(
        Newcomer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    # Why it is open again: the mediator who had accepted it can no longer come.
    reopen_reason = models.CharField(
        _("why it was opened again"), max_length=20, choices=EndReason, blank=True
    )

    class Meta:
        verbose_name = _("language mediator request")
        verbose_name_plural = _("language mediator requests")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(mediator__isnull=False),
                name="workgroups_mediatorrequest_accepted_has_mediator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} → {self.other_language}, {self.starts_at:%Y-%m-%d}"
