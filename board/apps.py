from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    """The public board of ways to help: open tasks and trainings anyone can read without
    signing in, each with its own page to share, and "I want to help" into registration."""

    name = "board"
    verbose_name = _("Ways to help")
