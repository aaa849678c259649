"""The person picker in a real browser: a coordinator types a name, tells two newcomers of the
same name apart by their year of birth and signs the right one up, by keyboard only; and picks
a volunteer for a match by hand."""

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import NewcomerFactory, SessionFactory, UserFactory, VolunteerFactory
from trainings.models import Registration


def test_a_coordinator_signs_up_the_right_one_of_two_namesakes(live_server, page: Page):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    older = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=1985)
    younger = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=1998)
    NewcomerFactory(full_name="Samir Haddad")
    session = SessionFactory(course__audience="newcomers", course__title="Deutsch im Alltag")

    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/de/trainings/manage/{session.pk}/")
    box = page.get_by_role("combobox", name="Neuzugewanderte")
    expect(box).to_be_visible()
    expect(page.locator("[data-person-search-for]")).to_be_hidden()  # typing searches now
    expect(page.locator("select[name=newcomer]")).to_be_hidden()

    box.focus()
    page.keyboard.type("zahra", delay=40)
    options = page.get_by_role("option")
    expect(options).to_have_count(2)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status")).to_contain_text("2")
    assert_accessible(page)
    shot(page, "picker-two-namesakes")
    texts = options.all_inner_texts()
    wanted = next(index for index, text in enumerate(texts) if "1998" in text)
    for _ in range(wanted + 1):
        page.keyboard.press("ArrowDown")
    expect(options.nth(wanted)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(wanted).get_attribute("id"))
    page.keyboard.press("Enter")

    expect(box).to_have_value("Zahra Mohammadi")
    expect(box).to_have_attribute("aria-expanded", "false")
    assert page.locator("select[name=newcomer]").input_value() == str(younger.pk)
    box.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert list(Registration.objects.values_list("newcomer_id", flat=True)) == [younger.pk]
    assert older.pk not in Registration.objects.values_list("newcomer_id", flat=True)


def test_a_coordinator_picks_a_volunteer_for_a_match_by_hand(live_server, page: Page):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    newcomer = NewcomerFactory(full_name="Dawit Tesfaye")
    VolunteerFactory(user__full_name="Jonas Berg", stage="ready")
    wanted = VolunteerFactory(user__full_name="Mia Wolf", stage="ready")

    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/de/newcomers/{newcomer.pk}/")
    page.get_by_role("link", name="Von Hand vermitteln").click()
    box = page.locator("#volunteer-search")
    expect(box).to_have_attribute("role", "combobox")
    box.fill("mia")
    expect(page.get_by_role("option")).to_have_count(1)
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")  # a single suggestion is taken as it is

    page.wait_for_url(f"**volunteer={wanted.pk}**")
    expect(page.locator("main")).to_contain_text("Mia Wolf")
    expect(page.locator("main")).not_to_contain_text("Jonas Berg")
    assert_accessible(page)
