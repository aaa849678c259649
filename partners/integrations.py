"""Where the partner desk plugs into the rest: the second factor, the menu, the partner page,
and the mails to partner staff when a referral reaches them or is withdrawn."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from ankommen.accounts.second_factor import SEES_NEWCOMERS_DATA
from ankommen.messaging.services import enqueue_mail_to_user
from ankommen.navigation import NAVIGATION, NETWORK, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from partners import demo, privacy
from partners.models import PartnerStaff
from partners.permissions import acts_for_a_partner, can_manage_staff
from partners.selectors import for_partner
from workgroups.hooks import PARTNER_PAGE_LINKS, REFERRAL_HANDOVER, PartnerPageLink
from workgroups.models import Partner, Referral


def _staff_link(user: User, partner: Partner) -> list[PartnerPageLink]:
    if not can_manage_staff(user):
        return []
    return [
        PartnerPageLink(
            _("People acting for it"), reverse("partners:staff_list", args=[partner.pk])
        )
    ]


def _tell_staff(referral: Referral, event: str) -> None:
    """No name and nothing the newcomer shared in the mail: the portal shows it, after the
    second factor. A withdrawal names only the organisation."""
    shown = for_partner(referral)
    context = {"partner": shown.partner_name}
    if event == "made":
        context |= {
            "offer": shown.offer_title,
            "url": settings.PORTAL_URL + reverse("partners:referral_detail", args=[shown.pk]),
        }
    template = (
        "partners/email/referral_new" if event == "made" else "partners/email/referral_withdrawn"
    )
    staff = PartnerStaff.objects.active().filter(partner_id=shown.partner_id).select_related("user")
    for member in staff:
        enqueue_mail_to_user(
            user=member.user,
            template=template,
            context=context,
            idempotency_key=f"referral-{event}:{referral.pk}:{member.user_id}",
        )


def register() -> None:
    privacy.register()
    DEMO_SEEDERS.register(demo.seed_partner_staff)
    # Partner staff read the referrals addressed to their organisation: newcomers' data.
    SEES_NEWCOMERS_DATA.register(acts_for_a_partner)
    PARTNER_PAGE_LINKS.register(_staff_link)
    REFERRAL_HANDOVER.register(_tell_staff)
    NAVIGATION.register(
        NavItem(_("Referrals to us"), "partners:referral_inbox", acts_for_a_partner, 21)
    )
    NAVIGATION.register(NavItem(_("My organisation"), "partners:home", acts_for_a_partner, 20))
    NAVIGATION.register(NavItem(_("Network events"), "partners:events", acts_for_a_partner, 22))
    NAVIGATION.register(NavItem(_("The network"), "partners:network", acts_for_a_partner, 24))
    # No count on the entry: the menu is built without queries (ankommen.navigation).
    NAVIGATION.register(
        NavItem(
            _("Tasks from partners to approve"),
            "partners:task_review",
            is_coordinator,
            415,
            NETWORK,
        )
    )
