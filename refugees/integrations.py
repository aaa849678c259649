"""Where the newcomers app plugs into the kernel's hooks: the menu, the newsletter segment of
newcomers who agreed to e-mails, their personal data and the demo data."""

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_coordinator
from ankommen.messaging.segments import SEGMENTS
from ankommen.navigation import NAVIGATION, PEOPLE, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from ankommen.search.hooks import PERSON_SEARCH, PersonKind
from refugees import demo, privacy
from refugees.segments import NEWCOMERS_WITH_EMAIL_CONSENT
from refugees.selectors import newcomers_in_menu_search


def register() -> None:
    NAVIGATION.register(
        NavItem(_("Newcomers"), "refugees:newcomer_list", is_coordinator, 200, PEOPLE)
    )
    PERSON_SEARCH.register(
        PersonKind(
            "newcomer", _("Newcomers"), 20, newcomers_in_menu_search, "refugees:newcomer_list"
        )
    )
    SEGMENTS.register(NEWCOMERS_WITH_EMAIL_CONSENT)
    privacy.register()
    DEMO_SEEDERS.register(demo.seed_newcomers)
