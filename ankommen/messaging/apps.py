from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """The outbox every e-mail passes through, and how e-mails are rendered and delivered."""

    name = "ankommen.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from ankommen.messaging import integrations  # noqa: PLC0415

        integrations.register()
