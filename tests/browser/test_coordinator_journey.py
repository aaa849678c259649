"""Journey 2: a coordinator signs in, finds a volunteer in the card file by filters, moves the
stage, runs matching, watches it finish and accepts a proposal."""

from playwright.sync_api import Page, expect

from ankommen.vocabulary.models import Language
from matching.models import Mentorship
from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import (
    LanguageSkillFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    UserFactory,
    VolunteerFactory,
)


def test_a_coordinator_finds_a_volunteer_makes_them_ready_and_matches(live_server, page: Page):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    arabic = Language.objects.get(code="ar")
    leyla = VolunteerFactory(stage="trained", user__full_name="Leyla Demir", max_mentorships=1)
    LanguageSkillFactory(volunteer=leyla, language=arabic, level="native")
    for name in ("Jonas Berg", "Mia Wolf"):
        VolunteerFactory(stage="trained", user__full_name=name)
    newcomer = NewcomerFactory(full_name="Samir Haddad")
    NewcomerLanguageFactory(newcomer=newcomer, language=arabic, level="native")

    sign_in(page, base, coordinator.email)
    page.wait_for_url("**/cockpit/")
    assert_accessible(page)
    shot(page, "2-dashboard")

    page.goto(f"{base}/de/volunteers/")
    page.check(f"input[name=language][value='{arabic.pk}']")
    page.check("input[name=stage][value=trained]")
    page.locator("main form[method=get] button[type=submit]").first.click()
    expect(page.locator("table")).to_contain_text("Leyla Demir")
    expect(page.locator("table")).not_to_contain_text("Jonas Berg")
    assert_accessible(page)
    shot(page, "2-card-file-filtered")
    # The active filters are chips: removing the language keeps the stage.
    page.locator(".filter-chips a.rounded-pill", has_text=arabic.name_native).click()
    expect(page.locator("table")).to_contain_text("Jonas Berg")
    expect(page.locator("input[name=stage][value=trained]")).to_be_checked()
    expect(page.locator(f"input[name=language][value='{arabic.pk}']")).not_to_be_checked()
    page.go_back()

    page.get_by_role("link", name="Leyla Demir").click()
    page.select_option("select[name=to_stage]", "ready")
    page.locator("form[action$='/stage/'] button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    leyla.refresh_from_db()
    assert leyla.stage == "ready"
    assert_accessible(page)

    page.goto(f"{base}/de/matching/")
    assert_accessible(page)
    page.locator("main form:not([action]) button[type=submit]").click()
    page.wait_for_url("**/matching/runs/*/")
    expect(page.locator("main")).to_contain_text("Samir Haddad")
    assert_accessible(page)
    shot(page, "2-matching-run")

    page.locator("form[action*='/accept/'] button[type=submit]").first.click()
    expect(page.locator(".messages")).to_be_visible()
    mentorship = Mentorship.objects.get()
    assert (mentorship.volunteer, mentorship.newcomer) == (leyla, newcomer)
