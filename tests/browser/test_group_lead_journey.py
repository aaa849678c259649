"""Journey 5: a working-group lead approves a join request and records a meeting."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import (
    MembershipFactory,
    VolunteerFactory,
    WorkingGroupFactory,
    give_second_factor,
)
from workgroups.models import Meeting, Membership


def test_a_lead_approves_a_request_and_records_a_meeting(live_server, page: Page):
    base = live_server.url
    group = WorkingGroupFactory(name="AG Wohnen")
    lead = VolunteerFactory(stage="active", user__email="lena@example.org")
    MembershipFactory(group=group, user=lead.user, lead=True)
    give_second_factor(lead.user)
    newcomer_helper = VolunteerFactory(stage="ready", user__full_name="Jonas Berg")
    request = MembershipFactory(group=group, user=newcomer_helper.user, state="requested")

    sign_in(page, base, lead.user.email)
    page.goto(f"{base}/de/network/groups/{group.pk}/")
    expect(page.locator("main")).to_contain_text("Jonas Berg")
    assert_accessible(page)
    shot(page, "5-group-request")
    page.locator("button[name=decision][value=approve]").click()
    expect(page.locator(".messages")).to_be_visible()
    request.refresh_from_db()
    assert request.state == Membership.State.ACTIVE

    page.fill("input[name=starts_at]", "2026-11-24T18:30")
    page.fill("input[name=place]", "Stadtteiltreff Linden")
    page.fill("textarea[name=agenda]", "Wohnungsbörse, neue Mitglieder")
    page.locator("form[action$='/meetings/'] button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert_accessible(page)
    shot(page, "5-meeting-recorded")

    meeting = Meeting.objects.get(group=group)
    assert meeting.place == "Stadtteiltreff Linden"
    assert meeting.created_by == lead.user
