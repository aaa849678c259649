"""Response headers Django has no setting for."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreForPeopleMiddleware:
    """Pages for someone signed in, or for a newcomer with a session from their access card,
    may show personal data: the browser must not keep them on disk or in its back/forward cache.
    Volunteers and newcomers use shared computers in libraries, shelters and counselling
    offices. Public pages for visitors without a session stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or not request.session.is_empty():
            patch_cache_control(response, private=True, no_store=True)
        return response
