from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import RegistrationFactory, SessionFactory, UserFactory
from trainings.models import Registration, Session

pytestmark = pytest.mark.django_db
URL = "/en/trainings/needs-attendance/"


def ended_session(**kwargs) -> Session:
    starts_at = timezone.now() - timedelta(days=2)
    return SessionFactory(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3), **kwargs)


def test_the_list_shows_ended_sessions_with_a_missing_mark_only(client, coordinator):
    missing = ended_session(course__title="Erste Hilfe")
    RegistrationFactory(session=missing, user=UserFactory(), attended=True)
    RegistrationFactory(session=missing, user=UserFactory())
    RegistrationFactory(session=missing, user=UserFactory())
    RegistrationFactory(
        session=missing, user=UserFactory(), state=Registration.State.CANCELLED
    )  # a cancelled place needs no mark
    complete = ended_session(course__title="Asylrecht")
    RegistrationFactory(session=complete, user=UserFactory(), attended=False)
    future = SessionFactory(course__title="Behördengänge")
    RegistrationFactory(session=future, user=UserFactory())
    cancelled = ended_session(course__title="Sprachcafé", status=Session.Status.CANCELLED)
    RegistrationFactory(session=cancelled, user=UserFactory())
    client.force_login(coordinator)

    response = client.get(URL)

    assert [(s.course.title, s.missing) for s in response.context["page"]] == [("Erste Hilfe", 2)]
    page = response.content.decode()
    assert f"/en/trainings/{missing.pk}/attendance/" in page
    for title in ("Asylrecht", "Behördengänge", "Sprachcafé"):
        assert title not in page
    admin_list = client.get("/en/trainings/manage/").content.decode()
    assert 'href="/en/trainings/needs-attendance/"' in admin_list
    assert response.context["page"].paginator.count == 1


def test_a_trainer_sees_only_their_own_sessions_and_a_volunteer_is_refused(client):
    trainer, volunteer = UserFactory(role="volunteer"), UserFactory(role="volunteer")
    own, other = ended_session(course__title="Mine"), ended_session(course__title="Theirs")
    own.trainers.add(trainer)
    for session in (own, other):
        RegistrationFactory(session=session, user=UserFactory())

    client.force_login(trainer)
    titles = [s.course.title for s in client.get(URL).context["page"]]
    client.force_login(volunteer)

    assert titles == ["Mine"]
    assert client.get(URL).status_code == 403


def test_the_most_recent_session_comes_first(client, coordinator):
    older, newer = ended_session(), ended_session()
    Session.objects.filter(pk=older.pk).update(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=8)
    )
    for session in (older, newer):
        RegistrationFactory(session=session, user=UserFactory())
    client.force_login(coordinator)

    assert [s.pk for s in client.get(URL).context["page"]] == [newer.pk, older.pk]


def _add_sessions(count: int) -> None:
    for _ in range(count):
        session = ended_session()
        for _ in range(3):
            RegistrationFactory(session=session, user=UserFactory())


def _queries(client) -> int:
    client.get(URL)  # the first request fills per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["coordinator", "trainer"])
def test_the_page_costs_the_same_at_two_sizes(client, django_assert_max_num_queries, role):
    user = UserFactory(role="coordinator" if role == "coordinator" else "volunteer")
    client.force_login(user)
    _add_sessions(2)
    if role == "trainer":
        for session in Session.objects.all():
            session.trainers.add(user)
    small = _queries(client)
    _add_sessions(12)
    if role == "trainer":
        for session in Session.objects.all():
            session.trainers.add(user)

    with django_assert_max_num_queries(small):
        client.get(URL)
    assert _queries(client) == small
