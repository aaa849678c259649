from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who sign in (e-mail login, language, role) and the permission plumbing."""

    name = "ankommen.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from ankommen.accounts import (  # noqa: F401, PLC0415 (signals and checks)
            integrations,
            mfa_encryption,
            second_factor,
        )
        from ankommen.accounts.models import User  # noqa: PLC0415
        from ankommen.audit.tracking import track  # noqa: PLC0415

        track(User)
        integrations.register()
