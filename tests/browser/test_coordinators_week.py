"""A coordinator's whole week in the portal, never opening the Django admin: a course and a
weekly series, a newcomer found by search and signed up, attendance for a session that ended
yesterday, a partner whose offer closes a gap, a target on the dashboard, a matching weight
changed before a run, and a newsletter sent after its confirmation.

Every step is checked where it takes effect (rows, the dashboard, the gap matrix, the outbox),
and its screenshot lands in var/browser-artifacts/week-*.png (the README shows them)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from ankommen.vocabulary.models import District, Language, Theme
from matching.models import MatchingRun, MatchingWeights
from refugees.models import Need
from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import (
    LanguageSkillFactory,
    NeedFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    RegistrationFactory,
    SessionFactory,
    SubscriptionFactory,
    UserFactory,
    VolunteerFactory,
)
from trainings.models import Course, Registration
from workgroups.gaps import gap_matrix
from workgroups.models import Offer, Partner


def _week(live_server, page: Page) -> None:
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    admin_requests: list[str] = []
    page.on(
        "request", lambda request: "/admin/" in request.url and admin_requests.append(request.url)
    )
    sign_in(page, base, coordinator.email)
    page.wait_for_url("**/cockpit/")

    # Monday: a new course and a weekly series of four evenings, one left out for a holiday.
    page.goto(f"{base}/de/trainings/manage/")
    page.get_by_role("link", name="Neuer Kurs").click()
    page.fill("input[name=title]", "Deutsch im Alltag")
    page.select_option("select[name=audience]", "newcomers")
    page.get_by_role("button", name="Speichern").click()
    course = Course.objects.get(title="Deutsch im Alltag")
    page.locator(f"a[href$='/sessions/series/?course={course.pk}']").click()
    first = timezone.localdate() + timedelta(days=7)
    page.fill("input[name=first_on]", first.isoformat())
    page.fill("input[name=starts_at_time]", "17:00")
    page.fill("input[name=ends_at_time]", "19:00")
    page.fill("input[name=weeks]", "4")
    page.fill("input[name=place]", "Stadtteiltreff Vahrenwald")
    page.get_by_role("button", name="Daten anzeigen").click()
    page.check(f"input[name=skipped][value='{(first + timedelta(weeks=2)).isoformat()}']")
    page.get_by_role("button", name="Liste aktualisieren").click()
    expect(page.locator("main")).to_contain_text("3 Termine werden angelegt.")
    assert_accessible(page)
    shot(page, "week-1-series")
    page.get_by_role("button", name="Termine anlegen").click()
    expect(page.locator(".messages")).to_contain_text("3 Termine wurden angelegt.")
    sessions = list(course.sessions.order_by("starts_at"))
    assert [s.starts_at.date() for s in sessions] == [
        first,
        first + timedelta(weeks=1),
        first + timedelta(weeks=3),
    ]

    # A newcomer is found among namesakes by typing, and signed up for the first evening.
    NewcomerFactory(full_name="Zahra Mohammadi", birth_year=1985)
    zahra = NewcomerFactory(full_name="Zahra Mohammadi", birth_year=1998)
    page.goto(f"{base}/de/trainings/manage/{sessions[0].pk}/")
    box = page.get_by_role("combobox", name="Neuzugewanderte")
    box.focus()
    page.keyboard.type("zahra", delay=30)
    options = page.get_by_role("option")
    expect(options).to_have_count(2)
    page.get_by_role("option").filter(has_text="1998").click()
    expect(box).to_have_value("Zahra Mohammadi")
    assert_accessible(page)
    shot(page, "week-2-newcomer-found")
    box.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    assert Registration.objects.get(session=sessions[0]).newcomer == zahra

    # Tuesday: yesterday's session waits for its roll-call; it is found without typing a URL.
    yesterday = timezone.now() - timedelta(days=1)
    ended = SessionFactory(
        course__title="Willkommen im Ehrenamt",
        starts_at=yesterday,
        ends_at=yesterday + timedelta(hours=2),
    )
    anna = VolunteerFactory(user__full_name="Anna Beispiel").user
    came = RegistrationFactory(session=ended, user=anna)
    page.goto(f"{base}/de/trainings/manage/")
    page.locator("main a[href$='/trainings/needs-attendance/']").first.click()
    expect(page.locator("main table")).to_contain_text("Willkommen im Ehrenamt")
    page.locator("main table").get_by_role("link", name="Anwesenheit").first.click()
    page.get_by_role("button", name="Anwesend").first.click()
    expect(page.get_by_role("button", name="Anwesend").first).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_accessible(page)
    shot(page, "week-3-attendance")
    came.refresh_from_db()
    assert came.attended is True

    # Wednesday: Arabic-speaking families in Linden need help with authorities; no offer there.
    theme, district = Theme.objects.first(), District.objects.first()
    NeedFactory(theme=theme, newcomer__district=district, status=Need.Status.OPEN)
    page.goto(f"{base}/de/network/partners/")
    page.get_by_role("link", name="Neue Partnerorganisation").click()
    page.fill("input[name=name]", "Caritas Beratungsstelle")
    page.select_option("select[name=kind]", "counselling")
    page.check(f"input[name=themes][value='{theme.pk}']")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_be_visible()
    partner = Partner.objects.get(name="Caritas Beratungsstelle")
    page.goto(f"{base}/de/network/gaps/")
    cell = page.locator(f"#cell-{theme.slug}-{district.slug}")
    expect(cell).to_have_attribute("data-status", "gap")
    cell.locator("a", has_text="Angebot hinzufügen").click()
    page.select_option("select[name=partner]", str(partner.pk))
    page.fill("input[name=title]", "Begleitung zu Ämtern")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(f"#cell-{theme.slug}-{district.slug}")).not_to_have_attribute(
        "data-status", "gap"
    )
    assert_accessible(page)
    shot(page, "week-4-gap-closed")
    offer = Offer.objects.get(title="Begleitung zu Ämtern")
    assert (offer.partner, offer.theme, offer.district) == (partner, theme, district)
    assert gap_matrix_status(theme, district) != "gap"

    # Thursday: a target for ready volunteers, seen on the dashboard.
    page.goto(f"{base}/de/cockpit/")
    page.locator("main").get_by_role("link", name="Zielwerte").first.click()
    page.locator("a[href*='/cockpit/targets/add/']").first.click()
    page.select_option("select[name=metric]", "ready")
    page.fill("input[name=value]", "40")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(f"{base}/de/cockpit/")
    expect(page.locator("main")).to_contain_text("des Zielwerts von 40")
    assert_accessible(page)
    shot(page, "week-5-target-on-dashboard")

    # Friday: language counts more this round; then matching runs with the new weights.
    arabic = Language.objects.get(code="ar")
    leyla = VolunteerFactory(stage="ready", user__full_name="Leyla Demir", max_mentorships=1)
    LanguageSkillFactory(volunteer=leyla, language=arabic, level="native")
    samir = NewcomerFactory(full_name="Samir Haddad")
    NewcomerLanguageFactory(newcomer=samir, language=arabic, level="native")
    page.goto(f"{base}/de/matching/")
    page.locator("main a[href$='/matching/weights/']").first.click()
    page.fill("input[name=language]", "9")
    page.get_by_role("button", name="Gewichte speichern").click()
    expect(page.locator(".messages")).to_be_visible()
    assert MatchingWeights.objects.latest("pk").language == 9
    page.goto(f"{base}/de/matching/")
    page.locator("main form:not([action]) button[type=submit]").click()
    page.wait_for_url("**/matching/runs/*/")
    expect(page.locator("main")).to_contain_text("Samir Haddad")
    assert_accessible(page)
    shot(page, "week-6-matching-run")
    assert MatchingRun.objects.get().weights["language"] == 9

    # And the week's newsletter, sent only after the summary of who gets it.
    readers = [SubscriptionFactory() for _ in range(3)]
    outbox_before = len(mail.outbox)
    page.goto(f"{base}/de/messages/newsletters/new/")
    page.fill("input[name=subject]", "Rundbrief Dezember")
    page.fill("textarea[name=body]", "Liebe Ehrenamtliche,\n\ndanke für diese Woche!")
    page.select_option("select[name=audience]", "all")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_be_visible()
    page.locator("a[href$='/send/']").click()
    expect(page.locator("main table")).to_contain_text("3")  # the summary: who gets it
    assert len(mail.outbox) == outbox_before  # the summary page sends nothing
    assert_accessible(page)
    shot(page, "week-7-newsletter-summary")
    page.locator("main form:not([action]) button[type=submit]").click()
    expect(page.locator("#newsletter-progress")).to_contain_text("3 von 3")
    sent = mail.outbox[outbox_before:]
    assert sorted(address for message in sent for address in message.to) == sorted(
        reader.email for reader in readers
    )
    assert {message.subject for message in sent} == {"[Ankommen] Rundbrief Dezember"}

    assert admin_requests == []


def gap_matrix_status(theme: Theme, district: District) -> str:
    _themes, _districts, cells = gap_matrix()
    return cells[(theme.pk, district.pk)].status


def test_a_coordinators_week_runs_without_the_admin(live_server, page: Page):
    _week(live_server, page)
