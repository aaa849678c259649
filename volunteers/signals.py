from typing import Any

from volunteers.models import Volunteer
from volunteers.services import record_activity


def note_login_as_activity(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Signing in counts as activity: coordinators look for volunteers who fell silent."""
    volunteer = Volunteer.objects.filter(user=user).only("pk").first()
    if volunteer is not None:
        record_activity(volunteer=volunteer)
