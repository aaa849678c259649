"""The public board of ways to help: what it lists (and never), what it shows (nothing about
any person), its filters and pages per language, its preview card, and "I want to help" from
a visitor's first tap to a sign-up row, keeping who invited them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role, User
from ankommen.accounts.services import invite_code_for
from ankommen.vocabulary.models import District, Language, Theme
from board import wanted
from tests.factories import (
    CourseFactory,
    PartnerFactory,
    SessionFactory,
    TaskFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Audience, Registration, Session
from workgroups.models import Task, TaskSignup
from workgroups.services import sign_up_for_task

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ein-langes-passwort-9"


def _soon(days=3):
    return timezone.now() + timedelta(days=days)


def _open_task(**fields):
    fields.setdefault("starts_at", _soon())
    fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=2))
    return TaskFactory(**fields)


def _titles(response):
    return [str(entry.title) for entry in response.context["entries"]]


def test_the_board_lists_only_approved_open_tasks_still_to_come_and_open_trainings(client):
    partner = PartnerFactory(name="Caritas")
    _open_task(title="Umzugshilfe", partner=partner)
    TaskFactory(title="Sprachcafé", kind=Task.Kind.RECURRING, schedule="Dienstags 16-18")
    _open_task(title="Noch nicht geprüft", partner=partner, review="pending", is_open=False)
    _open_task(title="Abgelehnt", partner=partner, review="declined", is_open=False)
    _open_task(title="Geschlossen", closed_at=timezone.now(), is_open=False)
    _open_task(title="Voll", helpers_needed=1, signed_up_count=1, is_open=False)
    TaskFactory(title="Schon begonnen", starts_at=timezone.now() - timedelta(hours=1))
    SessionFactory(course__title="Grundlagen der Begleitung")
    SessionFactory(course__title="Für beide", course__audience=Audience.BOTH)
    SessionFactory(course__title="Nur für Neue", course__audience=Audience.NEWCOMERS)
    SessionFactory(course__title="Ausgebucht", capacity=2, confirmed_count=2)
    SessionFactory(course__title="Abgesagt", status=Session.Status.CANCELLED)
    SessionFactory(course__title="Frist vorbei", signup_deadline=timezone.now() - timedelta(1))
    advanced = CourseFactory(title="Aufbaukurs")
    advanced.prerequisites.add(CourseFactory(title="Vorher"))
    SessionFactory(course=advanced)

    response = client.get("/de/help/")

    assert response.status_code == 200
    assert sorted(_titles(response)) == sorted(
        ["Umzugshilfe", "Sprachcafé", "Grundlagen der Begleitung", "Für beide"]
    )
    # Dated entries first, by date; the recurring task without a date last.
    assert _titles(response)[-1] == "Sprachcafé"
    assert "Caritas" in response.content.decode()


def test_entries_not_listed_have_no_page_and_take_no_wish(client):
    pending = _open_task(title="Noch nicht geprüft", review="pending", is_open=False)
    full = _open_task(title="Voll", helpers_needed=1, signed_up_count=1, is_open=False)

    for task in (pending, full):
        page = client.get(f"/de/help/task/{task.pk}/")
        wish = client.post(f"/de/help/task/{task.pk}/want/")
        assert page.status_code == 404
        assert "Noch nicht geprüft" not in page.content.decode()
        assert wish.status_code == 404
    assert client.get("/de/help/shift/1/").status_code == 404
    assert wanted.SESSION_KEY not in client.session


def test_nobody_who_created_or_signed_up_is_named_only_the_places_left(client):
    creator = UserFactory(role=Role.COORDINATOR, full_name="Helga Schreiber")
    task = _open_task(
        title="Möbel tragen", helpers_needed=3, created_by=creator, contact="Frau Jansen 0511 1234"
    )
    for name in ("Kai Mustermann", "Aylin Demir"):
        sign_up_for_task(task=task, user=VolunteerFactory(user__full_name=name).user)
    session = SessionFactory(course__title="Grundkurs", capacity=5)
    Registration.objects.create(
        session=session, user=UserFactory(full_name="Jonas Trainee"), state="confirmed"
    )
    session.trainers.add(UserFactory(full_name="Tina Trainerin"))

    pages = [
        client.get("/de/help/").content.decode(),
        client.get(f"/de/help/task/{task.pk}/").content.decode(),
        client.get(f"/de/help/training/{session.pk}/").content.decode(),
    ]

    for html in pages:
        for name in (
            "Helga",
            "Schreiber",
            "Kai Mustermann",
            "Aylin",
            "Jansen",
            "0511",
            "Jonas",
            "Tina",
            "@example.org",
        ):
            assert name not in html
    assert "1 Platz frei" in pages[1] or "1 place left" in pages[1]


def test_filters_by_theme_district_language_kind_and_time(client):
    housing, health = Theme.objects.get(slug="housing"), Theme.objects.get(slug="health")
    mitte = District.objects.get(slug="mitte")
    linden = District.objects.exclude(pk=mitte.pk).order_by("pk").first()
    arabic = Language.objects.get(code="ar")
    a = _open_task(title="Wohnung Mitte", theme=housing, district=mitte)
    a.languages.add(arabic)
    _open_task(title="Wohnung anderswo", theme=housing, district=linden)
    _open_task(title="Arzt Mitte später", theme=health, district=mitte, starts_at=_soon(40))
    TaskFactory(title="Jede Woche", kind=Task.Kind.RECURRING, theme=housing, district=mitte)
    SessionFactory(course__title="Kurs Wohnen", course__theme=housing, starts_at=_soon(20))

    def titles(query):
        return sorted(_titles(client.get(f"/de/help/?{query}")))

    assert titles(f"theme={housing.pk}&district={mitte.pk}") == ["Jede Woche", "Wohnung Mitte"]
    assert titles(f"language={arabic.pk}") == ["Wohnung Mitte"]
    assert titles("kind=training") == ["Kurs Wohnen"]
    assert titles(f"theme={housing.pk}&within=week") == ["Wohnung Mitte", "Wohnung anderswo"]
    assert titles("within=recurring") == ["Jede Woche"]
    assert titles(f"starts_from={_soon(30).date()}") == ["Arzt Mitte später"]
    assert titles(f"starts_until={_soon(10).date()}") == ["Wohnung Mitte", "Wohnung anderswo"]
    chips = client.get(f"/de/help/?theme={housing.pk}").content.decode()
    assert "filter-chips" in chips


def test_a_refused_filter_value_is_a_message_not_an_error(client):
    _open_task(title="Umzugshilfe")

    response = client.get("/de/help/?starts_from=kein-datum&theme=999999")

    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_pages_in_german_and_arabic_use_the_readers_version_and_mark_german(client):
    task = _open_task(title="Umzugshilfe", title_ar="مساعدة في الانتقال", description="Kisten")

    german = client.get("/de/help/").content.decode()
    arabic = client.get("/ar/help/").content.decode()
    arabic_entry = client.get(f"/ar/help/task/{task.pk}/").content.decode()

    assert 'lang="de" dir="ltr"' in german
    assert "Umzugshilfe" in german
    assert 'lang="ar" dir="rtl"' in arabic
    assert "مساعدة في الانتقال" in arabic
    assert "Umzugshilfe" not in arabic
    # The description has no Arabic version: the German text is marked as German.
    assert '<div lang="de" dir="ltr"><p>Kisten</p></div>' in arabic_entry


def _fill(count):
    theme = Theme.objects.get(slug="housing")
    arabic = Language.objects.get(code="ar")
    for number in range(count):
        task = _open_task(title=f"Aufgabe {number}", theme=theme, partner=PartnerFactory())
        task.languages.add(arabic)
        session = SessionFactory(starts_at=_soon(number % 9 + 1), course__theme=theme)
        session.course.languages.add(arabic)


@pytest.mark.parametrize("count", [2, 30])
def test_the_board_takes_the_same_queries_whatever_its_size(
    client, django_assert_max_num_queries, count
):
    _fill(count)
    theme = Theme.objects.get(slug="housing")

    # Three for the filters' choices, two for the merged page, two per source.
    with django_assert_max_num_queries(10):
        response = client.get(f"/de/help/?theme={theme.pk}")

    assert len(response.context["entries"]) == min(2 * count, 20)


@pytest.mark.parametrize("count", [2, 30])
def test_an_entry_page_takes_the_same_queries_whatever_its_size(
    client, django_assert_max_num_queries, count
):
    _fill(count)
    task = Task.objects.order_by("pk").first()

    with django_assert_max_num_queries(2):
        response = client.get(f"/de/help/task/{task.pk}/")

    assert response.status_code == 200


def test_the_preview_card_for_messengers_has_absolute_urls(client):
    task = _open_task(title="Umzugshilfe", description="Wir tragen Kisten in den dritten Stock.")

    html = client.get(f"/de/help/task/{task.pk}/").content.decode()

    def meta(name):
        found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
        assert found, name
        return found.group(1)

    assert meta("og:title") == "Umzugshilfe"
    assert meta("og:description") == "Wir tragen Kisten in den dritten Stock."
    assert meta("og:url") == f"http://testserver/de/help/task/{task.pk}/"
    assert meta("og:type") == "article"
    assert meta("og:site_name")
    assert meta("og:locale") == "de"
    assert meta("og:image") == "http://testserver/static/board/share-card.png"
    assert meta("twitter:card") == "summary_large_image"
    assert client.get("/static/board/share-card.png").status_code == 200
    board = client.get("/ar/help/").content.decode()
    assert 'property="og:url" content="http://testserver/ar/help/"' in board
    assert 'property="og:locale" content="ar"' in board


def _register(client, email, next_url):
    return client.post(
        f"/de/accounts/signup/?next={next_url}",
        {
            "full_name": "Leila Rahimi",
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "next": next_url,
        },
    )


def test_a_visitor_with_an_invite_registers_confirms_consents_and_is_signed_up(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    inviter = VolunteerFactory(user__full_name="Sami Inviter").user
    task = _open_task(title="Umzugshilfe", helpers_needed=2)

    client.get(f"/de/help/task/{task.pk}/?invite={invite_code_for(inviter)}")
    response = client.post(f"/de/help/task/{task.pk}/want/")
    assert response.status_code == 302
    signup_url = response["Location"]
    assert signup_url.startswith("/de/accounts/signup/?next=")
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, "leila@example.org", "/de/help/continue/")
    assert response.status_code == 302
    assert not TaskSignup.objects.exists()

    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    response = client.post("/" + link.split("//", 1)[1].split("/", 1)[1])
    assert response["Location"] == "/de/help/continue/"
    response = client.get(response["Location"])
    assert response["Location"].startswith("/de/volunteers/me/start/?next=")
    assert not TaskSignup.objects.exists()  # nothing is stored before the consent
    response = client.post(response["Location"], {"agree": "on"})
    assert response["Location"] == "/de/help/continue/"
    response = client.get(response["Location"], follow=True)

    user = User.objects.get(email="leila@example.org")
    assert user.referred_by == inviter
    assert TaskSignup.objects.get(task=task).user == user
    assert response.redirect_chain[-1][0] == task.get_absolute_url()
    assert wanted.SESSION_KEY not in client.session
    task.refresh_from_db()
    assert task.signed_up_count == 1


def test_the_invite_link_first_then_the_board_keeps_who_invited(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    inviter = VolunteerFactory().user
    session = SessionFactory(course__title="Grundkurs")

    client.get(reverse("accounts:invite", args=[invite_code_for(inviter)]))
    client.post(f"/de/help/training/{session.pk}/want/")
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, "omid@example.org", "/de/help/continue/")
    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    client.post("/" + link.split("//", 1)[1].split("/", 1)[1])
    client.post("/de/volunteers/me/start/?next=/de/help/continue/", {"agree": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/de/help/continue/")

    user = User.objects.get(email="omid@example.org")
    assert user.referred_by == inviter
    assert Registration.objects.get(session=session).user == user


def test_a_signed_in_volunteer_goes_straight_to_the_sign_up(client):
    volunteer = VolunteerFactory()
    task = _open_task(title="Umzugshilfe")
    client.force_login(volunteer.user)

    response = client.post(f"/de/help/task/{task.pk}/want/", follow=True)

    assert TaskSignup.objects.get(task=task).user == volunteer.user
    assert response.redirect_chain[-1][0] == task.get_absolute_url()
    assert "angemeldet" in response.content.decode()


def test_a_sign_up_the_rules_refuse_is_a_message_and_no_row(client):
    volunteer = VolunteerFactory()
    task = _open_task(title="Umzugshilfe", helpers_needed=3)
    client.force_login(volunteer.user)
    client.post(f"/de/help/task/{task.pk}/want/", follow=True)

    response = client.post(f"/de/help/task/{task.pk}/want/", follow=True)

    assert TaskSignup.objects.filter(task=task).count() == 1
    assert "bereits" in response.content.decode()


def test_a_task_filled_while_registering_is_a_message_and_no_row(client):
    volunteer = VolunteerFactory()
    task = _open_task(title="Umzugshilfe", helpers_needed=1)
    client.force_login(volunteer.user)
    wanted.remember(session := client.session, "task", task.pk)
    session.save()
    sign_up_for_task(task=task, user=VolunteerFactory().user)

    response = client.get("/de/help/continue/", follow=True)

    assert not TaskSignup.objects.filter(user=volunteer.user).exists()
    assert response.redirect_chain[-1][0] == "/de/help/"
    assert wanted.SESSION_KEY not in client.session


def test_only_volunteers_sign_up_from_the_board(client, coordinator):
    task = _open_task(title="Umzugshilfe")
    client.force_login(coordinator)

    page = client.get(f"/de/help/task/{task.pk}/").content.decode()
    response = client.post(f"/de/help/task/{task.pk}/want/")

    assert f"/de/help/task/{task.pk}/want/" not in page
    assert response.status_code == 302
    assert not TaskSignup.objects.exists()


def test_the_onboarding_start_follows_only_pages_of_this_site(client):
    user = UserFactory(role=Role.VOLUNTEER)
    client.force_login(user)

    response = client.post("/de/volunteers/me/start/?next=https://evil.example/", {"agree": "on"})

    assert response["Location"] == "/de/volunteers/me/profile/1/"


def test_the_landing_page_links_to_the_board(client):
    assert 'href="/de/help/"' in client.get("/de/").content.decode()
