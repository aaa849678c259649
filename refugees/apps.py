from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefugeesConfig(AppConfig):
    """Newcomers (model Newcomer; the UI says "newcomer"): records, needs, consent, access."""

    name = "refugees"
    verbose_name = _("Newcomers")

    def ready(self) -> None:
        from ankommen.audit.tracking import track  # noqa: PLC0415
        from refugees import integrations, urgency  # noqa: PLC0415
        from refugees.models import Newcomer  # noqa: PLC0415

        integrations.register()
        track(Newcomer)
        urgency.connect()
