import pytest

from ankommen.vocabulary.models import Theme
from refugees.models import Need
from tests.factories import NewcomerFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

PAGES = ["", "contact/", "appointments/", "offers/", "help/", "help/sent/", "language/"]


def test_asking_for_help_records_a_need_that_coordinators_see(signed_in, newcomer, client):
    housing = Theme.objects.get(slug="housing")

    response = signed_in.post(
        "/ar/me/help/", {"theme": housing.pk, "note": "Wir suchen eine Wohnung"}
    )

    assert response["Location"] == "/ar/me/help/sent/"
    need = Need.objects.get()
    assert (need.newcomer, need.theme, need.source) == (newcomer, housing, Need.Source.NEWCOMER)
    assert need.note == "Wir suchen eine Wohnung"
    assert signed_in.get(response["Location"]).status_code == 200


def test_the_request_appears_in_the_coordinators_list_and_detail(
    signed_in, newcomer, coordinator, client
):
    housing = Theme.objects.get(slug="housing")
    signed_in.post("/ar/me/help/", {"theme": housing.pk})
    client.force_login(coordinator)

    listed = client.get("/en/newcomers/", {"theme": housing.pk}).content.decode()
    detail = client.get(f"/en/newcomers/{newcomer.pk}/").content.decode()

    assert "Amina Haddad" in listed
    assert "asked by the newcomer" in detail


def test_a_help_request_without_a_theme_keeps_the_note_and_explains(signed_in):
    response = signed_in.post("/ar/me/help/", {"note": "Bitte helfen"})

    assert response.status_code == 200
    assert "Bitte helfen" in response.content.decode()
    assert response.context["form"].errors["theme"]
    assert not Need.objects.exists()


def test_choosing_a_language_is_remembered_and_switches_the_pages(signed_in, newcomer):
    response = signed_in.post("/ar/me/language/", {"language": "ti"})

    newcomer.refresh_from_db()
    assert response["Location"] == "/ti/me/"
    assert newcomer.preferred_language == "ti"
    assert newcomer.language_confirmed
    assert newcomer.user.preferred_language == "ti"
    assert response.cookies["django_language"].value == "ti"


def test_a_newcomer_reaches_no_coordinator_volunteer_or_other_record_page(signed_in):
    other = NewcomerFactory(full_name="Someone Else")
    volunteer = VolunteerFactory()

    for url in (
        "/ar/newcomers/",
        f"/ar/newcomers/{other.pk}/",
        "/ar/volunteers/",
        f"/ar/volunteers/{volunteer.pk}/",
        "/ar/volunteers/me/",
        "/ar/messages/newsletters/",
        "/ar/messages/delivery-log/",
    ):
        assert signed_in.get(url).status_code == 403, url
    assert signed_in.get("/admin/").status_code == 302


def test_the_newcomer_view_never_shows_residence_status_or_internal_notes(signed_in, newcomer):
    newcomer.residence_status = "tolerated"
    newcomer.internal_notes = "CANARY-NOTES-7f3a"
    newcomer.save()

    for page in PAGES:
        html = signed_in.get(f"/en/me/{page}").content.decode()
        assert "CANARY-NOTES-7f3a" not in html
        assert "Tolerated" not in html
        assert "Duldung" not in html


def test_newcomer_pages_work_without_javascript(signed_in):
    for page in PAGES:
        assert "<script" not in signed_in.get(f"/ar/me/{page}").content.decode()
