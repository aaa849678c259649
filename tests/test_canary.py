"""The canary crawl: marker strings in every sensitive field of one newcomer, then every URL of
the portal requested as each role that must not see them. None may ever appear, nor in any
e-mail the portal sends; the matched volunteer sees the first name and nothing else."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ankommen.accounts.models import Role
from matching import checkins
from matching.models import CheckIn, Mentorship
from partners.models import PartnerStaff
from refugees.models import Newcomer
from tests.factories import (
    HouseholdMemberFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    ReferralFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.test_url_policy import URL_NAMES, _url, objects  # noqa: F401 (the fixture)
from workgroups.models import Partner, Referral

pytestmark = pytest.mark.django_db

FIRST_NAME = "Zainab"
SECRETS = {
    "surname": "Canarysurname",
    "phone": "+4915112340099",
    "email": "zainab.canary@example.org",
    "notes": "CANARY-INTERNAL-NOTE",
    "need": "CANARY-NEED-NOTE",
    "member": "Canarychild",
    "goals": "CANARY-AGREEMENT",
}


@pytest.fixture
def canary(objects):  # noqa: F811 (pytest fixture from test_url_policy)
    newcomer_pk = objects["refugees"]["pk"]
    Newcomer.objects.filter(pk=newcomer_pk).update(
        full_name=f"{FIRST_NAME} {SECRETS['surname']}",
        phone=SECRETS["phone"],
        email=SECRETS["email"],
        internal_notes=SECRETS["notes"],
        residence_status="tolerated",
    )
    newcomer = Newcomer.objects.get(pk=newcomer_pk)
    newcomer.needs.update(note=SECRETS["need"])
    HouseholdMemberFactory(
        newcomer=newcomer, relation="child", age_group="6-13", first_name=SECRETS["member"]
    )
    Mentorship.objects.filter(newcomer=newcomer).update(state="active", goals=SECRETS["goals"])
    return objects


def leaked(text: str) -> list[str]:
    return [name for name, value in SECRETS.items() if value in text]


def _partner_staff_elsewhere():
    """Acting for another organisation than the one the canary newcomer was referred to."""
    person = UserFactory(role=Role.PARTNER, second_factor=True)
    PartnerStaff.objects.create(
        partner=PartnerFactory(name="Andere Organisation"), user=person, accepted_at=timezone.now()
    )
    return person


@pytest.mark.parametrize("role", ["anonymous", "newcomer", "volunteer", "partner"])
def test_no_page_shows_a_newcomers_data_to_a_role_that_may_not_see_it(client, canary, role):
    if role == "partner":
        client.force_login(_partner_staff_elsewhere())
    elif role != "anonymous":
        client.force_login(
            UserFactory(role=role) if role != "volunteer" else VolunteerFactory().user
        )
    found = {}
    for name in URL_NAMES:
        response = client.get(_url(name, canary), headers={"accept-language": "de"})
        body = response.content.decode(errors="replace")
        leaks = leaked(body) + ([FIRST_NAME] if FIRST_NAME in body else [])
        if leaks:
            found[name] = leaks
    assert found == {}


def test_the_matched_volunteer_sees_the_first_name_and_nothing_else(client, canary):
    mentorship = Mentorship.objects.get(newcomer_id=canary["refugees"]["pk"])
    client.force_login(mentorship.volunteer.user)
    found = {}
    for name in URL_NAMES:
        body = client.get(_url(name, canary)).content.decode(errors="replace")
        leaks = [leak for leak in leaked(body) if leak != "goals"]
        if leaks:
            found[name] = leaks
    assert found == {}


def test_no_email_carries_a_newcomers_secrets(canary, django_capture_on_commit_callbacks):
    mentorship = Mentorship.objects.get(newcomer_id=canary["refugees"]["pk"])
    CheckIn.objects.all().delete()
    Mentorship.objects.filter(pk=mentorship.pk).update(
        state_changed_at=mentorship.created_at.replace(year=mentorship.created_at.year - 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        checkins.send_check_ins(mentorship.created_at.date())
    assert mail.outbox, "the check-in e-mail was not sent"

    for message in mail.outbox:
        text = message.subject + message.body + str(message.alternatives)
        assert leaked(text) == [], message.subject


def test_no_page_with_a_newcomers_data_may_be_kept_by_the_browser(client, canary):
    """Shared computers: a page that shows the markers must not stay in the browser's cache."""
    client.force_login(UserFactory(role="coordinator"))
    showing, stored = [], []
    for name in URL_NAMES:
        response = client.get(_url(name, canary), headers={"accept-language": "de"})
        body = response.getvalue() if response.streaming else response.content
        if leaked(body.decode(errors="replace")):
            showing.append(name)
            if "no-store" not in response.get("Cache-Control", ""):
                stored.append(name)
    assert len(showing) >= 5, showing  # the control: the crawl does reach the data
    assert stored == []


