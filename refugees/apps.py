from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefugeesConfig(AppConfig):
    """Newcomers (model Newcomer; the UI says "newcomer"): records, needs, consent, access."""

    name = "refugees"
    verbose_name = _("Newcomers")
