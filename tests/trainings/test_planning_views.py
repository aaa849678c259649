from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ankommen.messaging.models import OutboxMessage
from refugees.services import issue_access_link
from tests.factories import (
    CourseFactory,
    NewcomerFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Course, Registration, Session
from trainings.services import sign_up

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MANAGE = "/en/trainings/manage/"


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def _local(moment) -> str:
    return timezone.localtime(moment, BERLIN).strftime("%Y-%m-%dT%H:%M")


def _session_data(course=None, **changes) -> dict:
    start = timezone.now() + timedelta(days=10)
    data = {
        "starts_at": _local(start),
        "ends_at": _local(start + timedelta(hours=2)),
        "place": "Freiwilligenagentur Mitte",
        "online_url": "",
        "capacity": "12",
        "signup_deadline": "",
        "cancellation_deadline": "",
    }
    if course is not None:
        data["course"] = str(course.pk)
    return {**data, **changes}


def _series_data(course, **changes) -> dict:
    data = {
        "course": str(course.pk),
        "first_on": "2030-03-14",
        "starts_at_time": "18:00",
        "ends_at_time": "20:00",
        "weeks": "4",
        "place": "Stadtteiltreff Vahrenwald",
        "online_url": "",
        "capacity": "12",
        "signup_days_before": "",
        "cancellation_days_before": "",
    }
    return {**data, **changes}


# The session list ---------------------------------------------------------------------------


def test_the_session_list_shows_places_taken_free_and_waiting_and_links_the_planning(signed_in):
    session = SessionFactory(capacity=2, course__title="Erste Hilfe")
    for _ in range(3):
        person = VolunteerFactory().user
        sign_up(session=session, user=person, by=person)

    response = signed_in.get(MANAGE)

    row = response.context["page"].object_list[0]
    assert (row.capacity, row.confirmed_count, row.free_places, row.waiting) == (2, 2, 0, 1)
    page = response.content.decode()
    for link in ("courses/new/", "sessions/new/", "sessions/series/", "courses/"):
        assert f'href="{MANAGE}{link}"' in page


def test_the_session_list_shows_one_course_when_asked(signed_in):
    mine, other = SessionFactory(course__title="Mine"), SessionFactory(course__title="Other")

    response = signed_in.get(f"{MANAGE}?course={mine.course_id}")

    assert [s.pk for s in response.context["page"]] == [mine.pk]
    assert f"?course={mine.course_id}" in response.content.decode()
    assert other.pk not in [s.pk for s in response.context["page"]]
    assert signed_in.get(f"{MANAGE}?course=999999").status_code == 404


def test_the_session_page_shows_the_places_and_the_waiting_list(signed_in):
    session = SessionFactory(capacity=1)
    for _ in range(3):
        person = VolunteerFactory().user
        sign_up(session=session, user=person, by=person)

    page = signed_in.get(f"{MANAGE}{session.pk}/").content.decode()

    assert 'fs-4 mb-0">1</dd>' in page  # places, taken
    assert 'fs-4 mb-0">0</dd>' in page  # free
    assert 'fs-4 mb-0">2</dd>' in page  # waiting
    assert f'href="{MANAGE}{session.pk}/edit/"' in page


# Courses ------------------------------------------------------------------------------------


def test_a_coordinator_creates_and_edits_a_course(signed_in):
    response = signed_in.post(
        f"{MANAGE}courses/new/",
        {"title": "Erste Hilfe", "audience": "volunteers", "qualification_months": ""},
    )

    course = Course.objects.get()
    assert response.status_code == 302
    assert course.title == "Erste Hilfe"

    response = signed_in.post(
        f"{MANAGE}courses/{course.pk}/edit/",
        {"title": "Erste Hilfe am Kind", "audience": "both", "qualification_months": "24"},
    )

    course.refresh_from_db()
    assert (course.title, course.audience, course.qualification_months) == (
        "Erste Hilfe am Kind",
        "both",
        24,
    )


def test_a_course_form_with_bad_input_says_so_and_keeps_it(signed_in):
    response = signed_in.post(
        f"{MANAGE}courses/new/", {"title": "", "audience": "volunteers", "description": "Text"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    assert "Text" in response.content.decode()
    assert not Course.objects.exists()


def test_a_prerequisite_loop_is_a_form_error(signed_in):
    first, second = CourseFactory(), CourseFactory()
    second.prerequisites.add(first)

    response = signed_in.post(
        f"{MANAGE}courses/{first.pk}/edit/",
        {"title": first.title, "audience": "volunteers", "prerequisites": [second.pk]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["prerequisites"]
    assert not first.prerequisites.exists()


def test_copying_a_course_opens_the_copy_for_editing(signed_in):
    course = CourseFactory(title="Sprachcafé")
    SessionFactory(course=course)

    response = signed_in.post(f"{MANAGE}courses/{course.pk}/copy/")

    copy = Course.objects.exclude(pk=course.pk).get()
    assert response["Location"] == f"{MANAGE}courses/{copy.pk}/edit/"
    assert copy.title == "Sprachcafé (copy)"
    assert not copy.sessions.exists()
    assert signed_in.get(f"{MANAGE}courses/{course.pk}/copy/").status_code == 405


def test_the_course_list_offers_what_each_course_allows(signed_in):
    running = CourseFactory(title="Läuft")
    retired = CourseFactory(title="Eingestellt", retired_at=timezone.now())
    SessionFactory(course=running)

    response = signed_in.get(f"{MANAGE}courses/")

    page = response.content.decode()
    assert [c.title for c, _add, _retire in response.context["rows"]] == ["Läuft", "Eingestellt"]
    assert response.context["rows"][0][0].upcoming_sessions == 1
    assert f"courses/{running.pk}/retire/" in page
    assert f"courses/{retired.pk}/retire/" not in page
    assert f"sessions/new/?course={running.pk}" in page
    assert f"sessions/new/?course={retired.pk}" not in page


def test_retiring_first_says_what_will_happen_then_does_it(
    signed_in, django_capture_on_commit_callbacks
):
    course = CourseFactory(title="Asylrecht")
    session = SessionFactory(course=course, capacity=1)
    people = [VolunteerFactory().user for _ in range(2)]
    for person in people:
        sign_up(session=session, user=person, by=person)

    confirmation = signed_in.get(f"{MANAGE}courses/{course.pk}/retire/")

    page = confirmation.content.decode()
    assert "1 signed up, 1 waiting" in page
    assert "2 people signed up or waiting are told" in page
    assert Session.objects.get(pk=session.pk).status == "planned"

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"{MANAGE}courses/{course.pk}/retire/", follow=True)

    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert Course.objects.get(pk=course.pk).is_retired
    assert "2 people have been told" in response.content.decode()
    assert OutboxMessage.objects.filter(template="trainings/email/session_cancelled").count() == 2


# Sessions -----------------------------------------------------------------------------------


def test_a_coordinator_creates_a_session_with_trainers(signed_in):
    course = CourseFactory()
    trainer = UserFactory(role="coordinator")

    response = signed_in.post(
        f"{MANAGE}sessions/new/", {**_session_data(course), "trainers": [trainer.pk]}
    )

    session = Session.objects.get()
    assert response["Location"] == f"{MANAGE}{session.pk}/"
    assert (session.course, session.capacity, session.status) == (course, 12, "planned")
    assert list(session.trainers.all()) == [trainer]


def test_only_staff_and_trained_volunteers_are_offered_as_trainers(signed_in):
    trained = VolunteerFactory(stage="trained").user
    new = VolunteerFactory(stage="applied").user

    form = signed_in.get(f"{MANAGE}sessions/new/").context["form"]

    offered = set(form.fields["trainers"].queryset)
    assert trained in offered
    assert new not in offered


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2030-01-01T09:00", "starts_at": "2030-01-01T10:00"}, "ends_at"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-3"}, "capacity"),
        ({"place": "", "online_url": ""}, "place"),
        (
            {"starts_at": "2030-01-01T10:00", "signup_deadline": "2030-01-02T10:00"},
            "signup_deadline",
        ),
        ({"starts_at": "not a date"}, "starts_at"),
    ],
)
def test_a_session_with_bad_input_gets_a_clear_form_error(signed_in, changes, field):
    course = CourseFactory()

    response = signed_in.post(f"{MANAGE}sessions/new/", _session_data(course, **changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Session.objects.exists()


def test_a_session_cannot_be_planned_for_a_retired_course(signed_in):
    course = CourseFactory(retired_at=timezone.now())

    response = signed_in.post(f"{MANAGE}sessions/new/", _session_data(course))

    assert response.context["form"].errors["course"]
    assert not Session.objects.exists()


def test_editing_a_session_moves_it_and_tells_everyone_and_keeps_its_places(
    signed_in, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=3)
    person = VolunteerFactory().user
    sign_up(session=session, user=person, by=person)
    later = session.starts_at + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            f"{MANAGE}{session.pk}/edit/",
            _session_data(
                starts_at=_local(later),
                ends_at=_local(later + timedelta(hours=1)),
                capacity="3",
                online_url="meet.example.org/x",
            ),
        )

    assert response.status_code == 302
    session.refresh_from_db()
    moved_to = later.replace(second=0, microsecond=0)  # the form's inputs show minutes
    assert (session.starts_at, session.online_url) == (moved_to, "https://meet.example.org/x")
    assert OutboxMessage.objects.filter(
        template="trainings/email/session_moved", to_email=person.email
    ).exists()

    response = signed_in.post(f"{MANAGE}{session.pk}/edit/", _session_data(capacity="0"))

    assert response.context["form"].errors["capacity"]


def test_saving_a_session_unchanged_tells_nobody(signed_in, django_capture_on_commit_callbacks):
    session = SessionFactory()  # its start has seconds; the form shows minutes
    person = VolunteerFactory().user
    sign_up(session=session, user=person, by=person)

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            f"{MANAGE}{session.pk}/edit/",
            _session_data(
                starts_at=_local(session.starts_at),
                ends_at=_local(session.ends_at),
                place=session.place,
                capacity="20",
            ),
        )

    assert Session.objects.get(pk=session.pk).capacity == 20
    assert not OutboxMessage.objects.filter(template="trainings/email/session_moved").exists()