def test_the_markers_are_there_for_a_coordinator_so_the_crawl_can_see_a_leak(client, canary):
    """The control: a crawl that cannot find the markers anywhere would prove nothing."""
    client.force_login(UserFactory(role="coordinator"))

    body = client.get(_url("refugees:newcomer_detail", canary)).content.decode()

    assert set(leaked(body)) >= {"surname", "phone", "email", "notes", "need", "member"}


# What the newcomer agreed to hand over to the partner the objects refer them to (Caritas).
SHARED = {"need": "CANARY-SHARED-NEED", "first_name": FIRST_NAME}
# Other people's data that partner staff must never see: a referral to another organisation,
# a newcomer referred to nobody, and what the coordinators wrote for themselves.
ELSEWHERE = {
    "other_partner_need": "CANARY-OTHER-PARTNER-NEED",
    "other_partner_name": "Canaryotherreferred",
    "other_partner_phone": "+4915100000001",
    "unreferred_name": "Canaryunreferred",
    "unreferred_notes": "CANARY-UNREFERRED-NOTE",
    "coordinator_note": "CANARY-COORDINATOR-REFERRAL-NOTE",
}


def _partner_staff_of_the_referral(canary):
    """Someone acting for Caritas, whose offer the canary newcomer was referred to, with the
    phone number shared; plus a referral to another organisation, and a newcomer referred
    nowhere."""
    referral = Referral.objects.get(newcomer_id=canary["refugees"]["pk"])
    Referral.objects.filter(pk=referral.pk).update(
        need_summary=SHARED["need"], shared_contact="phone", note=ELSEWHERE["coordinator_note"]
    )
    other = NewcomerFactory(
        full_name=f"Amal {ELSEWHERE['other_partner_name']}", phone=ELSEWHERE["other_partner_phone"]
    )
    ReferralFactory(
        newcomer=other,
        offer=OfferFactory(partner=PartnerFactory(name="Andere Beratung")),
        need_summary=ELSEWHERE["other_partner_need"],
        shared_contact="phone",
    )
    NewcomerFactory(
        full_name=f"Hana {ELSEWHERE['unreferred_name']}",
        internal_notes=ELSEWHERE["unreferred_notes"],
    )
    person = UserFactory(role=Role.PARTNER, second_factor=True)
    PartnerStaff.objects.create(
        partner=Partner.objects.get(name="Caritas"), user=person, accepted_at=timezone.now()
    )
    return person


def test_partner_staff_see_what_the_newcomer_agreed_to_share_and_nothing_else(client, canary):
    client.force_login(_partner_staff_of_the_referral(canary))
    found, shown = {}, set()
    for name in URL_NAMES:
        body = client.get(_url(name, canary), headers={"accept-language": "de"}).content.decode(
            errors="replace"
        )
        leaks = [leak for leak in leaked(body) if leak != "phone"]
        leaks += [key for key, value in ELSEWHERE.items() if value in body]
        if leaks:
            found[name] = leaks
        shown |= {
            key for key, value in {**SHARED, "phone": SECRETS["phone"]}.items() if value in body
        }
    assert found == {}
    # The control: the crawl reached the referral's page, and the agreed fields are on it.
    assert shown == {"need", "first_name", "phone"}


def test_partner_staff_see_no_contact_that_was_not_agreed_and_nothing_once_withdrawn(
    client, canary
):
    client.force_login(_partner_staff_of_the_referral(canary))
    referral = Referral.objects.get(newcomer_id=canary["refugees"]["pk"])
    Referral.objects.filter(pk=referral.pk).update(shared_contact="none")
    detail = reverse("partners:referral_detail", args=[referral.pk])

    body = client.get(detail).content.decode()
    assert SHARED["need"] in body
    assert leaked(body) == []

    Referral.objects.filter(pk=referral.pk).update(
        shared_contact="phone", consent_withdrawn_at=timezone.now()
    )
    assert client.get(detail).status_code == 404
    for name in ("partners:referral_inbox", "partners:home"):
        body = client.get(reverse(name)).content.decode()
        assert leaked(body) == []
        assert FIRST_NAME not in body
        assert SHARED["need"] not in body
