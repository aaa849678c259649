from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    """Courses, sessions, sign-ups with waitlist, attendance and certificates."""

    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        from trainings import integrations  # noqa: PLC0415

        integrations.register()