def test_a_cancelled_session_is_not_edited(signed_in):
    session = SessionFactory(status=Session.Status.CANCELLED)

    response = signed_in.post(f"{MANAGE}{session.pk}/edit/", _session_data(capacity="30"))

    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).capacity == 10


# Series -------------------------------------------------------------------------------------


def test_a_series_is_shown_first_then_created_without_the_dates_left_out(signed_in):
    course = CourseFactory()

    preview = signed_in.post(f"{MANAGE}sessions/series/", _series_data(course))

    dates = [p.starts_at.astimezone(BERLIN).date() for p in preview.context["dates"]]
    assert dates == [date(2030, 3, 14), date(2030, 3, 21), date(2030, 3, 28), date(2030, 4, 4)]
    assert not Session.objects.exists()
    assert 'value="2030-03-28"' in preview.content.decode()

    response = signed_in.post(
        f"{MANAGE}sessions/series/",
        {**_series_data(course), "skipped": ["2030-03-28"], "action": "create"},
    )

    assert response["Location"] == f"{MANAGE}?course={course.pk}"
    created = [
        (
            timezone.localtime(s.starts_at, BERLIN).date(),
            timezone.localtime(s.starts_at, BERLIN).hour,
        )
        for s in Session.objects.order_by("starts_at")
    ]
    # 31 March 2030 is the change to summer time: the 4 April session is still at 18:00.
    assert created == [(date(2030, 3, 14), 18), (date(2030, 3, 21), 18), (date(2030, 4, 4), 18)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weeks": "0"}, "weeks"),
        ({"weeks": "53"}, "weeks"),
        ({"ends_at_time": "17:00"}, "ends_at_time"),
        ({"capacity": "0"}, "capacity"),
        ({"capacity": "-1"}, "capacity"),
        ({"place": ""}, "place"),
        ({"first_on": "2030-02-31"}, "first_on"),
    ],
)
def test_a_series_with_bad_input_gets_a_clear_form_error(signed_in, changes, field):
    course = CourseFactory()

    response = signed_in.post(
        f"{MANAGE}sessions/series/", {**_series_data(course, **changes), "action": "create"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Session.objects.exists()


def test_a_series_skipping_a_date_not_in_it_is_refused(signed_in):
    course = CourseFactory()

    response = signed_in.post(
        f"{MANAGE}sessions/series/",
        {**_series_data(course), "skipped": ["2030-03-15"], "action": "create"},
    )

    assert "2030-03-15" in str(response.context["form"].non_field_errors())
    assert not Session.objects.exists()


def test_going_back_from_the_preview_keeps_the_series_but_not_the_ticks(signed_in):
    course = CourseFactory()

    response = signed_in.post(
        f"{MANAGE}sessions/series/",
        {**_series_data(course), "skipped": ["2030-03-28"], "action": "change"},
    )

    page = response.content.decode()
    assert response.templates[0].name == "trainings/series_form.html"
    assert 'value="Stadtteiltreff Vahrenwald"' in page
    assert "2030-03-28" not in page


# Removing a participant and cancelling a session ---------------------------------------------


def test_removing_a_participant_first_says_who_is_told_and_who_moves_up(
    signed_in, django_capture_on_commit_callbacks
):
    session = SessionFactory(capacity=1)
    removed = VolunteerFactory(user__full_name="Anna Beispiel").user
    waiting = VolunteerFactory(user__full_name="Bert Wartend").user
    registration = sign_up(session=session, user=removed, by=removed)
    sign_up(session=session, user=waiting, by=waiting)
    url = f"{MANAGE}{session.pk}/registrations/{registration.pk}/cancel/"

    page = signed_in.get(url).content.decode()

    assert "Remove Anna Beispiel from the session?" in page
    assert "Anna Beispiel is told" in page
    assert "Bert Wartend, first on the waiting list, gets the place and is told." in page
    assert Registration.objects.get(pk=registration.pk).state == "confirmed"
    manage_page = signed_in.get(f"{MANAGE}{session.pk}/").content.decode()
    assert f'href="{url}"' in manage_page

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url, follow=True)

    assert Registration.objects.get(pk=registration.pk).state == "cancelled"
    assert Registration.objects.get(user=waiting).state == "confirmed"
    assert "Bert Wartend moved up" in response.content.decode()
    assert OutboxMessage.objects.filter(
        template="trainings/email/removed", to_email=removed.email
    ).exists()
    assert signed_in.get(url).status_code == 404  # already removed


def test_removing_a_newcomer_without_an_address_says_to_tell_them(signed_in):
    session = SessionFactory(course__audience="newcomers")
    newcomer = NewcomerFactory(full_name="Zahra Mohammadi")
    registration = RegistrationFactory(session=session, newcomer=newcomer)

    page = signed_in.get(
        f"{MANAGE}{session.pk}/registrations/{registration.pk}/cancel/"
    ).content.decode()

    assert "Zahra Mohammadi cannot be reached by message" in page
    assert "Nobody is waiting" in page


def test_a_registration_of_another_session_is_not_found(signed_in):
    registration = RegistrationFactory(user=UserFactory())
    other = SessionFactory()

    url = f"{MANAGE}{other.pk}/registrations/{registration.pk}/cancel/"

    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url).status_code == 404
    assert Registration.objects.get(pk=registration.pk).state == "confirmed"


