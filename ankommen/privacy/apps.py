from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """GDPR rights: export and erasure of one person across every app."""

    name = "ankommen.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from ankommen.accounts.permissions import is_coordinator  # noqa: PLC0415
        from ankommen.navigation import NavItem, register_nav_item  # noqa: PLC0415

        register_nav_item(NavItem(_("Retention"), "privacy:retention", is_coordinator, 295))
