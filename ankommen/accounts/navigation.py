from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_staff_member
from ankommen.navigation import NavItem, register_nav_item


def _signed_in(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def register_account_navigation() -> None:
    register_nav_item(NavItem(_("Home"), "home", _signed_in, order=0))
    register_nav_item(NavItem(_("Administration"), "admin:index", is_staff_member, order=900))
