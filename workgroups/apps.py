from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    """Working groups, memberships and leads, meetings, task descriptions, partners and offers."""

    name = "workgroups"
    verbose_name = _("Working groups")
