from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """The outbox every e-mail passes through, and how e-mails are rendered and delivered."""

    name = "ankommen.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from ankommen.messaging import demo  # noqa: F401, PLC0415 (registers the seeder)
        from ankommen.messaging.channels import register_channel  # noqa: PLC0415
        from ankommen.messaging.channels.email import EmailChannel  # noqa: PLC0415
        from ankommen.messaging.navigation import register_messaging_navigation  # noqa: PLC0415
        from ankommen.messaging.segments import register_kernel_segments  # noqa: PLC0415

        # The order is the preference: a further channel (SMS) goes after e-mail.
        register_channel(EmailChannel())
        register_kernel_segments()
        register_messaging_navigation()
