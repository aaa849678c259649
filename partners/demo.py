"""A demo login for someone who acts for a partner organisation (`make run` prints it)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from ankommen.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from ankommen.accounts.models import Role, User
from ankommen.operations.demo import DemoContext, DemoLogin, demo_seeder
from partners.models import PartnerStaff
from workgroups.models import Partner

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
    return {"partner staff": 1}
