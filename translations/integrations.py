"""Where translations plug into the rest: the menu, the weekly reminder, privacy, the demo."""

from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Role, User
from ankommen.messaging.services import REMINDERS, ReminderSource
from ankommen.navigation import MESSAGES, NAVIGATION, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from translations import demo, privacy, services
from translations.reminders import waiting_texts
from volunteers.hooks import WITHDRAWAL, Withdrawal


def _translators_and_coordinators(user: object) -> bool:
    return isinstance(user, User) and user.role in (Role.VOLUNTEER, Role.COORDINATOR)


def _stop_translating(withdrawal: Withdrawal) -> None:
    """A volunteer who withdraws stops translating: texts they had taken go back to the queue
    at once instead of waiting 14 days for their claim to lapse."""
    services.leave(user=withdrawal.volunteer.user)


def register() -> None:
    WITHDRAWAL.register(_stop_translating)
    DEMO_SEEDERS.register(demo.seed_translations)
    privacy.register()
    REMINDERS.register(ReminderSource("translations-waiting", waiting_texts))
    NAVIGATION.register(
        NavItem(
            _("Translations"), "translations:queue", _translators_and_coordinators, 530, MESSAGES
        )
    )
