from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """The matching engine, match proposals, mentorships and their check-ins."""

    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from matching import integrations  # noqa: PLC0415

        integrations.register()
