from ankommen.accounts.models import User
from ankommen.accounts.permissions import access_or_404, is_coordinator
from volunteers.models import HoursEntry, Volunteer
from volunteers.selectors import volunteers_visible_to


def access_volunteer(user: User, pk: int) -> Volunteer:
    return access_or_404(volunteers_visible_to(user), pk=pk)


def can_manage_volunteer(user: User, volunteer: Volunteer) -> bool:
    """Moving stages, notes, clearance and hours approval are for coordinators."""
    return is_coordinator(user)


def can_edit_profile(user: User, volunteer: Volunteer) -> bool:
    return getattr(user, "pk", None) == volunteer.user_id


def can_review_hours(user: User, entry: HoursEntry) -> bool:
    """Coordinators approve hours; their own (a coordinator who also volunteers) another one."""
    return is_coordinator(user) and entry.volunteer.user_id != user.pk
