"""Where the messaging app plugs into the portal's hooks: the e-mail channel, its own
newsletter segments, the menu and the demo data."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import User
from ankommen.accounts.permissions import is_coordinator
from ankommen.messaging import demo
from ankommen.messaging.channels import CHANNELS
from ankommen.messaging.channels.email import EmailChannel
from ankommen.messaging.segments import KERNEL_SEGMENTS, SEGMENTS
from ankommen.navigation import MESSAGES, NAVIGATION, NavItem
from ankommen.operations.demo import DEMO_SEEDERS


def _reads_newsletter(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and not is_coordinator(user)


def register() -> None:
    # The order is the preference: a further channel (SMS) goes after e-mail.
    CHANNELS.register(EmailChannel())
    for segment in KERNEL_SEGMENTS:
        SEGMENTS.register(segment)
    NAVIGATION.register(
        NavItem(_("Newsletters"), "messaging:newsletter_list", is_coordinator, 500, MESSAGES)
    )
    NAVIGATION.register(
        NavItem(_("Delivery log"), "messaging:delivery_log", is_coordinator, 510, MESSAGES)
    )
    NAVIGATION.register(
        NavItem(_("Newsletter"), "messaging:my_subscription", _reads_newsletter, 500, MESSAGES)
    )
    DEMO_SEEDERS.register(demo.seed_messaging)
