import pytest
from django.test import Client, override_settings
from django.urls import path


def _explode(request):
    raise RuntimeError("a bug")


urlpatterns = [path("explode/", _explode)]

pytestmark = pytest.mark.django_db


def test_visitors_see_what_the_portal_is(client):
    html = client.get("/en/").content.decode()

    assert "Volunteer with us" in html
    assert "Sign in" in html


@pytest.mark.parametrize(
    ("fixture", "visible", "hidden"),
    [
        ("volunteer", "Your settings", "Administration"),
        ("admin_user", "Administration", "Volunteer with us"),
    ],
)
def test_menu_depends_on_the_role(client, request, fixture, visible, hidden):
    client.force_login(request.getfixturevalue(fixture))

    html = client.get("/en/", follow=True).content.decode()

    assert visible in html
    assert hidden not in html


def test_home_page_uses_a_fixed_number_of_queries(client, volunteer, django_assert_max_num_queries):
    client.force_login(volunteer)

    with django_assert_max_num_queries(4):
        client.get("/en/")


def test_unknown_page_is_a_friendly_translated_404(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert "We could not find this page." in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_shows_a_friendly_500_page():
    client = Client(raise_request_exception=False)

    response = client.get("/explode/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode() or response.content


def test_an_expired_form_explains_itself(volunteer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)

    response = client.post("/en/accounts/settings/", {"full_name": "X"})

    assert response.status_code == 403
    assert "This form has expired." in response.content.decode()
