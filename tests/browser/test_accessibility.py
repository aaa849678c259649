"""axe-core on the pages the journeys visit, in Arabic (right to left) as well as German, with
a visible focus ring on every link and button one reaches with Tab."""

import pytest
from playwright.sync_api import Page

from ankommen.messaging.models import Newsletter
from matching.engine import execute_run
from matching.services import current_weights
from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import (
    LanguageSkillFactory,
    MatchingRunFactory,
    MembershipFactory,
    MentorshipFactory,
    NeedFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    NewsletterFactory,
    SessionFactory,
    SubscriptionFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
)

COORDINATOR_PAGES = [
    "/cockpit/",
    "/cockpit/report/",
    "/cockpit/import/",
    "/cockpit/targets/",
    "/cockpit/targets/add/",
    "/matching/weights/",
    "/vocabulary/districts/",
    "/vocabulary/languages/add/",
    "/volunteers/",
    "/volunteers/{volunteer}/",
    "/volunteers/bulk/move/?to_stage=active&volunteers={volunteer}",
    "/newcomers/",
    "/newcomers/{newcomer}/",
    "/newcomers/{newcomer}/card/",
    "/matching/",
    "/matching/runs/{run}/",
    "/matching/mentorships/",
    "/matching/mentorships/{mentorship}/",
    "/matching/mentorships/{mentorship}/end/",
    "/matching/newcomers/{waiting}/match/",
    "/messages/newsletters/",
    "/messages/newsletters/{newsletter}/",
    "/messages/newsletters/{newsletter}/send/",
    "/network/groups/{group}/",
    "/trainings/",
    "/trainings/{session}/",
    "/trainings/manage/{session}/",
]


@pytest.fixture
def network():
    from ankommen.vocabulary.models import Language

    arabic = Language.objects.get(code="ar")
    volunteer = VolunteerFactory(stage="ready", user__full_name="Leyla Demir", max_mentorships=2)
    LanguageSkillFactory(volunteer=volunteer, language=arabic, level="native")
    newcomer = NewcomerFactory(full_name="Samir Haddad")
    NeedFactory(newcomer=newcomer)
    NewcomerLanguageFactory(newcomer=newcomer, language=arabic, level="native")
    waiting = NewcomerFactory(full_name="Dawit Tesfaye")
    run = execute_run(MatchingRunFactory(weights=current_weights()))
    mentorship = MentorshipFactory(volunteer=volunteer, newcomer=newcomer, state="active")
    group = WorkingGroupFactory(name="AG Wohnen")
    MembershipFactory(group=group, user=volunteer.user, state="requested")
    newsletter = NewsletterFactory()
    SubscriptionFactory.create_batch(2)  # the sending summary shows its table
    assert newsletter.state == Newsletter.State.DRAFT
    return {
        "volunteer": volunteer.pk,
        "newcomer": newcomer.pk,
        "waiting": waiting.pk,
        "run": run.pk,
        "mentorship": mentorship.pk,
        "newsletter": newsletter.pk,
        "group": group.pk,
        "session": SessionFactory().pk,
    }


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_coordinators_pages_pass_axe(live_server, page: Page, network, language):
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    sign_in(page, live_server.url, coordinator.email)

    for path in COORDINATOR_PAGES:
        page.goto(f"{live_server.url}/{language}{path.format(**network)}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
        assert_accessible(page)
    shot(page, f"a11y-training-{language}")


def test_every_focusable_element_shows_where_the_focus_is(live_server, page: Page, network):
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    sign_in(page, live_server.url, coordinator.email)
    page.goto(f"{live_server.url}/ar/cockpit/")

    unmarked = []
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const n = document.activeElement; const s = getComputedStyle(n);"
            " return [n.tagName + ' ' + (n.textContent || '').trim().slice(0, 30),"
            " s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
        )
        name, outline, width, shadow = style
        if name.startswith("BODY "):
            continue  # past the last element the focus leaves the page before it starts over
        if (outline == "none" or width == "0px") and shadow == "none":
            unmarked.append(name)
    assert unmarked == []


VOLUNTEER_PAGES = [
    "/volunteers/me/",
    "/volunteers/me/profile/1/",
    "/volunteers/me/profile/2/",
    "/volunteers/me/profile/3/",
    "/volunteers/me/profile/4/",
    "/volunteers/me/hours/",
    "/trainings/",
    "/trainings/{session}/",
    "/trainings/me/",
    "/matching/mine/",
    "/network/groups/{group}/",
]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_volunteers_pages_pass_axe(live_server, page: Page, network, language):
    volunteer = VolunteerFactory(stage="active", user__email="omid@example.org")
    for path in ("/accounts/login/", "/accounts/signup/", "/"):
        page.goto(f"{live_server.url}/{language}{path}")
        assert_accessible(page)
    sign_in(page, live_server.url, volunteer.user.email)

    for path in VOLUNTEER_PAGES:
        page.goto(f"{live_server.url}/{language}{path.format(**network)}")
        assert_accessible(page)
    shot(page, f"a11y-volunteer-{language}")
