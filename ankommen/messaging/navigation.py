from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from ankommen.navigation import NavItem, register_nav_item


def _reads_newsletter(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and not is_coordinator(user)


def register_messaging_navigation() -> None:
    register_nav_item(NavItem(_("Newsletters"), "messaging:newsletter_list", is_coordinator, 500))
    register_nav_item(NavItem(_("Delivery log"), "messaging:delivery_log", is_coordinator, 510))
    register_nav_item(NavItem(_("Newsletter"), "messaging:my_subscription", _reads_newsletter, 500))
