from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    """Volunteer translators: the queue of texts per language, claims, reviews, suggestions."""

    name = "translations"
    verbose_name = _("Translations")

    def ready(self) -> None:
        from translations import checks, integrations  # noqa: PLC0415, F401 (checks register)

        integrations.register()
