"""A volunteer's mentorship page: the newcomer's languages, and only the contacts they agreed
to hand over, while the mentorship runs."""

from datetime import date

import pytest
from django.urls import reverse

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary.models import Language
from matching.models import Mentorship
from refugees.models import Newcomer, NewcomerConsent
from refugees.selectors import prefetch_contact_consent, shared_contacts
from tests.factories import MentorshipFactory, NewcomerFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
PHONE, EMAIL = "+4951112345678", "amal.haddad@example.org"


def _mentorship(state=Mentorship.State.ACTIVE, *, share_phone=True, share_email=False):
    newcomer = NewcomerFactory(
        full_name="Amal Haddad",
        phone=PHONE,
        email=EMAIL,
        share_phone=share_phone,
        share_email=share_email,
    )
    newcomer.languages.create(language=Language.objects.get(code="ar"), level="native")
    newcomer.languages.create(language=Language.objects.get(code="en"), level="basic")
    return MentorshipFactory(
        volunteer=VolunteerFactory(stage="active"), newcomer=newcomer, state=state
    )


def _agree_to_share(newcomer, **extra):
    return newcomer.consents.create(
        purpose=NewcomerConsent.Purpose.SHARE_CONTACT,
        language="ar",
        obtained_on=date(2026, 11, 1),
        **extra,
    )


def _page(client, mentorship):
    client.force_login(mentorship.volunteer.user)
    response = client.get(reverse("matching:my_mentorship", args=[mentorship.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _reads(newcomer):
    return AuditEvent.objects.filter(
        action="read", subject_type="newcomer", subject_id=newcomer.pk
    ).count()


def test_the_page_shows_the_newcomers_languages_with_their_level(client):
    mentorship = _mentorship()

    html = _page(client, mentorship)

    assert "العربية (Arabic): Muttersprache" in html
    assert "English: Grundkenntnisse" in html


def test_only_the_contacts_the_newcomer_agreed_to_share_are_shown(client):
    mentorship = _mentorship(share_phone=True, share_email=False)
    _agree_to_share(mentorship.newcomer)

    html = _page(client, mentorship)

    assert f'href="tel:{PHONE}"' in html
    assert EMAIL not in html
    assert "Haddad" not in html
    assert _reads(mentorship.newcomer) == 1  # contact details shown: a read of the record


def test_ticked_contacts_without_a_documented_consent_are_not_shown(client):
    mentorship = _mentorship(share_phone=True, share_email=True)
    NewcomerConsent.objects.create(
        newcomer=mentorship.newcomer,
        purpose=NewcomerConsent.Purpose.RECORD,
        language="ar",
        obtained_on=date(2026, 11, 1),
    )

    html = _page(client, mentorship)

    assert PHONE not in html
    assert EMAIL not in html
    assert "nicht zugestimmt" in html
    assert _reads(mentorship.newcomer) == 0


def test_a_withdrawn_consent_hides_the_contacts_again(client):
    mentorship = _mentorship(share_phone=True, share_email=True)
    _agree_to_share(mentorship.newcomer, withdrawn_on=date(2026, 11, 15))

    html = _page(client, mentorship)

    assert PHONE not in html
    assert EMAIL not in html


def test_an_ended_mentorship_no_longer_shows_the_contacts(client):
    mentorship = _mentorship(Mentorship.State.ENDED, share_phone=True, share_email=True)
    _agree_to_share(mentorship.newcomer)

    html = _page(client, mentorship)

    assert PHONE not in html
    assert EMAIL not in html
    assert "Muttersprache" in html


def test_another_volunteers_mentorship_is_not_found(client):
    mentorship = _mentorship()
    _agree_to_share(mentorship.newcomer)
    client.force_login(VolunteerFactory(stage="active").user)

    response = client.get(reverse("matching:my_mentorship", args=[mentorship.pk]))

    assert response.status_code == 404
    assert PHONE not in response.content.decode()


def test_shared_contacts_needs_no_query_once_the_consent_was_prefetched(
    django_assert_num_queries,
):
    mentorship = _mentorship(share_phone=True, share_email=True)
    _agree_to_share(mentorship.newcomer)
    loaded = Newcomer.objects.prefetch_related(prefetch_contact_consent())
    newcomer = loaded.get(pk=mentorship.newcomer_id)

    plain = Newcomer.objects.get(pk=newcomer.pk)

    with django_assert_num_queries(0):
        contacts = shared_contacts(newcomer)
    with django_assert_num_queries(1):
        assert shared_contacts(plain) == contacts

    assert (contacts.phone, contacts.email) == (PHONE, EMAIL)


def test_the_page_costs_the_same_whatever_the_newcomer_speaks(
    client, django_assert_max_num_queries
):
    mentorship = _mentorship(share_phone=True, share_email=True)
    _agree_to_share(mentorship.newcomer)
    client.force_login(mentorship.volunteer.user)
    url = reverse("matching:my_mentorship", args=[mentorship.pk])
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    _agree_to_share(mentorship.newcomer)
    for language in Language.objects.exclude(code__in=["ar", "en"])[:8]:
        mentorship.newcomer.languages.create(language=language, level="fluent")

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert len(response.context["languages"]) == 10
