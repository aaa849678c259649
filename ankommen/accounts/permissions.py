"""Role checks shared by every app; object visibility lives in each app's selectors.

The rules here are deliberately coarse (which kind of person may open a kind of page). Which
*objects* someone may see is decided by a selector such as ``newcomers_visible_to(user)``, and
views fetch objects only through ``access_or_404`` over such a selector, so a forbidden object
and a missing one look the same.

Denials are written to the security log (logger ``ankommen.security``): who, where, which
object by id. Nothing else: no content, and no lookup value that is not an id, since some
lookups are secret tokens. An object that exists but is hidden from the person is logged; a
missing one is not, so the log shows people trying others' records rather than typos.
"""

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from ankommen.accounts.models import Role, User
from ankommen.audit.services import current_actor
from ankommen.http import AuthenticatedHttpRequest

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]
security_log = logging.getLogger("ankommen.security")
ID_LOOKUPS = frozenset({"pk", "id"})


def has_role(user: User | AnonymousUser, *roles: Role) -> TypeGuard[User]:
    """Deny by default: anonymous and inactive people have no role."""
    if not user.is_authenticated or not user.is_active:
        return False
    if Role.COORDINATOR in roles and user.is_coordinator:
        return True
    return user.role in roles or (Role.ADMIN in roles and user.is_admin)


def is_coordinator(user: User | AnonymousUser) -> TypeGuard[User]:
    return has_role(user, Role.COORDINATOR)


def is_volunteer(user: User | AnonymousUser) -> TypeGuard[User]:
    return has_role(user, Role.VOLUNTEER)


def is_newcomer(user: User | AnonymousUser) -> TypeGuard[User]:
    return has_role(user, Role.NEWCOMER)


def is_staff_member(user: User | AnonymousUser) -> TypeGuard[User]:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def role_required(*roles: Role) -> Callable[[View], View]:
    """Guard a function view; sign-in itself is already enforced by LoginRequiredMiddleware."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                _log_role_denied(request, roles)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


class RoleRequiredMixin:
    """Guard a class-based view: subclasses name the roles allowed in, none by default."""

    allowed_roles: tuple[Role, ...] = ()
    # Only people with a role get past dispatch(), so the view's methods see an account.
    request: AuthenticatedHttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_role(request.user, *self.allowed_roles):
            _log_role_denied(request, self.allowed_roles)
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


def access_or_404(visible: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from a visibility selector; forbidden and missing both answer 404, and
    so does a lookup value that cannot be an id at all (a tampered form field)."""
    try:
        return get_object_or_404(visible, **lookup)
    except (ValueError, TypeError, ValidationError) as error:
        raise Http404 from error
    except Http404:
        # Only lookups by id name one object unambiguously; a language or slug may exist
        # elsewhere (another newsletter's translation) without anything being hidden.
        by_id = ID_LOOKUPS & lookup.keys()
        if by_id and visible.model._default_manager.filter(**lookup).exists():
            security_log.warning(
                "hidden object refused: user=%s object=%s id=%s",
                current_actor(),
                visible.model._meta.label,
                lookup[min(by_id)],
            )
        raise


def _log_role_denied(request: HttpRequest, roles: tuple[Role, ...]) -> None:
    security_log.warning(
        "role refused: user=%s path=%s needs=%s",
        getattr(request.user, "pk", None),
        request.path,
        ",".join(roles),
    )
