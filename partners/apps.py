from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Partner organisations' own staff in the portal: invitations, their organisation's
    profile, offers, needs and tasks, and the referrals addressed to them."""

    name = "partners"
    verbose_name = _("Partner staff")

    def ready(self) -> None:
        from partners import integrations  # noqa: PLC0415

        integrations.register()
