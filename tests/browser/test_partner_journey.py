"""The partner's journey: a coordinator invites someone of a partner organisation; they choose a
password, set up an authenticator app, and publish an offer and a need for their organisation on
a phone; a coordinator refers a newcomer who agreed to the hand-over; the partner accepts with an
appointment and later reports the outcome; the coordinator sees it.

Screenshots land in var/browser-artifacts/partner-*.png (the README shows them)."""

import re
import time
from contextlib import contextmanager

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from partners.models import PartnerStaff
from tests.browser.conftest import DESKTOP, PHONE, _new_page, assert_accessible, shot, sign_in
from tests.factories import PartnerFactory, UserFactory
from workgroups.models import Offer, PartnerNeed

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


def test_a_partner_is_invited_publishes_and_answers_a_referral(live_server, browser: Browser):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    partner = PartnerFactory(name="Tafel Nord", kind="association")

    # The coordinator invites Samira from the partner's page.
    with _person(browser, DESKTOP) as page:
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
    with _person(browser, PHONE) as phone:
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
        shot(phone, "partner-3-desk")
    assert offer.is_active
