"""Coordinators plan, change and cancel network events without the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.audit.models import AuditEvent
from ankommen.messaging.services.reminders import send_due_reminders
from refugees.services import issue_access_link
from tests.factories import (
    MembershipFactory,
    NetworkEventFactory,
    NewcomerFactory,
    PartnerFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_second_factor,
)
from workgroups.models import EventResponse, NetworkEvent
from workgroups.services import (
    WorkgroupError,
    cancel_network_event,
    create_network_event,
    reply_to_event,
    update_network_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _in(days: int, hour: int = 18) -> str:
    """A datetime-local value, as the browser sends it."""
    when = timezone.localtime() + timedelta(days=days)
    return when.replace(hour=hour, minute=0).strftime("%Y-%m-%dT%H:%M")


def _entries(record, action):
    return AuditEvent.objects.filter(
        subject_type=record._meta.model_name, subject_id=record.pk, action=action
    )


def test_a_coordinator_creates_an_event_that_volunteers_can_reply_to(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("workgroups:event_create"),
        {"title": "Netzwerkkonferenz", "starts_at": _in(14), "place": "Rathaus", "description": ""},
    )

    event = NetworkEvent.objects.get()
    assert response["Location"] == reverse("workgroups:event_detail", args=[event.pk])
    assert (event.title, event.place, timezone.localtime(event.starts_at).hour) == (
        "Netzwerkkonferenz",
        "Rathaus",
        18,
    )
    assert _entries(event, "create").get().actor_id == coordinator.pk
    volunteer = VolunteerFactory().user
    client.force_login(volunteer)
    client.post(reverse("workgroups:event_reply", args=[event.pk]), {"answer": "yes"})
    page = client.get(reverse("workgroups:events"))
    assert "Your reply: Coming" in page.content.decode()
    assert reverse("workgroups:event_create") not in page.content.decode()


def test_an_event_in_the_past_or_without_a_title_is_refused_and_the_entries_kept(
    client, coordinator
):
    client.force_login(coordinator)

    past = client.post(
        reverse("workgroups:event_create"),
        {"title": "Netzwerkkonferenz", "starts_at": _in(-1), "place": "Rathaus"},
    )
    untitled = client.post(
        reverse("workgroups:event_create"), {"title": "", "starts_at": "31.02.2031"}
    )

    assert not NetworkEvent.objects.exists()
    assert "must start in the future" in str(past.context["form"].non_field_errors())
    assert 'value="Rathaus"' in past.content.decode()
    assert {"title", "starts_at"} <= set(untitled.context["form"].errors)


def test_moving_an_event_tells_those_coming_and_audits_the_change(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    event = NetworkEventFactory(title="Netzwerkcafé", place="Café Nord")
    coming, not_coming = UserFactory(), UserFactory()
    reply_to_event(event=event, user=coming, answer="yes")
    reply_to_event(event=event, user=not_coming, answer="no")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workgroups:event_edit", args=[event.pk]),
            {"title": "Netzwerkcafé", "starts_at": _in(9), "place": "Café Süd"},
        )

    assert response.status_code == 302
    assert [mail.to[0] for mail in mailoutbox] == [coming.email]
    assert "Café Süd" in mailoutbox[0].body
    assert set(_entries(event, "change").get().details["fields"]) == {"starts_at", "place"}
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workgroups:event_edit", args=[event.pk]),
            {"title": "Netzwerkcafé im Herbst", "starts_at": _in(9), "place": "Café Süd"},
        )

    assert mailoutbox == []  # a new title is no news for those coming


def test_cancelling_keeps_the_replies_tells_those_coming_and_stops_reminders(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    event = NetworkEventFactory(
        title="Netzwerkkonferenz", starts_at=timezone.now() + timedelta(hours=20)
    )
    coming, not_coming = UserFactory(), UserFactory()
    partner = PartnerFactory(contact_email="amt@example.org")
    reply_to_event(event=event, user=coming, answer="yes")
    reply_to_event(event=event, user=not_coming, answer="no")
    reply_to_event(event=event, partner=partner, answer="yes")
    client.force_login(coordinator)
    confirmation = client.get(reverse("workgroups:event_cancel", args=[event.pk]))
    assert "2 people and partners said they are coming" in confirmation.content.decode()
    event.refresh_from_db()
    assert not event.is_cancelled

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workgroups:event_cancel", args=[event.pk]))
        send_due_reminders()

    event.refresh_from_db()
    assert event.is_cancelled
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([coming.email, "amt@example.org"])
    # In the recipients' language (German here); no reminder came after the cancellation.
    assert {mail.subject for mail in mailoutbox} == {"[Ankommen] Abgesagt: Netzwerkkonferenz"}
    assert EventResponse.objects.filter(event=event).count() == 3
    detail = client.get(reverse("workgroups:event_detail", args=[event.pk]))
    assert [reply.user for reply in detail.context["coming"]] == [coming, None]
    assert detail.context["form"] is None
    assert "Cancelled" in client.get(reverse("workgroups:events")).content.decode()
    assert _entries(event, "change").get().details == {"fields": ["cancelled_at"]}
    with pytest.raises(WorkgroupError, match="cancelled"):
        reply_to_event(event=event, user=not_coming, answer="yes")
    with pytest.raises(WorkgroupError, match="already been cancelled"):
        cancel_network_event(event=event, by=coordinator)
    with pytest.raises(WorkgroupError, match="cannot be changed"):
        update_network_event(event=event, by=coordinator, title="Doch")


def test_a_past_event_cannot_be_cancelled_nor_moved_into_the_past(coordinator):
    past = NetworkEventFactory(starts_at=timezone.now() - timedelta(days=1))
    coming = NetworkEventFactory()

    with pytest.raises(WorkgroupError, match="already taken place"):
        cancel_network_event(event=past, by=coordinator)
    with pytest.raises(WorkgroupError, match="future"):
        update_network_event(
            event=coming, by=coordinator, starts_at=timezone.now() - timedelta(hours=1)
        )
    with pytest.raises(WorkgroupError, match="future"):
        create_network_event(by=coordinator, title="x", starts_at=timezone.now())


def test_a_coordinator_records_a_partners_reply_on_the_event_page(client, coordinator):
    event = NetworkEventFactory()
    partner = PartnerFactory(name="Stadt Erfurt")
    client.force_login(coordinator)
    url = reverse("workgroups:event_partner_reply", args=[event.pk])

    missing = client.post(url, {"answer": "yes"})
    client.post(url, {"partner": partner.pk, "answer": "yes"})
    client.post(url, {"partner": partner.pk, "answer": "no"})

    assert "partner" in missing.context["form"].errors
    reply = EventResponse.objects.get(event=event, partner=partner)
    assert reply.answer == "no"
    assert _entries(reply, "create").count() == 1
    assert _entries(reply, "change").get().details == {"fields": ["answer"]}


def _lead():
    user = VolunteerFactory().user
    MembershipFactory(group=WorkingGroupFactory(), user=user, lead=True)
    give_second_factor(user)
    return user


@pytest.mark.parametrize("who", ["volunteer", "lead"])
def test_volunteers_and_leads_cannot_plan_or_cancel_events(client, who):
    event = NetworkEventFactory(title="Konferenz")
    partner = PartnerFactory()
    client.force_login(_lead() if who == "lead" else VolunteerFactory().user)
    data = {"title": "Anders", "starts_at": _in(3)}

    statuses = [
        client.post(reverse("workgroups:event_create"), data).status_code,
        client.post(reverse("workgroups:event_edit", args=[event.pk]), data).status_code,
        client.post(reverse("workgroups:event_cancel", args=[event.pk])).status_code,
        client.post(
            reverse("workgroups:event_partner_reply", args=[event.pk]),
            {"partner": partner.pk, "answer": "yes"},
        ).status_code,
        client.get(reverse("workgroups:event_detail", args=[event.pk])).status_code,
    ]

    assert statuses == [403] * 5
    event.refresh_from_db()
    assert (NetworkEvent.objects.count(), event.title, event.is_cancelled) == (
        1,
        "Konferenz",
        False,
    )
    assert not EventResponse.objects.exists()


def test_newcomers_and_visitors_cannot_cancel_events(client, coordinator):
    event = NetworkEventFactory()
    url = reverse("workgroups:event_cancel", args=[event.pk])

    anonymous = client.post(url)
    card = issue_access_link(newcomer=NewcomerFactory(), by=coordinator)
    client.get(reverse("newcomer_access", args=[card.token]))
    newcomer = client.post(url)

    assert (anonymous.status_code, newcomer.status_code) == (302, 403)
    event.refresh_from_db()
    assert not event.is_cancelled


def _events(size):
    for number in range(size):
        event = NetworkEventFactory(
            starts_at=timezone.now() + timedelta(days=number + 1),
            cancelled_at=timezone.now() if number % 4 == 0 else None,
        )
        for answer in ("yes", "no", "yes"):
            EventResponse.objects.create(event=event, user=UserFactory(), answer=answer)
        EventResponse.objects.create(event=event, partner=PartnerFactory(), answer="yes")


@pytest.mark.parametrize("page", ["events", "event_detail", "event_cancel"])
def test_event_pages_cost_the_same_few_queries_for_more_events_and_replies(
    client, coordinator, django_assert_max_num_queries, page
):
    client.force_login(coordinator)

    def url():
        first = NetworkEvent.objects.order_by("pk").first()
        if page == "events":
            return reverse("workgroups:events")
        return reverse(f"workgroups:{page}", args=[first.pk])

    _events(3)
    client.get(url())
    with django_assert_max_num_queries(20) as few:
        assert client.get(url()).status_code == 200
    # More events, and more replies to the first one.
    _events(20)
    first = NetworkEvent.objects.order_by("pk").first()
    for _ in range(20):
        EventResponse.objects.create(event=first, user=UserFactory(), answer="yes")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url()).status_code == 200


def test_a_past_event_can_still_be_corrected_without_telling_anyone(
    client, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    event = NetworkEventFactory(
        title="Netzwerkkonferenz", starts_at=timezone.now() - timedelta(days=2)
    )
    EventResponse.objects.create(event=event, user=UserFactory(), answer="yes")
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workgroups:event_edit", args=[event.pk]),
            {
                "title": "Netzwerkkonferenz 2026",
                # The form shows minutes; the stored time has seconds.
                "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "place": "Rathaus",
            },
        )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.place) == ("Netzwerkkonferenz 2026", "Rathaus")
    assert mailoutbox == []  # it is over: nobody is written to about a new place


def test_a_new_place_drops_the_old_places_versions_but_keeps_new_ones_written_with_it(
    coordinator,
):
    event = NetworkEventFactory(place="Rathaus", place_ar="دار البلدية", place_fa="شهرداری")

    update_network_event(event=event, by=coordinator, place="Bürgerhaus", place_fa="خانه شهروندان")

    event.refresh_from_db()
    assert event.place_de == "Bürgerhaus"
    assert event.place_ar is None  # would send Arabic readers to the town hall
    assert event.place_fa == "خانه شهروندان"
