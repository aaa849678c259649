"""Where translations plug into the rest: the menu, the weekly reminder, privacy, the demo."""

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role, User
from ankommen.messaging.services import REMINDERS, ReminderSource
from ankommen.navigation import MESSAGES, NAVIGATION, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from translations import demo, privacy
from translations.reminders import waiting_texts


def _translators_and_coordinators(user: object) -> bool:
    return isinstance(user, User) and user.role in (Role.VOLUNTEER, Role.COORDINATOR)


def register() -> None:
    DEMO_SEEDERS.register(demo.seed_translations)
    privacy.register()
    REMINDERS.register(ReminderSource("translations-waiting", waiting_texts))
    NAVIGATION.register(
        NavItem(
            _("Translations"), "translations:queue", _translators_and_coordinators, 530, MESSAGES
        )
    )
