"""Where the accounts app plugs into the portal's hooks: the menu and the demo data."""

from django.utils.translation import gettext_lazy as _

from ankommen.accounts import demo
from ankommen.accounts.permissions import is_staff_member
from ankommen.navigation import NAVIGATION, NavItem
from ankommen.operations.demo import DEMO_SEEDERS


def _signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def register() -> None:
    NAVIGATION.register(NavItem(_("Home"), "home", _signed_in, order=0))
    NAVIGATION.register(NavItem(_("Administration"), "admin:index", is_staff_member, order=900))
    DEMO_SEEDERS.register(demo.seed_accounts)
