"""Role checks shared by every app; object visibility lives in each app's selectors.

The rules here are deliberately coarse (which kind of person may open a kind of page). Which
*objects* someone may see is decided by a selector such as ``newcomers_visible_to(user)``, and
views fetch objects only through ``access_or_404`` over such a selector, so a forbidden object
and a missing one look the same.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from ankommen.accounts.models import Role

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


def has_role(user: Any, *roles: Role) -> bool:
    """Deny by default: anonymous and inactive people have no role."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if Role.COORDINATOR in roles and user.is_coordinator:
        return True
    return user.role in roles or (Role.ADMIN in roles and user.is_admin)


def is_coordinator(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def is_volunteer(user: Any) -> bool:
    return has_role(user, Role.VOLUNTEER)


def is_newcomer(user: Any) -> bool:
    return has_role(user, Role.NEWCOMER)


def is_staff_member(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def role_required(*roles: Role) -> Callable[[View], View]:
    """Guard a function view; sign-in itself is already enforced by LoginRequiredMiddleware."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


class RoleRequiredMixin:
    """Guard a class-based view: subclasses name the roles allowed in, none by default."""

    allowed_roles: tuple[Role, ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_role(request.user, *self.allowed_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def access_or_404(visible: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from a visibility selector; forbidden and missing both answer 404, and
    so does a lookup value that cannot be an id at all (a tampered form field)."""
    try:
        return get_object_or_404(visible, **lookup)
    except (ValueError, TypeError, ValidationError) as error:
        raise Http404 from error
