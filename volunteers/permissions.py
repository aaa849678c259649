from typing import Any

from ankommen.accounts.permissions import access_or_404, is_coordinator
from volunteers.models import Volunteer
from volunteers.selectors import volunteers_visible_to


def access_volunteer(user: Any, pk: int) -> Volunteer:
    return access_or_404(volunteers_visible_to(user), pk=pk)


def can_manage_volunteer(user: Any, volunteer: Volunteer) -> bool:
    """Moving stages, notes, clearance and hours approval are for coordinators."""
    return is_coordinator(user)


def can_edit_profile(user: Any, volunteer: Volunteer) -> bool:
    return getattr(user, "pk", None) == volunteer.user_id
