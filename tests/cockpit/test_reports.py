"""The funders' report: numbers from a hand-built year, and nobody's name or contact in it."""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from cockpit.checks import organisation_logo_exists
from cockpit.reports import build_report
from matching.models import Mentorship
from tests.factories import (
    HoursEntryFactory,
    MentorshipFactory,
    NeedFactory,
    NewcomerFactory,
    OfferFactory,
    PartnerFactory,
    ReferralFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
    VolunteerFactory,
)
from workgroups.models import Referral

pytestmark = pytest.mark.django_db
START, END = date(2025, 1, 1), date(2025, 12, 31)
SECRET_NAMES = ("Yasmin Canary-Haddad", "Friedrich Canary-Vogel")
SECRET_CONTACTS = ("+49 511 999 1234", "canary@example.org")


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=10)))


@pytest.fixture
def year():
    helper = VolunteerFactory(
        stage="active",
        user__full_name=SECRET_NAMES[1],
        user__email=SECRET_CONTACTS[1],
        phone=SECRET_CONTACTS[0],
    )
    quiet = VolunteerFactory(stage="ready")
    trainee = VolunteerFactory(stage="trained")
    HoursEntryFactory(
        volunteer=helper, worked_on=date(2025, 3, 1), hours=Decimal("4"), state="approved"
    )
    HoursEntryFactory(
        volunteer=helper, worked_on=date(2024, 12, 31), hours=Decimal("9"), state="approved"
    )
    HoursEntryFactory(
        volunteer=quiet, worked_on=date(2025, 5, 1), hours=Decimal("2"), state="submitted"
    )
    newcomer = NewcomerFactory(full_name=SECRET_NAMES[0], phone=SECRET_CONTACTS[0])
    NeedFactory(newcomer=newcomer)
    other = NewcomerFactory(district=None)
    ran = MentorshipFactory(volunteer=helper, newcomer=newcomer, state="ended")
    Mentorship.objects.filter(pk=ran.pk).update(
        created_at=aware(date(2025, 2, 1)),
        state_changed_at=aware(date(2025, 10, 1)),
        end_reason="goal_reached",
    )
    MentorshipFactory(volunteer=quiet, newcomer=other, state="proposed")
    session = SessionFactory(starts_at=aware(date(2025, 6, 1)), capacity=12)
    RegistrationFactory(session=session, user=trainee.user, state="confirmed", attended=True)
    RegistrationFactory(session=session, newcomer=other, state="confirmed", attended=True)
    SessionFactory(starts_at=aware(date(2025, 7, 1)), status="cancelled")
    partner = PartnerFactory(name="Caritas", kind="counselling")
    offer = OfferFactory(partner=partner, title="Beratung", theme_id=newcomer.needs.get().theme_id)
    referral = ReferralFactory(newcomer=newcomer, offer=offer, consent_on=date(2025, 4, 1))
    Referral.objects.filter(pk=referral.pk).update(created_at=aware(date(2025, 4, 1)))
    return helper


def values(report, section_index):
    return [line.value for line in report.sections[section_index].lines]


def test_the_report_counts_what_happened_in_the_period(year):
    report = build_report(START, END)

    volunteers, hours, trainings, mentorships, reached, _themes, referrals = report.sections
    # Active: the helper (hours, mentorship) and the trainee (attended); none registered in 2025.
    assert [line.value for line in volunteers.lines] == [2, 0, 0]
    assert hours.lines[0].value == Decimal("4")
    assert [line.value for line in trainings.lines] == [1, 12, 2, 1, 1]
    assert [line.value for line in mentorships.lines][:3] == [1, 1, 1]
    goal = next(
        line for line in mentorships.lines if "Goal reached" in line.label or "Ziel" in line.label
    )
    assert goal.value == 1
    # The matched newcomer (mentorship, referral) and the one who attended a training.
    assert reached.lines[0].value == 2
    assert referrals.lines[0].value == 1


def test_a_period_before_everything_is_all_zeros(year):
    report = build_report(date(2020, 1, 1), date(2020, 12, 31))

    assert all(line.value == 0 for section in report.sections for line in section.lines[:1])


@pytest.mark.parametrize("file_format", ["csv", "pdf", ""])
def test_no_name_or_contact_ever_appears_in_a_report(client, year, file_format):
    client.force_login(UserFactory(role="coordinator"))

    response = client.get(
        reverse("cockpit:report"),
        {"start": "2025-01-01", "end": "2025-12-31", "format": file_format},
    )

    assert response.status_code == 200
    body = response.content
    for secret in (*SECRET_NAMES, *SECRET_CONTACTS, "Canary"):
        assert secret.encode() not in body
    if file_format == "pdf":
        assert body.startswith(b"%PDF")
    if file_format == "csv":
        assert body.decode().count("\n") > 20


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-12-31", "end": "2025-01-01"},
        {"start": "not a date", "end": "2025-01-01"},
        {"start": "1900-01-01", "end": "2025-01-01"},
        {"start": "2025-01-01"},
    ],
)
def test_bad_periods_get_a_message_not_an_error(client, params):
    client.force_login(UserFactory(role="coordinator"))

    response = client.get(reverse("cockpit:report"), {**params, "format": "pdf"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_the_default_is_the_year_so_far(client):
    client.force_login(UserFactory(role="coordinator"))

    report = client.get(reverse("cockpit:report")).context["report"]

    assert report.start == timezone.localdate().replace(month=1, day=1)
    assert report.end - report.start < timedelta(days=366)


def _pdf(client, **params):
    client.force_login(UserFactory(role="coordinator"))
    response = client.get(
        reverse("cockpit:report"), {"start": "2025-01-01", "end": "2025-12-31", "format": "pdf"}
    )
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def test_the_pdf_is_headed_by_the_organisation_from_the_settings(client, settings):
    settings.ORGANISATION_NAME = "Integrationsnetz Hannover-Süd e. V."

    pdf = _pdf(client)

    text = "".join(page.extract_text() for page in pdf.pages)
    assert text.index("Integrationsnetz Hannover-Süd e. V.") < text.index("Bilanz vom")
    assert "von Integrationsnetz Hannover-Süd e. V." in text  # who issued it, at the bottom
    assert not pdf.pages[0].images


def test_the_pdf_carries_the_organisations_logo_when_one_is_set(client, settings, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), "darkgreen").save(logo)
    settings.ORGANISATION_NAME = "Integrationsnetz Hannover-Süd e. V."
    settings.ORGANISATION_LOGO = str(logo)

    pdf = _pdf(client)

    [image] = pdf.pages[0].images
    assert image.image.size == (300, 100)
    assert "Integrationsnetz Hannover-Süd e. V." in pdf.pages[0].extract_text()


def test_a_logo_that_cannot_be_read_leaves_the_report_without_it(client, settings, tmp_path):
    broken = tmp_path / "logo.png"
    broken.write_bytes(b"not an image")
    settings.ORGANISATION_LOGO = str(broken)

    pdf = _pdf(client)

    assert not pdf.pages[0].images
    assert settings.ORGANISATION_NAME in pdf.pages[0].extract_text()


def test_check_warns_about_a_logo_that_is_not_there(settings, tmp_path):
    settings.ORGANISATION_LOGO = str(tmp_path / "missing.png")

    [warning] = organisation_logo_exists()

    assert warning.id == "cockpit.W001"
    settings.ORGANISATION_LOGO = ""
    assert organisation_logo_exists() == []
