"""Coordinators, and leads for their own groups, create, edit, close and reopen tasks in the
portal, without the admin. Closing keeps everyone signed up and tells them."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.audit.models import AuditEvent
from ankommen.translated_content import version_fields
from ankommen.vocabulary.models import District, Language, Theme
from refugees.services import issue_access_link
from tests.factories import (
    MembershipFactory,
    NewcomerFactory,
    TaskFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_second_factor,
)
from translations.models import TranslationTask
from workgroups.models import Task, TaskSignup
from workgroups.services import (
    WorkgroupError,
    cancel_task_signup,
    close_task,
    create_task,
    reopen_task,
    sign_up_for_task,
    update_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"workgroups:{name}", args=args)


def _in(days: int, hour: int = 16) -> str:
    """A datetime-local value, as the browser sends it."""
    when = timezone.localtime() + timedelta(days=days)
    return when.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def _entries(record, action):
    return AuditEvent.objects.filter(
        subject_type=record._meta.model_name, subject_id=record.pk, action=action
    )


def _lead_of(*groups):
    user = VolunteerFactory().user
    for group in groups:
        MembershipFactory(group=group, user=user, lead=True)
    give_second_factor(user)
    return user


def _task(**fields):
    start = timezone.now() + timedelta(days=5)
    defaults = {
        "title": "Umzugshilfe",
        "helpers_needed": 3,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "where": "Lindener Marktplatz",
    }
    return TaskFactory(**{**defaults, **fields})


def _form(**changes):
    data = {
        "title": "Umzugshilfe",
        "description": "Kisten tragen.",
        "group": "",
        "theme": Theme.objects.get(slug="housing").pk,
        "district": District.objects.get(slug="nord").pk,
        "where": "Lindener Marktplatz",
        "organisation": "",
        "contact": "0511 123",
        "kind": "one_off",
        "starts_at": _in(6),
        "ends_at": _in(6, hour=19),
        "schedule": "",
        "time_needed": "3 Stunden",
        "helpers_needed": "3",
        "languages": [Language.objects.get(code="ar").pk],
    }
    return {**data, **changes}


def _post_form(task, **changes):
    """The edit form as it is filled in for this task, with `changes`."""
    local = timezone.localtime
    stored = {
        "title": task.title_de,
        "group": task.group_id or "",
        "starts_at": local(task.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(task.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "where": task.where,
        "helpers_needed": str(task.helpers_needed),
        **{name: getattr(task, name) or "" for name in version_fields("title", "description")},
    }
    return _form(**{**stored, **changes})


# Creating and editing, with versions in other languages --------------------------------------


def test_a_coordinator_with_an_arabic_interface_writes_german_and_adds_an_arabic_version(
    client, coordinator
):
    client.force_login(coordinator)
    form_page = client.get(_url("task_create", language="ar")).content.decode()
    assert 'name="title_ar"' in form_page
    assert 'dir="rtl"' in form_page

    response = client.post(
        _url("task_create", language="ar"),
        _form(title_ar="المساعدة في الانتقال", description_uk="Носити коробки."),
    )

    task = Task.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("task_detail", task.pk, language="ar")
    assert (task.title_de, task.title_ar, task.title_en) == (
        "Umzugshilfe",
        "المساعدة في الانتقال",
        None,
    )
    assert (task.description_de, task.description_uk, task.description_ar) == (
        "Kisten tragen.",
        "Носити коробки.",
        None,
    )
    assert (task.helpers_needed, task.is_open, task.created_by) == (3, True, coordinator)
    assert list(task.languages.values_list("code", flat=True)) == ["ar"]
    assert _entries(task, "create").get().actor_id == coordinator.pk
    volunteer = VolunteerFactory().user
    client.force_login(volunteer)
    task_list = client.get(_url("task_list", language="ar")).content.decode()
    assert "المساعدة في الانتقال" in task_list
    assert _url("task_create", language="ar") not in task_list


def test_a_new_task_asks_the_translators_for_the_versions_the_coordinator_left_out(
    client, coordinator
):
    NewcomerFactory(preferred_language="ar")
    NewcomerFactory(preferred_language="uk")
    client.force_login(coordinator)

    client.post(_url("task_create"), _form(title_ar="المساعدة في الانتقال"))

    task = Task.objects.get()
    asked = TranslationTask.objects.filter(
        content_type=ContentType.objects.get_for_model(Task), object_id=task.pk, field="title"
    )
    assert dict(asked.values_list("language", "state")) == {"ar": "done", "uk": "open"}


def test_the_edit_page_shows_the_german_text_in_any_interface_and_keeps_the_versions(
    client, coordinator
):
    task = _task(title="Umzugshilfe", title_ar="المساعدة في الانتقال")
    client.force_login(coordinator)

    edit_page = client.get(_url("task_edit", task.pk, language="ar")).content.decode()
    response = client.post(
        _url("task_edit", task.pk, language="ar"),
        _post_form(task, title="Umzugshilfe im Norden", title_fa="کمک در اسباب‌کشی"),
    )

    assert 'value="Umzugshilfe"' in edit_page
    assert 'value="المساعدة في الانتقال"' in edit_page
    assert response.status_code == 302
    task = Task.objects.get(pk=task.pk)
    assert (task.title_de, task.title_ar, task.title_fa) == (
        "Umzugshilfe im Norden",
        "المساعدة في الانتقال",
        "کمک در اسباب‌کشی",
    )
    changed = set(_entries(task, "change").get().details["fields"])
    assert {"title", "title_fa"} <= changed
    assert "title_ar" not in changed


def test_a_lead_creates_tasks_only_in_the_groups_they_lead(client):
    theirs, other = WorkingGroupFactory(name="AG Wohnen"), WorkingGroupFactory(name="AG Sprache")
    lead = _lead_of(theirs)
    client.force_login(lead)

    form_page = client.get(_url("task_create") + f"?group={theirs.pk}")
    choices = list(form_page.context["form"].fields["group"].queryset)
    into_other = client.post(_url("task_create"), _form(group=other.pk))
    into_none = client.post(_url("task_create"), _form(group=""))
    into_theirs = client.post(_url("task_create"), _form(group=theirs.pk))

    assert choices == [theirs]
    assert f'<option value="{theirs.pk}" selected>' in form_page.content.decode()
    assert "group" in into_other.context["form"].errors
    assert "group" in into_none.context["form"].errors
    assert into_theirs.status_code == 302
    assert list(Task.objects.values_list("group", flat=True)) == [theirs.pk]
    with pytest.raises(WorkgroupError, match="groups you lead"):
        create_task(by=lead, title="Dolmetschen", group=other)
    with pytest.raises(WorkgroupError, match="groups you lead"):
        create_task(by=lead, title="Dolmetschen")


def test_a_lead_edits_and_closes_the_tasks_of_their_group(client):
    group = WorkingGroupFactory(name="AG Wohnen")
    lead = _lead_of(group)
    task = _task(group=group)
    client.force_login(lead)

    detail = client.get(_url("task_detail", task.pk)).content.decode()
    edited = client.post(_url("task_edit", task.pk), _post_form(task, helpers_needed="5"))
    closed = client.post(_url("task_close", task.pk))

    assert _url("task_edit", task.pk) in detail
    assert _url("task_close", task.pk) in detail
    assert (edited.status_code, closed.status_code) == (302, 302)
    task.refresh_from_db()
    assert (task.helpers_needed, task.is_closed) == (5, True)
    assert _entries(task, "change").filter(actor_id=lead.pk).count() == 2


# Who may: per role and per group -------------------------------------------------------------


def test_a_lead_of_another_group_can_neither_edit_nor_close_nor_reopen_the_task(client):
    task = _task(group=WorkingGroupFactory(name="AG Wohnen"))
    closed = _task(group=task.group, title="Gartenarbeit")
    close_task(task=closed, by=UserFactory(role="coordinator"))
    client.force_login(_lead_of(WorkingGroupFactory(name="AG Sprache")))

    answers = [
        client.get(_url("task_edit", task.pk)).status_code,
        client.post(_url("task_edit", task.pk), _post_form(task, title="Anders")).status_code,
        client.get(_url("task_close", task.pk)).status_code,
        client.post(_url("task_close", task.pk)).status_code,
        client.post(_url("task_reopen", closed.pk)).status_code,
    ]
    detail = client.get(_url("task_detail", task.pk)).content.decode()

    assert answers == [403] * 5
    task.refresh_from_db()
    closed.refresh_from_db()
    assert (task.title, task.is_closed, closed.is_closed) == ("Umzugshilfe", False, True)
    assert _url("task_edit", task.pk) not in detail


def test_a_plain_volunteer_gets_403_on_every_page_that_keeps_tasks(client, volunteer):
    task = _task(group=WorkingGroupFactory(name="AG Wohnen"))
    client.force_login(volunteer)

    answers = [
        client.get(_url("task_create")).status_code,
        client.post(_url("task_create"), _form()).status_code,
        client.post(_url("task_edit", task.pk), _post_form(task, title="Anders")).status_code,
        client.post(_url("task_close", task.pk)).status_code,
        client.post(_url("task_reopen", task.pk)).status_code,
    ]
    task_list = client.get(_url("task_list") + "?show=closed")

    assert answers == [403] * 5
    assert Task.objects.get().title == "Umzugshilfe"
    assert Task.objects.count() == 1
    assert task_list.context["showing_closed"] is False
    assert _url("task_create") not in task_list.content.decode()


def test_newcomers_and_visitors_cannot_reach_the_pages_that_keep_tasks(client, coordinator):
    task = _task()
    posts = [
        (_url("task_create"), _form()),
        (_url("task_edit", task.pk), _post_form(task, title="Anders")),
        (_url("task_close", task.pk), {}),
        (_url("task_reopen", task.pk), {}),
    ]

    visitor = [client.post(url, data) for url, data in posts]
    card = issue_access_link(newcomer=NewcomerFactory(), by=coordinator)
    client.get(reverse("newcomer_access", args=[card.token]))
    newcomer = [client.post(url, data).status_code for url, data in posts]

    assert all("/accounts/login/" in response["Location"] for response in visitor)
    assert newcomer == [403] * 4
    task.refresh_from_db()
    assert (task.title, task.is_closed, Task.objects.count()) == ("Umzugshilfe", False, 1)


def test_a_task_of_no_group_is_kept_by_coordinators_only(client, coordinator):
    task = _task(group=None)
    lead = _lead_of(WorkingGroupFactory(name="AG Wohnen"))
    client.force_login(lead)
    assert client.get(_url("task_edit", task.pk)).status_code == 403

    client.force_login(coordinator)
    assert client.get(_url("task_edit", task.pk)).status_code == 200


# Bad input: a clear message, nothing lost ----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"helpers_needed": "0"}, "helpers_needed", "A task needs at least one helper."),
        ({"helpers_needed": "-2"}, "helpers_needed", "A task needs at least one helper."),
        ({"ends_at": _in(6, hour=10)}, "ends_at", "The end must be after the start."),
        ({"starts_at": ""}, "starts_at", "Please give the start as well as the end."),
        (
            {"kind": "recurring", "starts_at": "", "ends_at": ""},
            "schedule",
            "Please say when the task recurs, e.g. every Tuesday 16-18.",
        ),
        ({"title": ""}, "title", "This field is required."),
        ({"starts_at": "31.02.2031"}, "starts_at", "Enter a valid date/time."),
    ],
)
def test_bad_input_shows_a_clear_message_and_keeps_what_was_typed(
    client, coordinator, changes, field, message
):
    client.force_login(coordinator)

    response = client.post(
        _url("task_create"),
        _form(description="Kisten tragen, Möbel aufbauen.", title_ar="نقل", **changes),
    )

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    page = response.content.decode()
    assert message in page
    assert "Kisten tragen, Möbel aufbauen." in page
    assert 'value="نقل"' in page
    assert not Task.objects.exists()


def test_a_start_in_the_past_is_refused_with_a_message(client, coordinator):
    client.force_login(coordinator)

    response = client.post(_url("task_create"), _form(starts_at=_in(-2), ends_at=_in(-2, hour=19)))

    assert "The task must start in the future." in response.context["form"].non_field_errors()
    assert 'value="Lindener Marktplatz"' in response.content.decode()
    assert not Task.objects.exists()


def test_fewer_helpers_than_have_signed_up_is_refused_and_nobody_loses_their_place(
    client, coordinator
):
    task = _task(helpers_needed=3)
    for _number in range(2):
        sign_up_for_task(task=task, user=VolunteerFactory().user)
    client.force_login(coordinator)

    response = client.post(
        _url("task_edit", task.pk), _post_form(task, helpers_needed="1", title="Umzug Nord")
    )

    assert response.status_code == 200
    assert (
        "2 people have signed up: the task needs at least 2 helpers."
        in response.context["form"].non_field_errors()
    )
    assert 'value="Umzug Nord"' in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.helpers_needed, task.signed_up_count) == ("Umzugshilfe", 3, 2)


# Places and sign-ups follow the edit ---------------------------------------------------------


def test_more_helpers_open_a_full_task_and_as_many_as_signed_up_fill_it(coordinator):
    task = _task(helpers_needed=1)
    sign_up_for_task(task=task, user=VolunteerFactory().user)
    task.refresh_from_db()
    assert task.is_open is False

    update_task(task=task, by=coordinator, helpers_needed=2)
    task.refresh_from_db()
    assert task.is_open is True
    sign_up_for_task(task=task, user=VolunteerFactory().user)

    update_task(task=task, by=coordinator, helpers_needed=2, title="Umzug")
    task.refresh_from_db()
    assert (task.is_open, task.signed_up_count) == (False, 2)


def test_a_new_time_or_place_is_told_to_those_signed_up_a_new_title_is_not(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    task = _task(title_ar="المساعدة في الانتقال")
    helper = VolunteerFactory(user__preferred_language="ar").user
    sign_up_for_task(task=task, user=helper)
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        moved = client.post(
            _url("task_edit", task.pk),
            _post_form(task, starts_at=_in(9), ends_at=_in(9, hour=18), where="Nordstadt"),
            follow=True,
        )

    assert [mail.to[0] for mail in mailoutbox] == [helper.email]
    assert "المساعدة في الانتقال" in mailoutbox[0].subject  # the title in the helper's language
    assert "Nordstadt" in mailoutbox[0].body
    assert "1 person who signed up has been told by e-mail." in moved.content.decode()
    task.refresh_from_db()
    assert {"starts_at", "ends_at", "where"} <= set(
        _entries(task, "change").get().details["fields"]
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("task_edit", task.pk), _post_form(task, title="Umzug in Nord"))

    assert mailoutbox == []


# Closing and reopening ------------------------------------------------------------------------


def test_closing_keeps_the_sign_ups_tells_the_helpers_and_takes_no_new_ones(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    task = _task(helpers_needed=3)
    helper = VolunteerFactory().user
    signup = sign_up_for_task(task=task, user=helper)
    client.force_login(coordinator)
    confirmation = client.get(_url("task_close", task.pk)).content.decode()
    assert "1 person has signed up. They keep their place and are told by e-mail" in confirmation
    assert not Task.objects.get(pk=task.pk).is_closed

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("task_close", task.pk))

    task.refresh_from_db()
    signup.refresh_from_db()
    assert (task.is_closed, task.is_open, task.signed_up_count) == (True, False, 1)
    assert signup.cancelled_at is None
    assert [mail.to[0] for mail in mailoutbox] == [helper.email]
    # In the helper's language (German): they stay signed up.
    assert mailoutbox[0].subject == "[Ankommen] Keine weiteren Helfenden gesucht: Umzugshilfe"
    assert "Sie bleiben angemeldet" in mailoutbox[0].body
    assert set(_entries(task, "change").get().details["fields"]) == {"closed_at", "is_open"}
    newcomer_to_it = VolunteerFactory().user
    with pytest.raises(WorkgroupError, match="closed"):
        sign_up_for_task(task=task, user=newcomer_to_it)
    client.force_login(newcomer_to_it)
    assert task not in client.get(_url("task_list")).context["page"]
    assert "This task has been closed" in client.get(_url("task_detail", task.pk)).content.decode()
    client.force_login(coordinator)
    assert task in client.get(_url("task_list") + "?show=closed").context["page"]


def test_a_cancelled_sign_up_does_not_reopen_a_closed_task(coordinator):
    task = _task(helpers_needed=2)
    signup = sign_up_for_task(task=task, user=VolunteerFactory().user)
    close_task(task=task, by=coordinator)

    cancel_task_signup(signup=signup)

    task.refresh_from_db()
    assert (task.signed_up_count, task.is_open, task.is_closed) == (0, False, True)


def test_closing_twice_is_refused_and_a_started_task_tells_nobody(coordinator, mailoutbox):
    task = _task()
    close_task(task=task, by=coordinator)
    with pytest.raises(WorkgroupError, match="already been closed"):
        close_task(task=task, by=coordinator)

    started = _task(starts_at=timezone.now() - timedelta(hours=1), ends_at=None)
    TaskSignup.objects.create(task=started, user=VolunteerFactory().user)

    assert close_task(task=started, by=coordinator) == 0
    assert mailoutbox == []


def test_reopening_takes_sign_ups_again_while_places_are_left(client, coordinator):
    task = _task(helpers_needed=2)
    close_task(task=task, by=coordinator)
    client.force_login(coordinator)

    response = client.post(_url("task_reopen", task.pk), follow=True)

    task.refresh_from_db()
    assert (task.is_closed, task.is_open) == (False, True)
    assert "The task is open again: volunteers can sign up." in response.content.decode()
    assert _entries(task, "change").filter(actor_id=coordinator.pk).count() == 2
    sign_up_for_task(task=task, user=VolunteerFactory().user)


def test_a_full_task_reopened_stays_full_and_says_so(client, coordinator):
    task = _task(helpers_needed=1)
    sign_up_for_task(task=task, user=VolunteerFactory().user)
    close_task(task=task, by=coordinator)
    client.force_login(coordinator)

    response = client.post(_url("task_reopen", task.pk), follow=True)

    task.refresh_from_db()
    assert (task.is_closed, task.is_open) == (False, False)
    assert "every place is taken" in response.content.decode()


def test_an_open_or_started_task_cannot_be_reopened(coordinator):
    with pytest.raises(WorkgroupError, match="not been closed"):
        reopen_task(task=_task(), by=coordinator)
    started = _task(starts_at=timezone.now() - timedelta(hours=1), ends_at=None)
    close_task(task=started, by=coordinator)

    with pytest.raises(WorkgroupError, match="already started"):
        reopen_task(task=started, by=coordinator)


# The list page -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "lead"])
@pytest.mark.parametrize("count", [4, 40])
def test_the_task_list_costs_the_same_with_more_tasks_in_both_tabs(
    client, django_assert_max_num_queries, role, count
):
    group = WorkingGroupFactory(name="AG Wohnen")
    arabic = Language.objects.get(code="ar")
    for number in range(count):
        task = _task(
            title=f"Aufgabe {number}",
            group=group,
            theme=Theme.objects.get(slug="housing"),
            starts_at=timezone.now() + timedelta(days=2, hours=number),
            ends_at=timezone.now() + timedelta(days=2, hours=number + 1),
        )
        task.languages.add(arabic)
        if number % 2:
            Task.objects.filter(pk=task.pk).update(is_open=False, closed_at=timezone.now())
    viewer = UserFactory(role="coordinator") if role == "coordinator" else _lead_of(group)
    client.force_login(viewer)

    with django_assert_max_num_queries(14):
        open_tasks = client.get(_url("task_list"))
    with django_assert_max_num_queries(14):
        closed_tasks = client.get(_url("task_list") + "?show=closed")

    assert len(open_tasks.context["page"]) == min(count - count // 2, 30)
    assert len(closed_tasks.context["page"]) == min(count // 2, 30)
    assert _url("task_create") in open_tasks.content.decode()
