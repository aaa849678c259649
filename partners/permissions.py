"""Who may act for which organisation. Views call these; the rule itself is in models.py: an
active PartnerStaff row, decided again on every request."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ankommen.accounts.models import Role, User
from ankommen.accounts.permissions import is_coordinator, security_log
from partners.models import PartnerStaff
from workgroups.models import Partner


def _may_act_for_one(user: User | AnonymousUser) -> TypeGuard[User]:
    """Newcomer accounts never act for an organisation; coordinators keep every organisation
    already and have no desk (the invitation refuses them, a later promotion ends nothing)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.role not in (Role.NEWCOMER, Role.COORDINATOR, Role.ADMIN)
        and not user.is_superuser
    )


def partners_acted_for(user: User | AnonymousUser) -> QuerySet[Partner]:
    """The organisations this person acts for now."""
    if not _may_act_for_one(user):
        return Partner.objects.none()
    return Partner.objects.filter(
        staff__in=PartnerStaff.objects.active().filter(user=user)
    ).distinct()


# Asked on every request by the second factor's middleware and the menu: looked up once per
# request, on the user object the request carries.
_ACTS_FOR_A_PARTNER = "_acts_for_a_partner"


def acts_for_a_partner(user: User | AnonymousUser) -> bool:
    if not _may_act_for_one(user):
        return False
    known = getattr(user, _ACTS_FOR_A_PARTNER, None)
    if known is None:
        known = PartnerStaff.objects.active().filter(user=user).exists()
        setattr(user, _ACTS_FOR_A_PARTNER, known)
    return bool(known)


def acts_for(user: User | AnonymousUser, partner: Partner) -> bool:
    return partners_acted_for(user).filter(pk=partner.pk).exists()


def can_manage_staff(user: User | AnonymousUser) -> bool:
    """Coordinators invite partner staff and end their access."""
    return is_coordinator(user)


View = Callable[..., HttpResponse]


def partner_staff_only(view: View) -> View:
    """Pages of the partner desk: only people who act for at least one organisation now."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not acts_for_a_partner(request.user):
            security_log.warning(
                "role refused: user=%s path=%s needs=partner-staff",
                getattr(request.user, "pk", None),
                request.path,
            )
            if getattr(request.user, "role", None) == Role.PARTNER:
                # Their access ended (or was never accepted): say so, and what is left.
                return render(request, "partners/no_organisation.html", status=403)
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
