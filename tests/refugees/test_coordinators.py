from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary.models import District, Language, Theme
from refugees.models import AccessLink, Need, Newcomer, NewcomerConsent
from tests.factories import NeedFactory, NewcomerFactory

pytestmark = pytest.mark.django_db


def _create(client, **extra):
    data = {
        "full_name": "Dawit Tesfaye",
        "age_group": "27-45",
        "household": "family",
        "district": District.objects.get(slug="nord").pk,
        "residence_status": "in_procedure",
        "preferred_language": "ti",
        "phone": "0176 12345678",
        "share_phone": "on",
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": Language.objects.get(code="ti").pk,
        "languages-0-level": "native",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-relation": "child",
        "members-0-age_group": "6-13",
        "consent_purposes": ["record", "share_contact"],
        "consent_language": "ti",
        "consent_on": timezone.localdate().isoformat(),
        **extra,
    }
    return client.post("/en/newcomers/new/", data)


def test_a_coordinator_records_a_family_with_consent(client, coordinator):
    client.force_login(coordinator)

    response = _create(client)

    newcomer = Newcomer.objects.get()
    assert response["Location"] == newcomer.get_absolute_url()
    assert newcomer.phone == "+4917612345678"
    assert newcomer.members.get().age_group == "6-13"
    assert newcomer.languages.get().language.code == "ti"
    consents = NewcomerConsent.objects.filter(newcomer=newcomer)
    assert set(consents.values_list("purpose", flat=True)) == {"record", "share_contact"}
    assert consents.first().obtained_by == coordinator
    assert AuditEvent.objects.filter(
        action="create", subject_type="newcomer", subject_id=newcomer.pk, actor_id=coordinator.pk
    ).exists()


def test_without_consent_to_the_record_nothing_is_stored(client, coordinator):
    client.force_login(coordinator)

    response = _create(client, consent_purposes=["email"])

    assert response.status_code == 200
    assert "consent_purposes" in response.context["consent"].errors
    assert not Newcomer.objects.exists()


def test_sharing_a_contact_that_does_not_exist_is_refused(client, coordinator):
    client.force_login(coordinator)

    response = _create(client, phone="", share_phone="on")

    assert "share_phone" in response.context["form"].errors


