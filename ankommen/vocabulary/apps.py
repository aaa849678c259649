from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabularyConfig(AppConfig):
    """Shared reference data: languages, integration themes and the city's districts."""

    name = "ankommen.vocabulary"
    label = "vocabulary"
    verbose_name = _("Vocabulary")

    def ready(self) -> None:
        from ankommen.fragments import refresh_when_changed  # noqa: PLC0415
        from ankommen.vocabulary.models import District, Language, Theme  # noqa: PLC0415

        refresh_when_changed(District, Language, Theme)
