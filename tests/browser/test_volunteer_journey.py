"""Journey 1: a volunteer registers, confirms the address from the e-mail, completes the
profile wizard, signs up for a training and downloads its calendar file."""

from playwright.sync_api import Page, expect

from ankommen.vocabulary.models import District, Language, Theme
from tests.browser.conftest import assert_accessible, link_in_last_mail, shot
from tests.factories import SessionFactory
from trainings.models import Registration
from volunteers.models import Volunteer


def test_a_volunteer_registers_completes_the_profile_and_signs_up_for_a_training(
    live_server, page: Page
):
    base = live_server.url
    session = SessionFactory(course__title="Grundlagen der Begleitung", capacity=8)

    page.goto(f"{base}/de/accounts/signup/")
    assert_accessible(page)
    page.fill("input[name=full_name]", "Omid Ahmadi")
    page.fill("input[name=email]", "omid@example.org")
    page.fill("input[name=password1]", "ein-langes-passwort-9")
    page.fill("input[name=password2]", "ein-langes-passwort-9")
    page.select_option("select[name=heard_via]", "press")
    shot(page, "1-sign-up")
    page.press("input[name=password2]", "Enter")
    page.wait_for_load_state("networkidle")

    link = link_in_last_mail(r"https?://\S+/confirm-email/\S+/")
    page.goto(base + "/" + link.split("//", 1)[1].split("/", 1)[1])
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/volunteers/me/start/")
    assert_accessible(page)
    page.check("input[name=agree]")
    page.locator("main button[type=submit]").click()

    page.wait_for_url("**/volunteers/me/profile/1/")
    assert_accessible(page)
    page.fill("input[name=phone]", "0511 1234567")
    page.select_option("select[name=district]", str(District.objects.get(slug="mitte").pk))
    page.locator("main button[type=submit]").last.click()

    page.wait_for_url("**/volunteers/me/profile/2/")
    assert_accessible(page)
    farsi = str(Language.objects.get(code="fa").pk)
    page.select_option("select[name='languages-0-language']", farsi)
    page.select_option("select[name='languages-0-level']", "native")
    page.locator("main button[type=submit]").last.click()

    page.wait_for_url("**/volunteers/me/profile/3/")
    assert_accessible(page)
    page.check("input[name=roles][value=mentor]")
    page.check(f"input[name=themes][value='{Theme.objects.get(slug='housing').pk}']")
    page.check("input[name=age_preferences][value=young_adults]")
    page.locator("main button[type=submit]").last.click()

    page.wait_for_url("**/volunteers/me/profile/4/")
    assert_accessible(page)
    page.locator("input[name=slots]").first.check()
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url("**/volunteers/me/")
    shot(page, "1-profile-done")

    volunteer = Volunteer.objects.get(user__email="omid@example.org")
    assert volunteer.profile_completed_at is not None
    assert volunteer.user.heard_via == "press"
    assert volunteer.age_preferences == ["young_adults"]

    page.goto(f"{base}/de/trainings/{session.pk}/")
    assert_accessible(page)
    page.locator("form[action$='/sign-up/'] button").click()
    expect(page.locator(".messages")).to_contain_text("angemeldet")
    shot(page, "1-signed-up")
    assert Registration.objects.get(session=session).user == volunteer.user

    with page.expect_download() as download:
        page.locator("a[href$='calendar.ics']").click()
    calendar = download.value.path().read_text()
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "Grundlagen der Begleitung" in calendar
