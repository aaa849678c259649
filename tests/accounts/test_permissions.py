import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from ankommen.accounts.models import Role, User
from ankommen.accounts.permissions import (
    RoleRequiredMixin,
    access_or_404,
    has_role,
    role_required,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_and_inactive_people_have_no_role():
    inactive = UserFactory(role=Role.COORDINATOR, is_active=False)

    assert not has_role(AnonymousUser(), Role.VOLUNTEER, Role.COORDINATOR, Role.NEWCOMER)
    assert not has_role(inactive, Role.COORDINATOR)


def test_admins_pass_coordinator_checks_but_volunteers_do_not(admin_user, volunteer):
    assert has_role(admin_user, Role.COORDINATOR)
    assert not has_role(volunteer, Role.COORDINATOR)
    assert has_role(volunteer, Role.VOLUNTEER)


def test_role_required_denies_other_roles(rf: RequestFactory, volunteer, coordinator):
    @role_required(Role.COORDINATOR)
    def view(request):
        return HttpResponse("ok")

    allowed = rf.get("/")
    allowed.user = coordinator
    denied = rf.get("/")
    denied.user = volunteer

    assert view(allowed).status_code == 200
    with pytest.raises(PermissionDenied):
        view(denied)


def test_role_required_mixin_denies_by_default(rf: RequestFactory, coordinator):
    from django.views import View

    class Unconfigured(RoleRequiredMixin, View):
        def get(self, request):
            return HttpResponse("ok")

    request = rf.get("/")
    request.user = coordinator

    with pytest.raises(PermissionDenied):
        Unconfigured.as_view()(request)


def test_access_or_404_hides_objects_outside_the_visible_set(volunteer, coordinator):
    visible = User.objects.filter(pk=volunteer.pk)

    assert access_or_404(visible, pk=volunteer.pk) == volunteer
    with pytest.raises(Http404):
        access_or_404(visible, pk=coordinator.pk)
    with pytest.raises(Http404):
        access_or_404(visible, pk=10**9)
