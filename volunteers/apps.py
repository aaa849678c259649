from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """Volunteer profiles, onboarding stages, availability, skills, referrals and hours."""

    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415

        from ankommen.audit.tracking import track  # noqa: PLC0415
        from volunteers import demo, privacy  # noqa: F401, PLC0415 (demo registers a seeder)
        from volunteers.models import Volunteer  # noqa: PLC0415
        from volunteers.navigation import register_volunteer_navigation  # noqa: PLC0415
        from volunteers.reminders import register_volunteer_reminders  # noqa: PLC0415
        from volunteers.segments import register_volunteer_segments  # noqa: PLC0415
        from volunteers.signals import note_login_as_activity  # noqa: PLC0415

        privacy.register()
        track(Volunteer)

        register_volunteer_navigation()
        register_volunteer_segments()
        register_volunteer_reminders()
        user_logged_in.connect(note_login_as_activity, dispatch_uid="volunteers-activity")
