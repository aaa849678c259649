"""Every page, export and admin view that shows a person's sensitive fields records the read.

The crawl plants markers in a newcomer's and a volunteer's sensitive fields, then requests every
URL of the portal and every admin list and change page as an administrator (who may see all of
them). A page that shows a marker must have written a read (or export) entry for that person
during the same request: a new view that shows the data without recording it fails here.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from ankommen.audit.models import AuditEvent
from ankommen.vocabulary.models import Language, Theme
from matching.models import Mentorship
from refugees.models import Newcomer
from tests.factories import (
    CheckInFactory,
    ClearanceCheckFactory,
    CoordinatorNoteFactory,
    MediatorRequestFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    ReferralFactory,
    UserFactory,
    VolunteerFactory,
)
from tests.test_canary import SECRETS, canary, leaked  # noqa: F401 (the fixture)
from tests.test_url_policy import URL_NAMES, _url, objects  # noqa: F401 (the fixture)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

NEWCOMER_MARKERS = {
    **{name: value for name, value in SECRETS.items() if name != "surname"},
    "check_in": "CANARY-CHECK-IN-NOTE",
    "referral": "CANARY-REFERRAL-NOTE",
    "mediation": "CANARY-MEDIATION-TOPIC",
}
VOLUNTEER_MARKERS = {"phone": "+4915199990000", "note": "CANARY-VOLUNTEER-NOTE"}


@pytest.fixture
def marked(canary):  # noqa: F811 (pytest fixture from test_canary)
    newcomer = Newcomer.objects.get(pk=canary["refugees"]["pk"])
    mentorship = Mentorship.objects.get(newcomer=newcomer)
    CheckInFactory(
        mentorship=mentorship,
        due_on=timezone.localdate(),
        token_hash="0" * 64,
        answer="help",
        note=NEWCOMER_MARKERS["check_in"],
    )
    partner = PartnerFactory(name="Beratung", kind="counselling")
    offer = OfferFactory(
        partner=partner, title="Sprechstunde", theme=Theme.objects.get(slug="health")
    )
    ReferralFactory(
        newcomer=newcomer,
        offer=offer,
        consent_on=timezone.localdate(),
        consent_language="de",
        note=NEWCOMER_MARKERS["referral"],
    )
    MediatorRequestFactory(
        language=Language.objects.get(code="ar"),
        other_language=Language.objects.get(code="de"),
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        place="Rathaus",
        topic=NEWCOMER_MARKERS["mediation"],
        newcomer=newcomer,
    )
    volunteer = Volunteer.objects.get(pk=canary["volunteers"]["pk"])
    Volunteer.objects.filter(pk=volunteer.pk).update(phone=VOLUNTEER_MARKERS["phone"])
    CoordinatorNoteFactory(volunteer=volunteer, text=VOLUNTEER_MARKERS["note"])
    ClearanceCheckFactory(
        volunteer=volunteer,
        seen_on=timezone.localdate(),
        issued_on=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=900),
    )
    return {"newcomer": newcomer, "volunteer": volunteer, "objects": canary}


def _admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.extend(
            reverse("admin:{}_{}_change".format(*info), args=[pk])
            for pk in model._default_manager.values_list("pk", flat=True)[:100]
        )
    return urls


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _shown(body: str, markers: dict[str, str]) -> list[str]:
    return [name for name, value in markers.items() if value in body]


def test_every_page_that_shows_a_persons_sensitive_fields_records_the_read(client, marked):
    staff = UserFactory(admin=True)
    client.force_login(staff)
    people = {
        ("newcomer", marked["newcomer"].pk): NEWCOMER_MARKERS,
        ("volunteer", marked["volunteer"].pk): VOLUNTEER_MARKERS,
    }
    urls = [_url(name, marked["objects"]) for name in URL_NAMES] + _admin_urls()
    showing, unrecorded = [], []

    for url in urls:
        before = _last_event_id()
        response = client.get(url, headers={"accept-language": "de"})
        body = (response.getvalue() if response.streaming else response.content).decode(
            errors="replace"
        )
        recorded = set(
            AuditEvent.objects.filter(
                pk__gt=before, action__in=["read", "export"], actor_id=staff.pk
            ).values_list("subject_type", "subject_id")
        )
        for person, markers in people.items():
            if _shown(body, markers):
                showing.append(url)
                if person not in recorded:
                    unrecorded.append((url, person[0], _shown(body, markers)))

    # The control: the crawl reaches the portal's pages and the admin's.
    assert any("/admin/" in url for url in showing)
    assert any("/admin/" not in url for url in showing)
    assert unrecorded == []


def test_the_newcomer_edit_page_records_a_read(client, coordinator):
    newcomer = NewcomerFactory()
    client.force_login(coordinator)

    client.get(reverse("refugees:newcomer_edit", args=[newcomer.pk]))

    read = AuditEvent.objects.get(action="read", subject_type="newcomer", subject_id=newcomer.pk)
    assert read.actor_id == coordinator.pk
    assert read.details == {"via": "refugees:newcomer_edit"}


def _reads_of(people):
    return sorted(
        AuditEvent.objects.filter(
            action="read", subject_type="newcomer", subject_id__in=[p.pk for p in people]
        ).values_list("subject_id", flat=True)
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_filtered_by_residence_status_records_each_newcomer_shown_in_one_statement(
    client, coordinator, django_assert_max_num_queries, count
):
    tolerated = [NewcomerFactory(residence_status="tolerated") for _ in range(count)]
    others = [NewcomerFactory(residence_status="recognised") for _ in range(3)]
    client.force_login(coordinator)
    filtered = {"residence_status": "tolerated"}
    client.get(reverse("refugees:newcomer_list"), filtered)  # renders and caches the filters

    with django_assert_max_num_queries(10):
        response = client.get(reverse("refugees:newcomer_list"), filtered)

    assert response.status_code == 200
    assert _reads_of(tolerated) == sorted(2 * [p.pk for p in tolerated])
    assert _reads_of(others) == []


def test_the_unfiltered_list_shows_no_sensitive_field_and_records_no_read(client, coordinator):
    """Name, household, languages, district, waiting time and the themes of open needs."""
    newcomers = [NewcomerFactory(residence_status="tolerated") for _ in range(3)]
    client.force_login(coordinator)

    client.get(reverse("refugees:newcomer_list"), {"district": ""})

    assert _reads_of(newcomers) == []


def test_the_card_file_records_each_volunteer_shown_for_its_police_clearance_column(
    client, coordinator
):
    volunteers = [VolunteerFactory() for _ in range(3)]
    client.force_login(coordinator)

    client.get(reverse("volunteers:card_file"))

    read = AuditEvent.objects.filter(
        action="read", subject_type="volunteer", actor_id=coordinator.pk
    )
    assert sorted(read.values_list("subject_id", flat=True)) == sorted(v.pk for v in volunteers)


def test_the_admin_change_page_records_a_read_and_a_list_filtered_on_a_sensitive_field_too(
    client, admin_user
):
    newcomer = NewcomerFactory(residence_status="tolerated")
    other = NewcomerFactory(residence_status="recognised")
    client.force_login(admin_user)

    client.get(reverse("admin:refugees_newcomer_change", args=[newcomer.pk]))
    assert _reads_of([newcomer]) == [newcomer.pk]

    client.get(reverse("admin:refugees_newcomer_changelist"))
    assert _reads_of([newcomer, other]) == [newcomer.pk]

    client.get(
        reverse("admin:refugees_newcomer_changelist"), {"residence_status__exact": "tolerated"}
    )
    assert _reads_of([newcomer, other]) == [newcomer.pk, newcomer.pk]


def test_the_admin_list_of_clearances_records_each_volunteer_shown(client, admin_user):
    volunteer = VolunteerFactory()
    ClearanceCheckFactory(
        volunteer=volunteer,
        seen_on=timezone.localdate(),
        issued_on=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=900),
    )
    client.force_login(admin_user)

    client.get(reverse("admin:volunteers_clearancecheck_changelist"))

    read = AuditEvent.objects.get(action="read", subject_type="volunteer")
    assert (read.subject_id, read.actor_id) == (volunteer.pk, admin_user.pk)
