from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the installation: health checks, worker heartbeat, demo data, the local runner."""

    name = "ankommen.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from django.conf import settings  # noqa: PLC0415

        from ankommen import lookups  # noqa: PLC0415

        lookups.register()

        if settings.IS_EMBEDDED_BROKER:
            from ankommen.operations.management.commands.runportal import (  # noqa: PLC0415
                prepare_broker_folders,
            )

            # The web process publishes into these folders even when started on its own.
            prepare_broker_folders()
