"""Where the partner desk plugs into the rest: the second factor, the menu, the partner page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from ankommen.accounts.second_factor import SEES_NEWCOMERS_DATA
from ankommen.navigation import NAVIGATION, NETWORK, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from partners import demo, privacy
from partners.permissions import acts_for_a_partner, can_manage_staff
from workgroups.hooks import PARTNER_PAGE_LINKS, PartnerPageLink
from workgroups.models import Partner


def _staff_link(user: User, partner: Partner) -> list[PartnerPageLink]:
    if not can_manage_staff(user):
        return []
    return [
        PartnerPageLink(
            _("People acting for it"), reverse("partners:staff_list", args=[partner.pk])
        )
    ]


def register() -> None:
    privacy.register()
    DEMO_SEEDERS.register(demo.seed_partner_staff)
    # Partner staff read the referrals addressed to their organisation: newcomers' data.
    SEES_NEWCOMERS_DATA.register(acts_for_a_partner)
    PARTNER_PAGE_LINKS.register(_staff_link)
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
