"""Where the privacy app plugs into the portal's hooks: the retention page in the menu."""

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_coordinator
from ankommen.navigation import NAVIGATION, REPORTS, NavItem


def register() -> None:
    NAVIGATION.register(NavItem(_("Retention"), "privacy:retention", is_coordinator, 295, REPORTS))