def test_cancelling_a_session_first_says_who_is_told(signed_in):
    session = SessionFactory(capacity=1)
    for _ in range(2):
        person = VolunteerFactory().user
        sign_up(session=session, user=person, by=person)

    page = signed_in.get(f"{MANAGE}{session.pk}/cancel/").content.decode()

    assert "Everyone signed up (1) or waiting (1) is told" in page
    assert Session.objects.get(pk=session.pk).status == "planned"
    signed_in.post(f"{MANAGE}{session.pk}/cancel/")
    assert Session.objects.get(pk=session.pk).status == "cancelled"


# Who may ------------------------------------------------------------------------------------


def _as(client, role):
    if role == "volunteer":
        client.force_login(VolunteerFactory().user)
    elif role == "newcomer":
        newcomer = NewcomerFactory()
        card = issue_access_link(newcomer=newcomer, by=UserFactory(role="coordinator"))
        client.get(f"/n/{card.token}/")
    return client


@pytest.mark.parametrize("role", ["anonymous", "volunteer", "newcomer"])
def test_nobody_but_coordinators_plans_trainings(client, role):
    course = CourseFactory(title="Unverändert")
    session = SessionFactory(course=course)
    person = VolunteerFactory().user
    registration = sign_up(session=session, user=person, by=person)
    _as(client, role)
    posts = {
        f"{MANAGE}courses/new/": {"title": "Neu", "audience": "volunteers"},
        f"{MANAGE}courses/{course.pk}/edit/": {"title": "Geändert", "audience": "volunteers"},
        f"{MANAGE}courses/{course.pk}/copy/": {},
        f"{MANAGE}courses/{course.pk}/retire/": {},
        f"{MANAGE}sessions/new/": _session_data(course),
        f"{MANAGE}sessions/series/": {**_series_data(course), "action": "create"},
        f"{MANAGE}{session.pk}/edit/": _session_data(capacity="50"),
        f"{MANAGE}{session.pk}/registrations/{registration.pk}/cancel/": {},
        f"{MANAGE}{session.pk}/cancel/": {},
    }

    answers = {client.post(url, data).status_code for url, data in posts.items()}

    assert answers == ({302} if role == "anonymous" else {403})
    assert list(Course.objects.values_list("title", "retired_at")) == [("Unverändert", None)]
    assert list(Session.objects.values_list("capacity", "status")) == [(10, "planned")]
    assert Registration.objects.get(pk=registration.pk).state == "confirmed"


