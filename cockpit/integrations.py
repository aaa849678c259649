"""Where the cockpit plugs into the portal's hooks: the coordinator's menu entries."""

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_coordinator
from ankommen.navigation import NAVIGATION, REPORTS, NavItem


def register() -> None:
    NAVIGATION.register(NavItem(_("Dashboard"), "cockpit:dashboard", is_coordinator, 10))
    NAVIGATION.register(NavItem(_("Reports"), "cockpit:report", is_coordinator, 290, REPORTS))
    NAVIGATION.register(NavItem(_("Import"), "cockpit:import_start", is_coordinator, 291, REPORTS))
    NAVIGATION.register(NavItem(_("Targets"), "cockpit:targets", is_coordinator, 292, REPORTS))
