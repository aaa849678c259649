from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    """Working groups, memberships and leads, meetings, task descriptions and sign-ups."""

    name = "workgroups"
    verbose_name = _("Working groups")

    def ready(self) -> None:
        from workgroups import integrations  # noqa: PLC0415

        integrations.register()
