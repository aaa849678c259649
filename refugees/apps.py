from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefugeesConfig(AppConfig):
    """Newcomers (model Newcomer; the UI says "newcomer"): records, needs, consent, access."""

    name = "refugees"
    verbose_name = _("Newcomers")

    def ready(self) -> None:
        from ankommen.accounts.permissions import is_coordinator  # noqa: PLC0415
        from ankommen.audit.tracking import track  # noqa: PLC0415
        from ankommen.navigation import NavItem, register_nav_item  # noqa: PLC0415
        from refugees import demo  # noqa: F401, PLC0415 (registers the seeder)
        from refugees.models import Newcomer  # noqa: PLC0415
        from refugees.segments import register_newcomer_segment  # noqa: PLC0415

        register_nav_item(NavItem(_("Newcomers"), "refugees:newcomer_list", is_coordinator, 200))
        register_newcomer_segment()
        from refugees import privacy  # noqa: PLC0415

        privacy.register()
        track(Newcomer)
        from refugees import urgency  # noqa: PLC0415

        urgency.connect()
