"""Hours to approve: each entry shows the volunteer's note; several are approved (or declined,
saying why) together in one transaction, after a summary, each volunteer told once."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ankommen.audit.models import AuditEvent
from tests.factories import HoursEntryFactory, UserFactory, VolunteerFactory
from volunteers import services
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db
REVIEW = reverse("volunteers:hours_review")
BULK = reverse("volunteers:hours_bulk")


def _states(*entries):
    return [HoursEntry.objects.get(pk=entry.pk).state for entry in entries]


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_bulk_approval_changes_the_selected_waiting_rows_in_one_go_and_leaves_the_rest(
    coordinator,
):
    olena, jonas = VolunteerFactory(), VolunteerFactory()
    first = HoursEntryFactory(volunteer=olena, hours=Decimal("2.5"))
    second = HoursEntryFactory(volunteer=olena, hours=Decimal("1"))
    third = HoursEntryFactory(volunteer=jonas, hours=Decimal("3"))
    not_selected = HoursEntryFactory(volunteer=jonas)

    reviewed = services.review_hours_in_bulk(
        entry_ids=[first.pk, second.pk, third.pk], by=coordinator, approve=True
    )

    assert _states(first, second, third, not_selected) == ["approved"] * 3 + ["submitted"]
    assert (len(reviewed.entries), reviewed.hours, reviewed.volunteers) == (3, Decimal("6.5"), 2)
    assert reviewed.skipped == 0
    entry = HoursEntry.objects.get(pk=first.pk)
    assert (entry.reviewed_by, entry.hours, entry.hours_submitted) == (
        coordinator,
        Decimal("2.5"),
        Decimal("2.5"),
    )
    assert entry.reviewed_at is not None


def test_each_volunteer_is_told_once_about_all_their_entries(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    olena = VolunteerFactory(user__email="olena@example.org", user__preferred_language="de")
    jonas = VolunteerFactory(user__email="jonas@example.org")
    entries = [
        HoursEntryFactory(volunteer=olena, hours=Decimal("2.5")),
        HoursEntryFactory(volunteer=olena, hours=Decimal("1.25")),
        HoursEntryFactory(volunteer=jonas),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        services.review_hours_in_bulk(
            entry_ids=[entry.pk for entry in entries], by=coordinator, approve=True
        )

    assert sorted(message.to[0] for message in mailoutbox) == [
        "jonas@example.org",
        "olena@example.org",
    ]
    to_olena = next(message for message in mailoutbox if message.to == ["olena@example.org"])
    assert "freigegeben" in to_olena.subject
    assert "2,50 Std." in to_olena.body
    assert "1,25 Std." in to_olena.body
    assert "3,75" in to_olena.body
    assert reverse("volunteers:my_hours") in to_olena.body


def test_bulk_approval_is_audited_on_each_volunteer_by_the_coordinator(coordinator):
    olena, jonas = VolunteerFactory(), VolunteerFactory()
    entries = [
        HoursEntryFactory(volunteer=olena),
        HoursEntryFactory(volunteer=olena),
        HoursEntryFactory(volunteer=jonas),
    ]

    services.review_hours_in_bulk(
        entry_ids=[entry.pk for entry in entries], by=coordinator, approve=True
    )

    events = AuditEvent.objects.filter(action="change", subject_type="volunteer")
    assert sorted(events.values_list("subject_id", "actor_id")) == sorted(
        [(olena.pk, coordinator.pk), (jonas.pk, coordinator.pk)]
    )
    assert {tuple(event.details["fields"]) for event in events} == {("hours",)}


def test_entries_reviewed_meanwhile_unknown_ids_and_own_hours_are_left_alone_and_counted(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    waiting = HoursEntryFactory()
    already = HoursEntryFactory(state=HoursEntry.State.REJECTED)
    own = HoursEntryFactory(volunteer=VolunteerFactory(user=coordinator))

    with django_capture_on_commit_callbacks(execute=True):
        reviewed = services.review_hours_in_bulk(
            entry_ids=[waiting.pk, already.pk, own.pk, 999_999], by=coordinator, approve=True
        )

    assert [entry.pk for entry in reviewed.entries] == [waiting.pk]
    assert reviewed.skipped == 3
    assert _states(waiting, already, own) == ["approved", "rejected", "submitted"]
    assert len(mailoutbox) == 1


def test_another_coordinator_approves_a_coordinators_own_hours(coordinator):
    own = HoursEntryFactory(volunteer=VolunteerFactory(user=coordinator))
    colleague = UserFactory(role="coordinator")

    with pytest.raises(services.VolunteerError):
        services.review_hours(entry=own, by=coordinator, approve=True)
    services.review_hours_in_bulk(entry_ids=[own.pk], by=colleague, approve=True)

    assert _states(own) == ["approved"]


def test_declining_in_bulk_needs_a_reason_which_the_volunteer_reads(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    entry = HoursEntryFactory(volunteer__user__email="olena@example.org")
    with pytest.raises(services.VolunteerError):
        services.review_hours_in_bulk(entry_ids=[entry.pk], by=coordinator, approve=False)
    assert _states(entry) == ["submitted"]

    with django_capture_on_commit_callbacks(execute=True):
        services.review_hours_in_bulk(
            entry_ids=[entry.pk], by=coordinator, approve=False, reason="Doppelt eingetragen"
        )

    assert _states(entry) == ["rejected"]
    assert "Doppelt eingetragen" in mailoutbox[0].body
    client.force_login(entry.volunteer.user)
    assert "Doppelt eingetragen" in client.get(reverse("volunteers:my_hours")).content.decode()


def test_a_single_review_tells_the_volunteer_and_is_audited_like_the_bulk_one(
    coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    entry = HoursEntryFactory(volunteer__user__email="olena@example.org", hours=Decimal("4"))

    with django_capture_on_commit_callbacks(execute=True):
        services.review_hours(entry=entry, by=coordinator, approve=True, hours=Decimal("3"))

    assert [message.to for message in mailoutbox] == [["olena@example.org"]]
    assert "3 Std." in mailoutbox[0].body
    assert AuditEvent.objects.filter(
        action="change", subject_type="volunteer", subject_id=entry.volunteer_id
    ).exists()


def test_the_page_shows_each_note_and_a_box_to_select_entries_but_not_ones_own(client, coordinator):
    noted = HoursEntryFactory(note="Begleitung zur Ausländerbehörde")
    silent = HoursEntryFactory(note="")
    own = HoursEntryFactory(volunteer=VolunteerFactory(user=coordinator))
    client.force_login(coordinator)

    body = client.get(REVIEW).content.decode()

    assert "Begleitung zur Ausländerbehörde" in body
    for entry in (noted, silent):
        assert re.search(rf'name="entries"\s+value="{entry.pk}"', body)
    assert not re.search(rf'name="entries"\s+value="{own.pk}"', body)
    assert f'action="{reverse("volunteers:hours_decide", args=[own.pk])}"' not in body


def test_approve_selected_first_shows_a_summary_and_changes_nothing(client, coordinator):
    entries = [HoursEntryFactory(hours=Decimal("2.5")), HoursEntryFactory(hours=Decimal("1"))]
    client.force_login(coordinator)

    response = client.post(
        BULK, {"entries": [entry.pk for entry in entries], "decision": "approve"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "3,50 Std." in body
    assert body.count('type="hidden" name="entries"') == 2
    assert 'name="confirmed" value="on"' in body
    assert _states(*entries) == ["submitted", "submitted"]


def test_confirmed_approval_changes_the_rows_and_says_how_many_and_how_many_hours(
    client, coordinator
):
    entries = [HoursEntryFactory(hours=Decimal("2.5")), HoursEntryFactory(hours=Decimal("1"))]
    reviewed = HoursEntryFactory(state=HoursEntry.State.APPROVED)
    client.force_login(coordinator)

    response = client.post(
        BULK,
        {
            "entries": [*[entry.pk for entry in entries], reviewed.pk, "999999", "abc", "-3"],
            "decision": "approve",
            "confirmed": "on",
        },
    )

    assert response.status_code == 302
    assert _states(*entries) == ["approved", "approved"]
    said = _messages(response)
    assert any("2 Einträge freigegeben" in text and "3,50 Std." in text for text in said), said
    assert any(text.startswith("4 ausgewählte Einträge") for text in said), said


def test_a_second_confirmation_of_the_same_selection_changes_and_sends_nothing(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    entry = HoursEntryFactory(volunteer__user__email="olena@example.org")
    client.force_login(coordinator)
    data = {"entries": [entry.pk], "decision": "approve", "confirmed": "on"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(BULK, data)
        again = client.post(BULK, data)

    assert len(mailoutbox) == 1
    assert any("ausgewählter Eintrag" in text for text in _messages(again))


def test_declining_without_a_reason_keeps_the_selection_and_says_what_is_missing(
    client, coordinator
):
    entries = [HoursEntryFactory(), HoursEntryFactory()]
    client.force_login(coordinator)

    response = client.post(BULK, {"entries": [entries[0].pk], "decision": "reject"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "warum" in body
    checked = body.split(f'id="entry-{entries[0].pk}"')[1].split(">")[0]
    assert "checked" in checked
    assert _states(*entries) == ["submitted", "submitted"]


def test_nothing_selected_or_a_made_up_decision_is_a_message_not_an_error(client, coordinator):
    entry = HoursEntryFactory()
    client.force_login(coordinator)

    nothing = client.post(BULK, {"decision": "approve", "confirmed": "on"})
    made_up = client.post(BULK, {"entries": [entry.pk], "decision": "delete", "confirmed": "on"})

    assert nothing.status_code == 302
    assert _messages(nothing)
    assert made_up.status_code == 200
    assert _states(entry) == ["submitted"]


@pytest.mark.parametrize("role", ["volunteer", "newcomer"])
def test_only_coordinators_approve_in_bulk(client, role):
    entry = HoursEntryFactory()
    user = entry.volunteer.user if role == "volunteer" else UserFactory(role=role)
    client.force_login(user)

    response = client.post(BULK, {"entries": [entry.pk], "decision": "approve", "confirmed": "on"})

    assert response.status_code in (403, 410)
    assert _states(entry) == ["submitted"]


def _queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(captured)


def test_the_review_page_and_the_summary_cost_the_same_queries_at_two_sizes(
    client, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)

    def grow(count):
        for _ in range(count):
            HoursEntryFactory(note="Umzug")

    def selection():
        return {
            "entries": list(HoursEntry.objects.values_list("pk", flat=True)),
            "decision": "approve",
        }

    grow(3)
    small = (_queries(client, "get", REVIEW), _queries(client, "post", BULK, selection()))
    grow(30)

    with django_assert_max_num_queries(10):
        client.get(REVIEW)
    with django_assert_max_num_queries(10):
        client.post(BULK, selection())
    assert (_queries(client, "get", REVIEW), _queries(client, "post", BULK, selection())) == small
