"""Journey 4: a coordinator writes a newsletter, reads who would get it, sends it to a segment
and watches the progress; a recipient unsubscribes with one click from the link in the e-mail."""

from django.core import mail
from playwright.sync_api import Page, expect

from ankommen.messaging.models import Newsletter, Subscription
from ankommen.messaging.services.newsletters import send_scheduled_newsletters
from tests.browser.conftest import AXE, assert_accessible, shot, sign_in
from tests.factories import SubscriptionFactory, UserFactory


def test_a_newsletter_goes_out_and_a_reader_unsubscribes(live_server, page: Page, browser):
    base = live_server.url
    coordinator = UserFactory(role="coordinator", email="clara@example.org")
    readers = [SubscriptionFactory() for _ in range(3)]

    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/de/messages/newsletters/new/")
    assert_accessible(page)
    page.fill("input[name=subject]", "Rundbrief November")
    page.fill("textarea[name=body]", "Liebe Ehrenamtliche,\n\n**danke** für alles!")
    page.select_option("select[name=audience]", "all")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_be_visible()
    assert_accessible(page)
    shot(page, "4-newsletter-draft")

    outbox_before = len(mail.outbox)
    page.locator("a[href$='/send/']").click()
    expect(page.locator("main table")).to_contain_text("3")  # the summary: who gets it
    assert_accessible(page)
    shot(page, "4-newsletter-summary")
    assert len(mail.outbox) == outbox_before
    page.locator("main form:not([action]) button[type=submit]").click()
    expect(page.locator("#newsletter-progress")).to_contain_text("3 von 3")
    shot(page, "4-newsletter-progress")
    assert len(mail.outbox) - outbox_before == 3
    # The beat job closes a newsletter once every one of its e-mails is handled.
    send_scheduled_newsletters()
    assert Newsletter.objects.get().state == Newsletter.State.SENT

    letter = next(m for m in mail.outbox if m.to == [readers[0].email])
    link = letter.extra_headers["List-Unsubscribe"].strip("<>")
    reader_context = browser.new_context(locale="de-DE")
    reader_context.add_init_script(path=str(AXE))
    reader = reader_context.new_page()
    reader.goto(base + "/" + link.split("//", 1)[1].split("/", 1)[1])
    assert_accessible(reader)
    reader.locator("main button[type=submit]").click()
    reader.wait_for_load_state("networkidle")
    assert_accessible(reader)
    shot(reader, "4-unsubscribed")

    readers[0].refresh_from_db()
    assert readers[0].state == Subscription.State.UNSUBSCRIBED
    assert Subscription.objects.filter(state=Subscription.State.CONFIRMED).count() == 2
