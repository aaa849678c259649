from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """Volunteer profiles, onboarding stages, availability, skills, referrals and hours."""

    name = "volunteers"
    verbose_name = _("Volunteers")
