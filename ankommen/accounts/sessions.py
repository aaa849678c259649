"""Sessions in the database, each row naming its account (Django's documented way to extend
the database session engine)."""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from ankommen.accounts.models import AccountSession


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls) -> type[AccountSession]:
        return AccountSession

    def create_model_instance(self, data: dict[str, Any]) -> AccountSession:
        session = super().create_model_instance(data)
        session.user_id = user_id_of(data)
        return session


def user_id_of(data: dict[str, Any]) -> int | None:
    try:
        return int(data.get("_auth_user_id"))
    except (TypeError, ValueError):
        return None
