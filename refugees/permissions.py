"""Who may reach a newcomer's own pages; other apps' newcomer pages use the same guard."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from ankommen.accounts.permissions import is_newcomer
from ankommen.http import AuthenticatedHttpRequest
from refugees.models import Newcomer

View = Callable[..., HttpResponse]


class NewcomerHttpRequest(AuthenticatedHttpRequest):
    """The request of a view behind newcomer_required, which attaches the newcomer's record."""

    newcomer: Newcomer


def newcomer_required(view: View) -> View:
    """Only a newcomer; that their card still works, refugees/card_sessions.py has checked for
    every request of a newcomer account before it reaches a view."""

    @wraps(view)
    @never_cache
    def wrapped(request: NewcomerHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_newcomer(request.user):
            raise PermissionDenied
        request.newcomer = get_object_or_404(
            Newcomer.objects.select_related("district"), user=request.user
        )
        return view(request, *args, **kwargs)

    return wrapped
