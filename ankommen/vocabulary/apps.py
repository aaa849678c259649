from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabularyConfig(AppConfig):
    """Shared reference data: languages, integration themes and the city's districts."""

    name = "ankommen.vocabulary"
    label = "vocabulary"
    verbose_name = _("Vocabulary")
