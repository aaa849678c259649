"""Where the volunteers app plugs into the kernel's hooks: the menu, newsletter segments by
district and interest, reminders, their personal data and the demo data."""

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.permissions import is_coordinator, is_volunteer
from ankommen.messaging.segments import SEGMENTS
from ankommen.navigation import NAVIGATION, PEOPLE, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from ankommen.search.hooks import PERSON_SEARCH, PersonKind
from volunteers import demo, privacy
from volunteers.reminders import register_volunteer_reminders
from volunteers.segments import VOLUNTEERS_IN_A_DISTRICT, VOLUNTEERS_INTERESTED_IN_A_THEME
from volunteers.selectors import volunteers_in_menu_search


def register() -> None:
    NAVIGATION.register(
        NavItem(_("Volunteers"), "volunteers:card_file", is_coordinator, 100, PEOPLE)
    )
    NAVIGATION.register(
        NavItem(_("Hours to approve"), "volunteers:hours_review", is_coordinator, 210, PEOPLE)
    )
    NAVIGATION.register(
        NavItem(_("Invitations"), "volunteers:referrals", is_coordinator, 220, PEOPLE)
    )
    NAVIGATION.register(NavItem(_("My profile"), "volunteers:my_profile", is_volunteer, 100))
    NAVIGATION.register(NavItem(_("My hours"), "volunteers:my_hours", is_volunteer, 110))
    PERSON_SEARCH.register(
        PersonKind(
            "volunteer", _("Volunteers"), 10, volunteers_in_menu_search, "volunteers:card_file"
        )
    )
    SEGMENTS.register(VOLUNTEERS_IN_A_DISTRICT)
    SEGMENTS.register(VOLUNTEERS_INTERESTED_IN_A_THEME)
    register_volunteer_reminders()
    privacy.register()
    DEMO_SEEDERS.register(demo.seed_volunteers)
