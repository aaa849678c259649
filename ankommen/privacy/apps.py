from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """GDPR rights: export and erasure of one person across every app."""

    name = "ankommen.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from ankommen.privacy import integrations  # noqa: PLC0415

        integrations.register()
