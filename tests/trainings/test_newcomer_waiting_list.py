"""A newcomer on a waiting list sees it under "My appointments", with their place in line."""

import pytest

from refugees.services import issue_access_link
from tests.factories import CourseFactory, NewcomerFactory, SessionFactory
from trainings.models import Registration
from trainings.services import cancel_registration, sign_up

pytestmark = pytest.mark.django_db


def _full_session(coordinator, title):
    session = SessionFactory(course=CourseFactory(audience="newcomers", title=title), capacity=1)
    sign_up(session=session, newcomer=NewcomerFactory(), by=coordinator)
    return session


def _open_view(client, coordinator, newcomer):
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    client.get(f"/n/{card.token}/")


def test_waiting_newcomers_see_their_place_and_sure_dates_show_as_before(client, coordinator):
    session = _full_session(coordinator, "Deutsch im Alltag")
    first, second = NewcomerFactory(preferred_language="en"), NewcomerFactory()
    sign_up(session=session, newcomer=first, by=coordinator)
    sign_up(session=session, newcomer=second, by=coordinator)
    sure = SessionFactory(course=CourseFactory(audience="newcomers", title="Fahrrad-Werkstatt"))
    sign_up(session=sure, newcomer=first, by=coordinator)

    _open_view(client, coordinator, first)
    page_of_first = client.get("/en/me/appointments/").content.decode()
    _open_view(client, coordinator, second)
    page_of_second = client.get("/en/me/appointments/").content.decode()

    assert "Deutsch im Alltag" in page_of_first
    assert "Waiting list: you are number 1." in page_of_first
    assert "If a place becomes free, you get it and it shows here." in page_of_first
    assert page_of_first.count("Waiting list") == 1  # the sure date has no waiting note
    assert "Fahrrad-Werkstatt" in page_of_first
    assert "Deutsch im Alltag" in page_of_second
    assert "number 2." in page_of_second


def test_cancelled_waiting_place_disappears_and_the_next_moves_up(client, coordinator):
    session = _full_session(coordinator, "Deutsch im Alltag")
    first, second = NewcomerFactory(), NewcomerFactory(preferred_language="en")
    waiting = sign_up(session=session, newcomer=first, by=coordinator)
    sign_up(session=session, newcomer=second, by=coordinator)

    cancel_registration(registration=waiting, by=coordinator)
    _open_view(client, coordinator, second)
    page_of_second = client.get("/en/me/appointments/").content.decode()
    _open_view(client, coordinator, first)
    page_of_first = client.get("/en/me/appointments/").content.decode()

    assert "Waiting list: you are number 1." in page_of_second
    assert "Deutsch im Alltag" not in page_of_first
    assert "You have no appointments at the moment." in page_of_first


def test_a_freed_place_turns_the_waiting_entry_into_a_sure_date(client, coordinator):
    session = SessionFactory(course=CourseFactory(audience="newcomers", title="Kochen"), capacity=1)
    holder = sign_up(session=session, newcomer=NewcomerFactory(), by=coordinator)
    newcomer = NewcomerFactory(preferred_language="en")
    sign_up(session=session, newcomer=newcomer, by=coordinator)

    cancel_registration(registration=holder, by=coordinator)
    _open_view(client, coordinator, newcomer)
    page = client.get("/en/me/appointments/").content.decode()

    assert Registration.objects.get(newcomer=newcomer).state == "confirmed"
    assert "Kochen" in page
    assert "Waiting list" not in page


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_needs_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries, count
):
    newcomer = NewcomerFactory(preferred_language="en")
    for number in range(count):
        session = _full_session(coordinator, f"Kurs {number}")
        sign_up(session=session, newcomer=NewcomerFactory(), by=coordinator)
        sign_up(session=session, newcomer=newcomer, by=coordinator)
    _open_view(client, coordinator, newcomer)

    # One query per app that gives newcomers dates: trainings, and partners' appointments.
    with django_assert_max_num_queries(6):
        page = client.get("/en/me/appointments/").content.decode()

    assert page.count("Waiting list: you are number 2.") == count


def test_an_arabic_newcomer_reads_the_waiting_list_in_arabic(client, coordinator):
    session = _full_session(coordinator, "Deutsch im Alltag")
    newcomer = NewcomerFactory(preferred_language="ar")
    sign_up(session=session, newcomer=newcomer, by=coordinator)
    _open_view(client, coordinator, newcomer)

    page = client.get("/ar/me/appointments/").content.decode()

    assert "قائمة الانتظار: أنت رقم 1." in page
    assert "إذا أصبح مكان متاحًا، ستحصل عليه وسيظهر هنا." in page
