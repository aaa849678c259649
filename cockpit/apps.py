from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """The coordinators' cockpit: dashboard, imports and funder reports over every app."""

    name = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        from ankommen.accounts.permissions import is_coordinator  # noqa: PLC0415
        from ankommen.navigation import NavItem, register_nav_item  # noqa: PLC0415

        register_nav_item(NavItem(_("Dashboard"), "cockpit:dashboard", is_coordinator, 10))
        register_nav_item(NavItem(_("Reports"), "cockpit:report", is_coordinator, 290))
        register_nav_item(NavItem(_("Import"), "cockpit:import_start", is_coordinator, 291))
