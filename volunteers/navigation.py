from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_coordinator, is_volunteer
from ankommen.navigation import NavItem, register_nav_item


def register_volunteer_navigation() -> None:
    register_nav_item(NavItem(_("Volunteers"), "volunteers:card_file", is_coordinator, 100))
    register_nav_item(
        NavItem(_("Hours to approve"), "volunteers:hours_review", is_coordinator, 110)
    )
    register_nav_item(NavItem(_("Invitations"), "volunteers:referrals", is_coordinator, 120))
    register_nav_item(NavItem(_("My profile"), "volunteers:my_profile", is_volunteer, 100))
    register_nav_item(NavItem(_("My hours"), "volunteers:my_hours", is_volunteer, 110))
