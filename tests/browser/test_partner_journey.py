"""The partner's journey: a coordinator invites someone of a partner organisation; they choose a
password, set up an authenticator app, and publish an offer and a need for their organisation on
a phone; a coordinator refers a newcomer who agreed to the hand-over; the partner accepts with an
appointment and later reports the outcome; the coordinator sees it.

Screenshots land in var/browser-artifacts/partner-*.png (the README shows them)."""

import re
import time
from contextlib import ExitStack, contextmanager

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from ankommen.accounts.models import User
from partners.models import PartnerStaff
from refugees.services import issue_access_link
from tests.browser.conftest import DESKTOP, PHONE, _new_page, assert_accessible, shot, sign_in
from tests.factories import NewcomerFactory, PartnerFactory, UserFactory
from workgroups.models import Offer, Partner, PartnerNeed, Referral

PASSWORD = "Tafel-Ausgabe-2026!"
_person = contextmanager(_new_page)


def _code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def set_up_authenticator(page: Page) -> None:
    """allauth's page shows the secret beside the QR code; the test is the authenticator app."""
    page.locator("main a[href*='/2fa/totp/activate/']").click()
    page.wait_for_load_state("networkidle")
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_load_state("networkidle")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", _code_for(secret))
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state("networkidle")


def assert_fits(page: Page) -> None:
    """Nothing scrolls sideways on the phone (the sweep checks it for every page too)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (page.url, widths)


def test_a_partner_is_invited_publishes_and_answers_a_referral(live_server, browser: Browser):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    partner = PartnerFactory(name="Tafel Nord", kind="association")

    # One browser per person for the whole journey: signing in twice within 30 seconds would
    # need the same authenticator code twice, which allauth rightly refuses.
    people = ExitStack()
    page = people.enter_context(_person(browser, DESKTOP))
    phone = people.enter_context(_person(browser, PHONE))
    with people:
        _journey(base, page, phone, coordinator, partner)


def _journey(base: str, page: Page, phone: Page, coordinator: User, partner: Partner) -> None:
    # The coordinator invites Samira from the partner's page.
    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/de/network/partners/{partner.pk}/")
    page.locator(f"main a[href$='/partner/organisations/{partner.pk}/people/']").click()
    page.fill("input[name=full_name]", "Samira Haddad")
    page.fill("input[name=email]", "samira@tafel.example")
    assert_accessible(page)
    page.locator("main form button[type=submit].btn-primary").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("samira@tafel.example")
    shot(page, "partner-1-invited")
    link = re.search(r"https?://\S+/partner/welcome/\S+?/", mail.outbox[-1].body).group(0)
    link = re.sub(r"^https?://[^/]+", base, link)

    # Samira chooses a password on her phone and sets up her authenticator app.
    phone.goto(link)
    assert_accessible(phone)
    phone.fill("input[name=new_password1]", PASSWORD)
    phone.fill("input[name=new_password2]", PASSWORD)
    shot(phone, "partner-2-welcome")
    phone.locator("main button[type=submit]").click()
    phone.wait_for_load_state("networkidle")
    assert "/2fa/" in phone.url, phone.url
    set_up_authenticator(phone)
    phone.goto(f"{base}/de/partner/")
    expect(phone.locator("main h2").first).to_contain_text("Tafel Nord")
    assert PartnerStaff.objects.active().filter(partner=partner).count() == 1

    # She publishes an offer and states a need.
    phone.locator(f"main a[href$='/partner/organisations/{partner.pk}/offers/new/']").click()
    phone.fill("input[name=title]", "Lebensmittelausgabe dienstags")
    phone.select_option("select[name=theme]", index=1)
    phone.fill("input[name=schedule]", "dienstags 14 bis 17 Uhr")
    assert_accessible(phone)
    phone.locator("main button[type=submit].btn-primary").click()
    phone.wait_for_load_state("networkidle")
    offer = Offer.objects.get(partner=partner, title="Lebensmittelausgabe dienstags")
    phone.locator(f"main a[href$='/partner/organisations/{partner.pk}/needs/new/']").click()
    phone.select_option("select[name=theme]", index=1)
    phone.fill("textarea[name=description]", "Freiwillige, die Tigrinya sprechen, dienstags")
    phone.locator("main button[type=submit].btn-primary").click()
    phone.wait_for_load_state("networkidle")
    assert PartnerNeed.objects.filter(partner=partner, is_open=True).count() == 1
    assert_accessible(phone)
    assert_fits(phone)
    shot(phone, "partner-3-desk")
    assert offer.is_active

    # A coordinator refers a newcomer who agreed to hand over their first name, languages and
    # phone number for this offer.
    newcomer = NewcomerFactory(
        full_name="Dawit Tesfaye",
        phone="+49 511 1234567",
        preferred_language="ar",
        language_confirmed=True,
    )
    page.goto(f"{base}/de/network/referrals/")
    box = page.get_by_role("combobox", name="Neuzugewanderte")
    box.focus()
    page.keyboard.type("dawit", delay=40)
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("select[name=newcomer]").input_value() == str(newcomer.pk)
    page.select_option("select[name=offer]", str(offer.pk))
    page.fill("input[name=consent_on]", timezone.localdate().isoformat())
    page.select_option("select[name=consent_language]", "ar")
    page.fill(
        "textarea[name=need_summary]", "Braucht Lebensmittel für eine Familie mit drei Kindern."
    )
    page.locator("input[name=shared_contact][value=phone]").check()
    page.locator("main form button[type=submit].btn-primary").first.click()
    page.wait_for_load_state("networkidle")
    referral = Referral.objects.get(newcomer=newcomer, offer=offer)

    # Samira reads only what Dawit agreed to, accepts with an appointment, and reports later.
    phone.goto(f"{base}/de/partner/referrals/{referral.pk}/")
    main = phone.locator("main")
    expect(main).to_contain_text("Dawit")
    expect(main).to_contain_text("+49 511 1234567")
    expect(main).not_to_contain_text("Tesfaye")
    assert_accessible(phone)
    assert_fits(phone)
    shot(phone, "partner-4-referral")
    phone.fill("input[name=appointment_at]", "2030-01-04T10:00")
    phone.fill("input[name=appointment_place]", "Lister Meile 3")
    phone.locator(f"main form[action$='/referrals/{referral.pk}/accept/'] button").click()
    phone.wait_for_load_state("networkidle")
    referral.refresh_from_db()
    assert referral.outcome == Referral.Outcome.ACCEPTED

    # Dawit sees the appointment in his own view, in Arabic.
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    newcomer_phone = page.context.browser.new_context(viewport=PHONE, locale="ar")
    dawit = newcomer_phone.new_page()
    dawit.goto(f"{base}/n/{card.token}/")
    dawit.goto(f"{base}/ar/me/appointments/")
    expect(dawit.locator("main")).to_contain_text("Lister Meile 3")
    expect(dawit.locator("main")).to_contain_text("يناير")
    shot(dawit, "partner-5-newcomer-appointment")
    newcomer_phone.close()

    # Later, Samira reports how it went.
    phone.locator("main input[name=outcome][value=done]").check()
    phone.fill("textarea[name=note]", "Kommt jetzt jeden Dienstag.")
    phone.locator(f"main form[action$='/referrals/{referral.pk}/report/'] button").click()
    phone.wait_for_load_state("networkidle")
    assert_accessible(phone)
    shot(phone, "partner-6-reported")
    referral.refresh_from_db()
    assert referral.outcome == Referral.Outcome.DONE

    # The coordinator sees the outcome.
    page.goto(f"{base}/de/network/referrals/")
    expect(page.locator("main")).to_contain_text("Kommt jetzt jeden Dienstag.")
    assert_accessible(page)
    shot(page, "partner-7-coordinator-sees")