# Query counts -------------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)  # the first request fills per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_courses(count: int) -> None:
    for _ in range(count):
        course = CourseFactory(theme_id=None)
        for _ in range(2):
            session = SessionFactory(course=course, capacity=1)
            for _ in range(2):
                RegistrationFactory(
                    session=session,
                    user=UserFactory(),
                    state=Registration.State.WAITLISTED,
                )
    Course.objects.filter(pk__in=Course.objects.order_by("pk").values("pk")[:1]).update(
        retired_at=timezone.now()
    )


@pytest.mark.parametrize(
    "url", [f"{MANAGE}courses/", MANAGE, f"{MANAGE}sessions/new/", f"{MANAGE}sessions/series/"]
)
def test_the_planning_pages_cost_the_same_at_two_sizes(
    signed_in, django_assert_max_num_queries, url
):
    _add_courses(2)
    small = _queries(signed_in, url)
    _add_courses(15)
    VolunteerFactory.create_batch(10, stage="active")

    with django_assert_max_num_queries(small):
        signed_in.get(url)
    assert _queries(signed_in, url) == small


def test_the_retire_confirmation_costs_the_same_at_two_sizes(signed_in):
    course = CourseFactory()

    def add_sessions(count):
        for _ in range(count):
            session = SessionFactory(course=course)
            RegistrationFactory(session=session, user=UserFactory())

    add_sessions(2)
    small = _queries(signed_in, f"{MANAGE}courses/{course.pk}/retire/")
    add_sessions(12)

    assert _queries(signed_in, f"{MANAGE}courses/{course.pk}/retire/") == small
