import pytest

from tests.factories import (
    MembershipFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_second_factor,
)
from workgroups.models import Meeting, Membership
from workgroups.services import WorkgroupError, decide_join_request, request_to_join

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return WorkingGroupFactory(name="AG Wohnen", description="Wohnungssuche")


@pytest.fixture
def lead(group):
    user = VolunteerFactory().user
    MembershipFactory(group=group, user=user, lead=True)
    give_second_factor(user)
    return user


@pytest.fixture
def member(group):
    user = VolunteerFactory().user
    MembershipFactory(group=group, user=user, state="active")
    return user


def test_the_join_flow_asks_the_leads_and_tells_the_volunteer(
    client, group, lead, django_capture_on_commit_callbacks, mailoutbox
):
    volunteer = VolunteerFactory().user
    client.force_login(volunteer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/network/groups/{group.pk}/join/", {"note": "Ich kenne mich aus"})
    request = Membership.objects.get(user=volunteer)
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/network/groups/{group.pk}/requests/{request.pk}/", {"decision": "approve"}
        )

    request.refresh_from_db()
    assert request.state == Membership.State.ACTIVE
    assert request.decided_by == lead
    assert [m.to[0] for m in mailoutbox] == [lead.email, volunteer.email]
    assert request.request_note == "Ich kenne mich aus"


def test_asking_twice_is_refused(group):
    volunteer = VolunteerFactory().user
    request_to_join(group=group, user=volunteer)

    with pytest.raises(WorkgroupError):
        request_to_join(group=group, user=volunteer)


def test_a_request_is_answered_once(group, lead):
    request = request_to_join(group=group, user=VolunteerFactory().user)
    decide_join_request(membership=request, approve=False, by=lead)

    with pytest.raises(WorkgroupError):
        decide_join_request(membership=request, approve=True, by=lead)


def test_what_lead_member_outsider_and_coordinator_may_do(client, group, lead, member, coordinator):
    outsider = VolunteerFactory().user
    other_group = WorkingGroupFactory(name="AG Sport")
    request = request_to_join(group=other_group, user=outsider)
    meeting = {"starts_at": "2030-01-10T18:00", "place": "Mitte", "agenda": "Start"}
    manage_urls = [
        f"/en/network/groups/{group.pk}/meetings/",
        f"/en/network/groups/{group.pk}/message/",
    ]

    client.force_login(outsider)
    page = client.get(f"/en/network/groups/{group.pk}/").content.decode()
    assert member.full_name not in page
    assert all(client.post(url, meeting).status_code == 403 for url in manage_urls)

    client.force_login(member)
    page = client.get(f"/en/network/groups/{group.pk}/").content.decode()
    assert member.display_name in page
    assert all(client.post(url, meeting).status_code == 403 for url in manage_urls)

    client.force_login(lead)
    client.post(manage_urls[0], {**meeting, "attendees": [member.pk]})
    assert Meeting.objects.get(group=group).attendees.get() == member
    # A lead manages only their own group.
    response = client.post(
        f"/en/network/groups/{other_group.pk}/requests/{request.pk}/", {"decision": "approve"}
    )
    assert response.status_code == 403

    client.force_login(coordinator)
    client.post(
        f"/en/network/groups/{other_group.pk}/requests/{request.pk}/", {"decision": "approve"}
    )
    assert Membership.objects.get(pk=request.pk).state == Membership.State.ACTIVE


def test_only_members_can_be_marked_present(client, group, lead):
    outsider = VolunteerFactory().user
    client.force_login(lead)

    client.post(
        f"/en/network/groups/{group.pk}/meetings/",
        {"starts_at": "2030-01-10T18:00", "attendees": [outsider.pk]},
    )

    assert not Meeting.objects.exists()


def test_a_group_message_reaches_every_member(
    client, group, lead, member, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/en/network/groups/{group.pk}/message/", {"subject": "Treffen", "body": "Am Montag"}
        )

    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, member.email])
    assert "Am Montag" in mailoutbox[0].body


def test_coordinators_add_volunteers_to_a_group_from_the_card_file(client, group, coordinator):
    volunteers = [VolunteerFactory(), VolunteerFactory()]
    client.force_login(coordinator)

    response = client.post(
        "/en/volunteers/bulk/",
        {
            "volunteers": [v.pk for v in volunteers],
            "action": "add_to_group",
            "target": str(group.pk),
        },
        follow=True,
    )

    assert "2 volunteers added to AG Wohnen." in response.content.decode()
    assert group.memberships.filter(state="active").count() == 2


def test_the_group_newsletter_segment_reaches_active_members_only(group, member):
    from ankommen.messaging.segments import recipients_for
    from tests.factories import SubscriptionFactory

    left = VolunteerFactory().user
    MembershipFactory(group=group, user=left, state="left")
    for user in (member, left, UserFactory()):
        SubscriptionFactory(email=user.email, user=user)

    assert [s.user for s in recipients_for("group", str(group.pk))] == [member]
