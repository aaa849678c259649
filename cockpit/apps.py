from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    """The coordinators' cockpit: dashboard, imports and funder reports over every app."""

    name = "cockpit"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        from cockpit import checks, integrations  # noqa: PLC0415, F401

        integrations.register()
