"""Journey 6: a new coordinator sets up a security key as their second factor and signs in with
it. Chromium's virtual authenticator (DevTools protocol) stands in for a USB key, so allauth's
scripts run for real under the portal's Content-Security-Policy."""

from allauth.mfa.models import Authenticator
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, shot, sign_in
from tests.factories import PASSWORD, UserFactory


def plug_in_security_key(page: Page) -> None:
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_coordinator_sets_up_a_security_key_and_signs_in_with_it(live_server, page: Page):
    # WebAuthn needs a secure context; browsers grant http://localhost one, not 127.0.0.1.
    base = live_server.url.replace("127.0.0.1", "localhost")
    coordinator = UserFactory(role="coordinator", second_factor=False, email="kim@example.org")
    plug_in_security_key(page)

    sign_in(page, base, coordinator.email)
    expect(page).to_have_url(f"{base}{reverse('mfa_index')}")
    assert_accessible(page)
    shot(page, "6-second-factor-choice")

    page.locator(f"a[href='{reverse('mfa_add_webauthn')}']").click()
    # allauth asks for the password once more before a factor is added.
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.fill("input[name=name]", "Schlüssel am Bund")
    assert_accessible(page)
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    shot(page, "6-security-key-added")

    key = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.WEBAUTHN)
    assert key.data["name"] == "Schlüssel am Bund"
    page.goto(f"{base}/de/cockpit/")
    expect(page).to_have_url(f"{base}/de/cockpit/")

    page.context.clear_cookies()
    sign_in(page, base, coordinator.email)
    expect(page).to_have_url(f"{base}{reverse('mfa_authenticate')}")
    assert_accessible(page)
    page.locator("#mfa_webauthn_authenticate").click()
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)

    page.goto(f"{base}/de/cockpit/")
    expect(page).to_have_url(f"{base}/de/cockpit/")
    key.refresh_from_db()
    assert key.last_used_at is not None
