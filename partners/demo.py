"""A demo login for someone who acts for a partner organisation (`make run` prints it)."""

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from ankommen.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from ankommen.accounts.models import Role, User
from ankommen.operations.demo import DemoContext, DemoLogin, demo_seeder
from partners.models import PartnerStaff
from refugees.models import Newcomer
from workgroups.models import Partner, Referral

DEMO_EMAIL = f"partner@{DEMO_DOMAIN}"


@demo_seeder(
    "partners",
    order=41,
    logins=(DemoLogin(role=Role.PARTNER.value, email=DEMO_EMAIL, password=DEMO_PASSWORD),),
)
def seed_partner_staff(context: DemoContext) -> dict[str, int]:
    """The organisation with the most offers gets the demo login, so its desk is not empty."""
    partner = (
        Partner.objects.filter(is_active=True)
        .annotate(offer_count=Count("offers"))
        .order_by("-offer_count", "pk")
        .first()
    )
    if partner is None:
        return {}
    account, _created = User.objects.get_or_create(
        email=DEMO_EMAIL,
        defaults={
            "full_name": "Paula Partnerin",
            "role": Role.PARTNER,
            "password": make_password(DEMO_PASSWORD),
        },
    )
    EmailAddress.objects.get_or_create(
        user=account, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
    )
    PartnerStaff.objects.get_or_create(
        partner=partner, user=account, ended_at=None, defaults={"accepted_at": timezone.now()}
    )
    return {"partner staff": 1, "referrals to it": _referrals_to(partner, context)}


NEEDS = (
    "Sucht Unterstützung beim Ausfüllen von Anträgen.",
    "Möchte am Deutschkurs teilnehmen, am liebsten vormittags.",
    "Familie mit zwei Kindern braucht Lebensmittel.",
    "Braucht Hilfe bei der Wohnungssuche.",
)


def _referrals_to(partner: Partner, context: DemoContext) -> int:
    """Referrals in each state, so the desk and the inbox show what a week looks like. Made
    as rows, not through the services: the demo sends no mails."""
    offers = list(partner.offers.filter(is_active=True).order_by("pk"))
    if not offers or Referral.objects.filter(offer__partner=partner).exists():
        return 0
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    newcomers = list(Newcomer.objects.filter(closed_at__isnull=True).order_by("pk")[:6])
    now = timezone.now()
    states: tuple[tuple[str, dict[str, Any]], ...] = (
        (Referral.Outcome.WAITING, {}),
        (Referral.Outcome.WAITING, {}),
        (
            Referral.Outcome.ACCEPTED,
            {"appointment_at": now + timedelta(days=3), "appointment_place": partner.address},
        ),
        (Referral.Outcome.DONE, {"outcome_note": "Kommt jetzt regelmäßig."}),
        (Referral.Outcome.DECLINED, {"decline_reason": "Das Angebot ist bis März voll."}),
        (Referral.Outcome.WAITING, {}),
    )
    referrals = [
        Referral(
            newcomer=newcomer,
            offer=offers[index % len(offers)],
            consent_on=now.date() - timedelta(days=index),
            consent_language=newcomer.preferred_language or "de",
            need_summary=context.rng.choice(NEEDS),
            shared_contact=Referral.SharedContact.PHONE
            if newcomer.phone
            else Referral.SharedContact.COORDINATOR,
            outcome=outcome,
            referred_by=coordinator,
            answered_by=account_or_none(outcome, partner),
            outcome_changed_at=None if outcome == Referral.Outcome.WAITING else now,
            **fields,
        )
        for index, (newcomer, (outcome, fields)) in enumerate(zip(newcomers, states, strict=False))
    ]
    Referral.objects.bulk_create(referrals)
    return len(referrals)


def account_or_none(outcome: str, partner: Partner) -> User | None:
    if outcome == Referral.Outcome.WAITING:
        return None
    return User.objects.filter(partner_roles__partner=partner).order_by("pk").first()
