from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """Volunteer profiles, onboarding stages, availability, skills, referrals and hours."""

    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from ankommen.audit.tracking import track  # noqa: PLC0415
        from volunteers import integrations  # noqa: PLC0415
        from volunteers.models import Volunteer  # noqa: PLC0415
        from volunteers.signals import note_login_as_activity  # noqa: PLC0415

        integrations.register()
        track(Volunteer)
        user_logged_in.connect(note_login_as_activity, dispatch_uid="volunteers-activity")
