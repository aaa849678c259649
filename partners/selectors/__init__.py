"""What partner staff and the coordinators who keep them see, in a fixed number of queries.

What a partner may see of a referral is decided here and nowhere else: `ReferralForPartner`,
built by `for_partner`, is what the inbox, the referral's page and the e-mails to partner staff
show. It holds the newcomer's first name and languages, the need in the coordinator's plain
words, and the one contact the newcomer agreed to share, read from the newcomer's record when
it is shown; never residence status, health, notes, address, birth date or anything else of
the record. A referral whose consent was withdrawn (or whose newcomer was erased) is not in
`referrals_visible_to` at all.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ankommen.accounts.models import User
from partners.models import PartnerStaff
from partners.permissions import partners_acted_for
from refugees.models import NewcomerLanguage
from workgroups.models import Partner, Referral
from workgroups.services.referrals import PARTNER_MOVES

Outcome = Referral.Outcome
Contact = Referral.SharedContact


def staff_of(partner: Partner) -> QuerySet[PartnerStaff]:
    """Everyone invited for the organisation, open rows first, ended ones as the record."""
    return (
        PartnerStaff.objects.filter(partner=partner)
        .select_related("user", "invited_by", "ended_by")
        .order_by("ended_at", "user__full_name")
    )


def _new_referrals() -> Subquery:
    """How many referrals to the organisation's offers wait for an answer."""
    waiting = (
        Referral.objects.filter(
            offer__partner=OuterRef("pk"),
            outcome=Outcome.WAITING,
            consent_withdrawn_at__isnull=True,
        )
        .order_by()
        .values("offer__partner")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Subquery(waiting, output_field=IntegerField())


def desk_for(user: User) -> QuerySet[Partner]:
    """The organisations on this person's desk, with who else acts for each and how many new
    referrals wait for each."""
    return (
        partners_acted_for(user)
        .annotate(new_referrals=Coalesce(_new_referrals(), 0))
        .prefetch_related(
            Prefetch(
                "staff",
                queryset=PartnerStaff.objects.active().select_related("user"),
                to_attr="active_staff",
            )
        )
        .order_by("name")
    )


@dataclass(frozen=True)
class ReferralForPartner:
    """Everything a partner may see of a referral; nothing else of the newcomer's record."""

    pk: int
    partner_id: int
    partner_name: str
    offer_title: str
    referred_on: date
    consent_on: date
    first_name: str
    languages: list[str]
    need: str
    contact: str  # a Referral.SharedContact value
    contact_label: str
    phone: str
    email: str
    go_between: str  # the coordinator's name, when they pass messages on
    go_between_email: str
    outcome: str
    outcome_label: str
    outcome_changed_at: datetime | None
    decline_reason: str
    appointment_at: datetime | None
    appointment_place: str
    outcome_note: str

    @property
    def can_accept(self) -> bool:
        return Outcome.ACCEPTED in PARTNER_MOVES[self.outcome]

    @property
    def can_decline(self) -> bool:
        return Outcome.DECLINED in PARTNER_MOVES[self.outcome]

    @property
    def can_report(self) -> bool:
        return Outcome.DONE in PARTNER_MOVES[self.outcome]

    @property
    def is_new(self) -> bool:
        return self.outcome == Outcome.WAITING


def for_partner(referral: Referral) -> ReferralForPartner:
    """The one rule of what a partner sees of a referral (see the module's docstring). Needs
    the referral from `referrals_visible_to` (newcomer, languages, offer, referrer loaded)."""
    newcomer = referral.newcomer
    shown = Contact.NONE if referral.is_withdrawn else referral.shared_contact
    referrer = referral.referred_by
    go_between = shown == Contact.COORDINATOR and referrer is not None and referrer.is_active
    return ReferralForPartner(
        pk=referral.pk,
        partner_id=referral.offer.partner_id,
        partner_name=referral.offer.partner.name,
        offer_title=referral.offer.title,
        referred_on=timezone.localtime(referral.created_at).date(),
        consent_on=referral.consent_on,
        first_name=newcomer.first_name,
        languages=[str(spoken) for spoken in newcomer.languages.all()],
        need=referral.need_summary,
        contact=shown,
        contact_label=str(Contact(shown).label),
        phone=newcomer.phone if shown == Contact.PHONE else "",
        email=newcomer.email if shown == Contact.EMAIL else "",
        go_between=referrer.display_name if go_between and referrer else "",
        go_between_email=(referrer.email or "") if go_between and referrer else "",
        outcome=referral.outcome,
        outcome_label=referral.get_outcome_display(),
        outcome_changed_at=referral.outcome_changed_at,
        decline_reason=referral.decline_reason,
        appointment_at=referral.appointment_at,
        appointment_place=referral.appointment_place,
        outcome_note=referral.outcome_note,
    )


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Referrals to the offers of the organisations this person acts for now, newest first,
    without those whose consent was withdrawn."""
    return (
        Referral.objects.filter(
            offer__partner__in=partners_acted_for(user), consent_withdrawn_at__isnull=True
        )
        .select_related("newcomer", "offer__partner", "referred_by")
        .prefetch_related(
            Prefetch(
                "newcomer__languages",
                queryset=NewcomerLanguage.objects.select_related("language").order_by("pk"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def inbox_for(user: User, *, outcome: str = "") -> QuerySet[Referral]:
    """The inbox, filtered by state when one is chosen (an unknown state filters nothing)."""
    referrals = referrals_visible_to(user)
    return referrals.filter(outcome=outcome) if outcome in Outcome.values else referrals
