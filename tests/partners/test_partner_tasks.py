"""Tasks partner staff post: they wait for a coordinator, unseen and not sign-up-able by
volunteers and counted nowhere; approval opens them, declining says why; the organisation's
staff hear by e-mail, and see who signed up for their approved tasks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary.models import District, Language, Theme
from partners.services import tasks as partner_tasks
from tests.factories import PartnerFactory, TaskFactory, UserFactory, VolunteerFactory
from tests.partners.desk_support import acting_for, client_for
from workgroups.gaps import measures
from workgroups.models import Partner, Task
from workgroups.selectors import closed_tasks_managed_by, open_tasks_for
from workgroups.services import WorkgroupError, sign_up_for_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def caritas(db):
    return PartnerFactory(name="Caritas Nord")


@pytest.fixture
def staff(caritas):
    return acting_for(caritas, full_name="Samira Haddad", email="samira@caritas.example")


@pytest.fixture
def client(staff):
    return client_for(staff)


def _in(days: int, hour: int = 16) -> str:
    when = timezone.localtime() + timedelta(days=days)
    return when.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def _form(**changes):
    data = {
        "title": "Begleitung zur Ausländerbehörde",
        "description": "Wir brauchen Ehrenamtliche, die Tigrinya sprechen.",
        "theme": Theme.objects.get(slug="housing").pk,
        "district": District.objects.get(slug="nord").pk,
        "where": "Caritas Nord, Lindener Marktplatz 1",
        "contact": "0511 123",
        "kind": "one_off",
        "starts_at": _in(6),
        "ends_at": _in(6, hour=19),
        "schedule": "",
        "time_needed": "3 Stunden",
        "helpers_needed": "2",
        "languages": [Language.objects.get(code="ar").pk],
    }
    return {**data, **changes}


def _pending(partner, **fields):
    start = timezone.now() + timedelta(days=5)
    defaults = {
        "title": "Begleitung",
        "partner": partner,
        "organisation": partner.name,
        "review": Task.Review.PENDING,
        "is_open": False,
        "starts_at": start,
        "theme": Theme.objects.get(slug="housing"),
        "district": District.objects.get(slug="nord"),
        "helpers_needed": 2,
    }
    return TaskFactory(**{**defaults, **fields})


def _entries(record, action):
    return AuditEvent.objects.filter(
        subject_type=record._meta.model_name, subject_id=record.pk, action=action
    )


# Posting ---------------------------------------------------------------------------------------


def test_staff_post_a_task_that_waits_for_review(client, staff, caritas):
    form_page = client.get(reverse("partners:task_create", args=[caritas.pk])).text
    assert 'name="group"' not in form_page
    assert 'name="title_ar"' in form_page

    response = client.post(
        reverse("partners:task_create", args=[caritas.pk]), _form(title_ar="مرافقة")
    )

    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:task_detail", args=[task.pk])
    assert (task.partner, task.review, task.is_open, task.group, task.organisation) == (
        caritas,
        Task.Review.PENDING,
        False,
        None,
        "Caritas Nord",
    )
    assert (task.title_ar, task.created_by, task.helpers_needed) == ("مرافقة", staff, 2)
    assert _entries(task, "create").get().actor_id == staff.pk
    detail = client.get(response["Location"]).text
    assert "Waiting for a coordinator" in detail


def test_a_bad_task_keeps_what_was_typed(client, caritas):
    response = client.post(
        reverse("partners:task_create", args=[caritas.pk]),
        _form(kind="recurring", schedule="", helpers_needed="0", where="Hinterhof 3"),
    )

    assert response.status_code == 200
    assert "Please say when the task recurs" in response.text
    assert "A task needs at least one helper." in response.text
    assert 'value="Hinterhof 3"' in response.text
    assert not Task.objects.exists()


def test_a_retired_organisation_posts_no_task(client, caritas):
    Partner.objects.filter(pk=caritas.pk).update(is_active=False)

    response = client.post(reverse("partners:task_create", args=[caritas.pk]), _form())

    assert response.status_code == 200
    assert "retired" in response.text
    assert not Task.objects.exists()


def test_another_organisations_task_is_missing(client):
    other = PartnerFactory(name="Diakonie")
    task = _pending(other)

    answers = [
        client.get(reverse("partners:task_detail", args=[task.pk])).status_code,
        client.get(reverse("partners:task_edit", args=[task.pk])).status_code,
        client.post(reverse("partners:task_edit", args=[task.pk]), _form()).status_code,
        client.post(reverse("partners:task_create", args=[other.pk]), _form()).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    assert Task.objects.get().title == "Begleitung"


def test_a_partner_cannot_open_a_coordinators_task(client):
    task = TaskFactory(title="Umzugshilfe")

    assert client.get(reverse("partners:task_detail", args=[task.pk])).status_code == 404


# Unseen by volunteers until approved -----------------------------------------------------------


@pytest.mark.parametrize("review", [Task.Review.PENDING, Task.Review.DECLINED])
def test_a_task_not_approved_is_shown_to_no_volunteer_and_counted_nowhere(client, caritas, review):
    task = _pending(caritas, review=review, title="Nicht freigegeben")
    volunteer = VolunteerFactory().user
    browser = client_for(volunteer)
    coordinator = UserFactory(role="coordinator")

    listing = browser.get(reverse("workgroups:task_list")).text
    detail = browser.get(reverse("workgroups:task_detail", args=[task.pk]))
    signing_up = browser.post(reverse("workgroups:task_sign_up", args=[task.pk]))

    assert "Nicht freigegeben" not in listing
    assert detail.status_code == 404
    assert signing_up.status_code == 404
    assert not task.signups.exists()
    assert task not in open_tasks_for(volunteer)
    assert task not in closed_tasks_managed_by(coordinator)
    assert measures()["tasks"] == {}
    with pytest.raises(WorkgroupError, match="not open for sign-ups"):
        sign_up_for_task(task=task, user=volunteer)
    gap_cell = client_for(coordinator).get(reverse("workgroups:gap_cell", args=["housing", "nord"]))
    assert "Nicht freigegeben" not in gap_cell.text
    # Coordinators open it, marked as not approved.
    seen = client_for(coordinator).get(reverse("workgroups:task_detail", args=[task.pk]))
    assert seen.status_code == 200
    assert "Volunteers do not see it." in seen.text


def test_editing_a_pending_task_keeps_it_closed(client, caritas):
    task = _pending(caritas)

    client.post(
        reverse("partners:task_edit", args=[task.pk]),
        _form(title="Begleitung am Dienstag", helpers_needed="3"),
    )

    task.refresh_from_db()
    assert (task.title, task.helpers_needed, task.review, task.is_open) == (
        "Begleitung am Dienstag",
        3,
        Task.Review.PENDING,
        False,
    )


# The coordinators' review ----------------------------------------------------------------------


def test_coordinators_approve_a_task_and_its_organisation_hears(
    caritas, staff, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = acting_for(caritas, email="jonas@caritas.example")
    acting_for(PartnerFactory(), email="fremd@other.example")
    task = _pending(caritas, title="Begleitung zur Behörde")
    coordinator = UserFactory(role="coordinator")
    reviewer = client_for(coordinator)
    page = reviewer.get(reverse("partners:task_review")).text
    assert "Begleitung zur Behörde" in page
    assert "Caritas Nord" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(reverse("partners:task_approve", args=[task.pk]))

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.review, task.is_open, task.reviewed_by) == (
        Task.Review.APPROVED,
        True,
        coordinator,
    )
    assert _entries(task, "change").get().actor_id == coordinator.pk
    assert sorted(mail.to[0] for mail in mailoutbox) == [colleague.email, staff.email]
    assert "Begleitung zur Behörde" in mailoutbox[0].subject
    assert reverse("partners:task_detail", args=[task.pk]) in mailoutbox[0].body
    volunteer = VolunteerFactory().user
    assert (
        "Begleitung zur Behörde" in client_for(volunteer).get(reverse("workgroups:task_list")).text
    )
    sign_up_for_task(task=task, user=volunteer)
    assert measures()["tasks"] == {(task.theme_id, task.district_id): 1}
    assert "Begleitung zur Behörde" not in reviewer.get(reverse("partners:task_review")).text


def test_a_task_approved_after_it_began_takes_no_sign_ups(caritas):
    task = _pending(caritas)
    Task.objects.filter(pk=task.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    approved = partner_tasks.approve_task(task=task, by=UserFactory(role="coordinator"))

    assert (approved.review, approved.is_open) == (Task.Review.APPROVED, False)


def test_coordinators_decline_with_a_reason_and_the_organisation_reads_it(
    caritas, staff, client, mailoutbox, django_capture_on_commit_callbacks
):
    task = _pending(caritas)
    coordinator = UserFactory(role="coordinator")
    reviewer = client_for(coordinator)

    empty = reviewer.post(reverse("partners:task_decline", args=[task.pk]), {"reason": "  "})
    with django_capture_on_commit_callbacks(execute=True):
        declined = reviewer.post(
            reverse("partners:task_decline", args=[task.pk]),
            {"reason": "Bitte einen Ort angeben, der barrierefrei ist."},
        )

    assert empty.status_code == 200
    assert "This field is required." in empty.text or "Please say why" in empty.text
    assert declined.status_code == 302
    task.refresh_from_db()
    assert (task.review, task.is_open, task.review_note, task.reviewed_by) == (
        Task.Review.DECLINED,
        False,
        "Bitte einen Ort angeben, der barrierefrei ist.",
        coordinator,
    )
    (mail,) = mailoutbox
    assert mail.to == [staff.email]
    assert "Bitte einen Ort angeben, der barrierefrei ist." in mail.body
    home = client.get(reverse("partners:home")).text
    assert "Bitte einen Ort angeben, der barrierefrei ist." in home
    assert "Declined" in home


def test_a_declined_task_changed_by_its_organisation_waits_for_review_again(client, caritas):
    task = _pending(caritas, review=Task.Review.DECLINED, review_note="Ort fehlt")

    response = client.post(
        reverse("partners:task_edit", args=[task.pk]), _form(where="Rathaus, barrierefrei")
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.review, task.review_note, task.where, task.is_open) == (
        Task.Review.PENDING,
        "",
        "Rathaus, barrierefrei",
        False,
    )


def test_only_a_pending_task_is_approved_or_declined_from_the_review_page(caritas):
    task = _pending(caritas, review=Task.Review.DECLINED, review_note="Ort fehlt")
    reviewer = client_for(UserFactory(role="coordinator"))

    approve = reviewer.post(reverse("partners:task_approve", args=[task.pk]))
    decline = reviewer.get(reverse("partners:task_decline", args=[task.pk]))

    assert (approve.status_code, decline.status_code) == (404, 404)
    task.refresh_from_db()
    assert task.review == Task.Review.DECLINED


def test_partner_staff_and_volunteers_cannot_review(client, caritas):
    task = _pending(caritas)

    assert client.post(reverse("partners:task_approve", args=[task.pk])).status_code == 403
    volunteer = client_for(VolunteerFactory().user)
    assert volunteer.post(reverse("partners:task_approve", args=[task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.review == Task.Review.PENDING


def test_the_review_page_is_in_the_coordinators_network_menu(caritas):
    page = client_for(UserFactory(role="coordinator")).get(reverse("cockpit:dashboard")).text

    assert reverse("partners:task_review") in page


# After approval --------------------------------------------------------------------------------


def test_the_organisation_sees_who_signed_up_and_edits_time_without_new_review(
    client, caritas, mailoutbox, django_capture_on_commit_callbacks
):
    task = _pending(caritas, title="Begleitung", where="Rathaus")
    partner_tasks.approve_task(task=task, by=UserFactory(role="coordinator"))
    helper = VolunteerFactory(user__full_name="Lena Vogel", user__email="lena@example.org").user
    sign_up_for_task(task=task, user=helper)
    mailoutbox.clear()
    task.refresh_from_db()
    page = client.get(reverse("partners:task_detail", args=[task.pk])).text
    assert "Lena Vogel" in page
    assert "lena@example.org" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partners:task_edit", args=[task.pk]),
            _form(title="Begleitung", where="Neues Rathaus", helpers_needed="3"),
        )

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.review, task.is_open, task.where, task.helpers_needed) == (
        Task.Review.APPROVED,
        True,
        "Neues Rathaus",
        3,
    )
    assert [mail.to[0] for mail in mailoutbox] == ["lena@example.org"]
    refused = client.post(reverse("partners:task_edit", args=[task.pk]), _form(helpers_needed="0"))
    assert refused.status_code == 200


def test_helpers_are_not_shown_to_another_organisation_nor_to_volunteers(caritas):
    task = _pending(caritas)
    partner_tasks.approve_task(task=task, by=UserFactory(role="coordinator"))
    helper = VolunteerFactory(user__email="lena@example.org").user
    sign_up_for_task(task=task, user=helper)
    stranger = client_for(acting_for(PartnerFactory()))
    volunteer = client_for(VolunteerFactory().user)

    assert stranger.get(reverse("partners:task_detail", args=[task.pk])).status_code == 404
    page = volunteer.get(reverse("workgroups:task_detail", args=[task.pk])).text
    assert "lena@example.org" not in page
    assert "its staff see your name and e-mail address" in page


# Query budgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 12])
def test_the_review_page_costs_the_same_queries_whatever_its_size(
    size, django_assert_max_num_queries
):
    for number in range(size):
        _pending(PartnerFactory(), title=f"Aufgabe {number}")
    reviewer = client_for(UserFactory(role="coordinator"))

    with django_assert_max_num_queries(7):
        page = reviewer.get(reverse("partners:task_review"))

    assert f"Aufgabe {size - 1}" in page.text


@pytest.mark.parametrize("size", [1, 12])
def test_the_task_page_of_the_organisation_costs_the_same_queries_whatever_its_size(
    size, django_assert_max_num_queries, client, caritas
):
    task = _pending(caritas, helpers_needed=12)
    partner_tasks.approve_task(task=task, by=UserFactory(role="coordinator"))
    for _ in range(size):
        sign_up_for_task(task=task, user=VolunteerFactory().user)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("partners:task_detail", args=[task.pk]))

    assert page.status_code == 200


# Closing and reopening their own task ------------------------------------------------------


def test_the_organisation_closes_its_own_task_and_whoever_signed_up_is_told(
    client, staff, caritas, mailoutbox, django_capture_on_commit_callbacks
):
    task = _pending(caritas, review=Task.Review.APPROVED, is_open=True)
    helper = VolunteerFactory().user
    sign_up_for_task(task=task, user=helper)
    page = client.get(reverse("partners:task_close", args=[task.pk]))
    assert page.status_code == 200
    assert "1 person has signed up" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partners:task_close", args=[task.pk]))

    task.refresh_from_db()
    assert task.is_closed
    assert not task.is_open
    assert [mail.to for mail in mailoutbox] == [[helper.email]]
    assert _entries(task, AuditEvent.Action.CHANGE).filter(actor_id=staff.pk).exists()
    assert task not in open_tasks_for(VolunteerFactory().user)

    client.post(reverse("partners:task_reopen", args=[task.pk]))
    task.refresh_from_db()
    assert task.is_open
    assert not task.is_closed


def test_a_task_under_review_or_of_another_organisation_is_not_closed_here(client, caritas):
    pending = _pending(caritas)
    others = _pending(PartnerFactory(name="Tafel"), review=Task.Review.APPROVED, is_open=True)
    for task in (pending, others):
        assert client.get(reverse("partners:task_close", args=[task.pk])).status_code == 404
        assert client.post(reverse("partners:task_close", args=[task.pk])).status_code == 404
    others.refresh_from_db()
    assert not others.is_closed
