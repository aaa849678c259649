"""Where the accounts app plugs into the portal's hooks: the menu and the demo data."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ankommen.accounts import demo
from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator, is_staff_member
from ankommen.navigation import NAVIGATION, REPORTS, NavItem
from ankommen.operations.demo import DEMO_SEEDERS


def _signed_in_but_not_coordinator(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and not is_coordinator(user)


def register() -> None:
    # Coordinators' start page is the dashboard, which has its own entry.
    NAVIGATION.register(NavItem(_("Home"), "home", _signed_in_but_not_coordinator, order=0))
    NAVIGATION.register(
        NavItem(_("Administration"), "admin:index", is_staff_member, order=900, group=REPORTS)
    )
    DEMO_SEEDERS.register(demo.seed_accounts)