def test_edits_are_kept_in_the_history_without_repeating_sensitive_values(client, coordinator):
    newcomer = NewcomerFactory(residence_status="in_procedure")
    client.force_login(coordinator)

    client.post(
        f"/en/newcomers/{newcomer.pk}/edit/",
        {
            "full_name": newcomer.full_name,
            "household": "single",
            "residence_status": "recognised",
            "preferred_language": "ar",
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": Language.objects.get(code="ar").pk,
            "languages-0-level": "native",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )

    change = AuditEvent.objects.get(
        action="change", subject_type="newcomer", subject_id=newcomer.pk, actor_id=coordinator.pk
    )
    assert "residence_status" in change.details["fields"]
    assert "recognised" not in str(change.details)
    newcomer.refresh_from_db()
    assert newcomer.residence_status == "recognised"


def test_a_printed_card_shows_a_qr_code_once_and_stores_only_a_hash(client, coordinator):
    newcomer = NewcomerFactory(preferred_language="ti")
    client.force_login(coordinator)

    response = client.post(f"/en/newcomers/{newcomer.pk}/card/")

    html = response.content.decode()
    assert "<svg" in html
    assert '<html lang="en"' in html
    assert 'lang="ti" dir="ltr"' in html
    token = html.split("/n/", 1)[1].split("/", 1)[0]
    assert AccessLink.objects.get().token_hash != token
    assert response["Cache-Control"].startswith("max-age=0")


class TextByLanguage(HTMLParser):
    """The visible text of a page, grouped by the language and direction it is marked with."""

    VOID = frozenset({"meta", "link", "br", "img", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str, str]] = []
        self.text: dict[tuple[str, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        lang, direction = self.stack[-1][1:] if self.stack else ("", "")
        self.stack.append(
            (tag, attributes.get("lang", lang), attributes.get("dir", direction) or direction)
        )

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] not in ("script", "style", "title") and data.strip():
            key = self.stack[-1][1:]
            self.text[key] = " ".join([self.text.get(key, ""), data.strip()]).strip()


def _card(client, coordinator, language, page_language="de"):
    newcomer = NewcomerFactory(full_name="Hodan Warsame", preferred_language=language)
    client.force_login(coordinator)
    response = client.post(f"/{page_language}/newcomers/{newcomer.pk}/card/")
    assert response.status_code == 200
    parts = TextByLanguage()
    parts.feed(response.content.decode())
    return parts.text


def test_a_somali_card_speaks_somali_to_the_newcomer_and_german_to_helpers(client, coordinator):
    text = _card(client, coordinator, "so")

    assert "Kaarkaaga gaarka ah, Hodan" in text[("so", "ltr")]
    assert "Koodkan ku sawir" in text[("so", "ltr")]
    assert "Daabac" not in " ".join(text.values())  # the Print button is the coordinator's
    german = text[("de", "ltr")]  # the coordinator's page and the helpers' copy
    assert "Scannen Sie diesen Code" in german
    assert "Gültig bis" in german
    assert "Karte drucken" in german
    assert "Zurück zum Eintrag" in german


def test_an_arabic_card_runs_right_to_left_inside_a_page_in_the_coordinators_language(
    client, coordinator
):
    text = _card(client, coordinator, "ar", page_language="en")

    assert "بطاقتك الشخصية يا Hodan" in text[("ar", "rtl")]
    assert "Scannen Sie diesen Code" in text[("de", "ltr")]
    assert "Print the card" in text[("en", "ltr")]
    assert "Back to the record" in text[("en", "ltr")]
    assert "طباعة" not in " ".join(text.values())


def test_a_german_card_has_no_second_german_copy(client, coordinator):
    text = _card(client, coordinator, "de")

    assert text[("de", "ltr")].count("Scannen Sie diesen Code") == 1


def _names(client, params):
    return sorted(
        newcomer.full_name for newcomer in client.get("/en/newcomers/", params).context["page"]
    )


def test_list_filters(client, coordinator):
    housing, health = Theme.objects.get(slug="housing"), Theme.objects.get(slug="health")
    arabic = Language.objects.get(code="ar")
    a = NewcomerFactory(full_name="A", district=District.objects.get(slug="mitte"))
    nord = District.objects.get(slug="nord")
    b = NewcomerFactory(full_name="B", residence_status="tolerated", district=nord)
    c = NewcomerFactory(
        full_name="C", district=nord, waiting_since=timezone.localdate() - timedelta(days=300)
    )
    NeedFactory(newcomer=a, theme=housing, urgency="urgent")
    NeedFactory(newcomer=b, theme=health, urgency="low")
    NeedFactory(newcomer=c, theme=housing, urgency="low", status=Need.Status.RESOLVED)
    a.languages.create(language=arabic, level="native")
    client.force_login(coordinator)

    assert _names(client, {"theme": housing.pk}) == ["A"]
    assert _names(client, {"urgency": "low"}) == ["B"]
    assert _names(client, {"district": District.objects.get(slug="mitte").pk}) == ["A"]
    assert _names(client, {"language": arabic.pk}) == ["A"]
    assert _names(client, {"residence_status": "tolerated"}) == ["B"]
    waiting = (timezone.localdate() - timedelta(days=100)).isoformat()
    assert _names(client, {"waiting_before": waiting}) == ["C"]
    assert _names(client, {"matched": "true"}) == []
    assert _names(client, {}) == ["A", "B", "C"]
    first = next(iter(client.get("/en/newcomers/").context["page"]))
    assert first.full_name == "A"  # the most urgent open need comes first


@pytest.mark.parametrize("count", [10, 300])
def test_list_and_detail_use_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries, count
):
    for number in range(count):
        newcomer = NewcomerFactory(full_name=f"N {number}")
    NeedFactory(newcomer=newcomer)
    client.force_login(coordinator)

    # The first request also renders and caches the filters.
    with django_assert_max_num_queries(25):
        client.get("/en/newcomers/", {"ordering": "waiting"})
    with django_assert_max_num_queries(9):
        client.get("/en/newcomers/", {"ordering": "waiting"})
    # The read is written to the audit log and the log is shown: three of these queries.
    with django_assert_max_num_queries(19):
        client.get(f"/en/newcomers/{newcomer.pk}/")


def test_documented_email_consent_subscribes_and_the_newcomer_segment_reaches_them(coordinator):
    from ankommen.messaging.models import Subscription
    from ankommen.messaging.segments import recipients_for
    from refugees.services import add_consent

    with_consent = NewcomerFactory(email="amina@example.org", preferred_language="ar")
    NewcomerFactory(email="no-consent@example.org")

    add_consent(
        newcomer=with_consent,
        purpose="email",
        language="ar",
        obtained_on=timezone.localdate(),
        by=coordinator,
    )

    subscription = Subscription.objects.get(email="amina@example.org")
    assert subscription.state == Subscription.State.CONFIRMED
    assert subscription.language == "ar"
    assert coordinator.full_name in subscription.consent_text
    assert [s.email for s in recipients_for("newcomers", "")] == ["amina@example.org"]
