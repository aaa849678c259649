import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ankommen.accounts.models import User
from ankommen.accounts.services import invite_code_for
from ankommen.vocabulary.models import District, Language, Theme
from tests.factories import HoursEntryFactory, VolunteerFactory
from volunteers.availability import slot
from volunteers.models import HoursEntry, Stage, Volunteer, VolunteerConsent

pytestmark = pytest.mark.django_db


def test_a_new_volunteer_registers_through_an_invite_and_completes_the_wizard(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    multiplier = VolunteerFactory(user__full_name="Greta Multiplikatorin")
    client.get(f"/de/accounts/invite/{invite_code_for(multiplier.user)}/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/de/accounts/signup/",
            {
                "full_name": "Omid Ahmadi",
                "email": "omid@example.org",
                "password1": "ein-langes-passwort-9",
                "password2": "ein-langes-passwort-9",
            },
        )
    link = re.search(r"https?://\S+/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    confirmed = client.post("/" + link.split("//", 1)[1].split("/", 1)[1])
    assert confirmed["Location"] == "/de/volunteers/me/start/"

    refused = client.post("/de/volunteers/me/start/", {})
    assert refused.status_code == 200
    assert not Volunteer.objects.filter(user__email="omid@example.org").exists()
    client.post("/de/volunteers/me/start/", {"agree": "on"})
    client.post(
        "/de/volunteers/me/profile/1/",
        {
            "full_name": "Omid Ahmadi",
            "phone": "0511 1234567",
            "district": District.objects.get(slug="linden-limmer").pk,
            "gender": "male",
        },
    )
    farsi, german = Language.objects.get(code="fa"), Language.objects.get(code="de")
    client.post(
        "/de/volunteers/me/profile/2/",
        {
            "languages-TOTAL_FORMS": "3",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": farsi.pk,
            "languages-0-level": "native",
            "languages-1-language": german.pk,
            "languages-1-level": "fluent",
        },
    )
    client.post(
        "/de/volunteers/me/profile/3/",
        {
            "roles": ["mentor", "language_mediator"],
            "themes": [Theme.objects.get(slug="housing").pk],
            "skills": "Fahrradreparatur",
            "age_preferences": ["young_adults", "seniors"],
            "max_mentorships": "2",
            "hours_per_month": "8",
        },
    )
    done = client.post(
        "/de/volunteers/me/profile/4/", {"slots": [str(slot(0, 2)), str(slot(5, 0))]}
    )

    volunteer = Volunteer.objects.get(user__email="omid@example.org")
    assert done["Location"] == "/de/volunteers/me/"
    assert volunteer.user.referred_by == multiplier.user
    assert volunteer.phone == "+495111234567"
    assert volunteer.district.slug == "linden-limmer"
    assert dict(volunteer.languages.values_list("language__code", "level")) == {
        "fa": "native",
        "de": "fluent",
    }
    assert volunteer.wants_mentor
    assert volunteer.wants_language_mediator
    assert volunteer.age_preferences == ["young_adults", "seniors"]
    assert not volunteer.wants_trainer
    assert volunteer.availability == (1 << slot(0, 2)) | (1 << slot(5, 0))
    assert volunteer.profile_completed_at is not None
    assert VolunteerConsent.objects.filter(volunteer=volunteer).count() == 1
    assert "Omid Ahmadi" in client.get("/de/volunteers/me/").content.decode()


def test_the_wizard_resumes_where_the_volunteer_stopped(client):
    volunteer = VolunteerFactory(wizard_step=2, profile_completed_at=None)
    client.force_login(volunteer.user)

    assert client.get("/de/volunteers/me/")["Location"] == "/de/volunteers/me/profile/3/"
    assert client.get("/de/volunteers/me/profile/4/")["Location"] == "/de/volunteers/me/profile/3/"


def test_bad_wizard_input_keeps_the_entries_and_explains(client):
    volunteer = VolunteerFactory(wizard_step=0, profile_completed_at=None)
    client.force_login(volunteer.user)

    response = client.post(
        "/de/volunteers/me/profile/1/", {"full_name": "Omid", "phone": "12ab", "gender": "x"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"phone", "gender"}
    assert 'value="12ab"' in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.phone == ""


def test_a_language_listed_twice_is_refused(client):
    volunteer = VolunteerFactory(wizard_step=1, profile_completed_at=None)
    client.force_login(volunteer.user)
    arabic = Language.objects.get(code="ar").pk

    response = client.post(
        "/de/volunteers/me/profile/2/",
        {
            "languages-TOTAL_FORMS": "2",
            "languages-INITIAL_FORMS": "0",
            "languages-0-language": arabic,
            "languages-0-level": "native",
            "languages-1-language": arabic,
            "languages-1-level": "basic",
        },
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()


def test_a_volunteer_pauses_resumes_and_withdraws_from_their_page(client):
    volunteer = VolunteerFactory(stage=Stage.READY)
    client.force_login(volunteer.user)

    client.post("/de/volunteers/me/pause/")
    assert Volunteer.objects.get().stage == Stage.PAUSED
    client.post("/de/volunteers/me/resume/")
    assert Volunteer.objects.get().stage == Stage.READY
    client.post("/de/volunteers/me/withdraw/", {"reason": "Keine Zeit mehr"})

    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.WITHDRAWN
    assert volunteer.withdrawal_reason == "Keine Zeit mehr"


def test_the_certificate_is_a_pdf_with_name_and_approved_hours(client):
    volunteer = VolunteerFactory(user__full_name="Olena Kovalenko")
    HoursEntryFactory(volunteer=volunteer, hours=Decimal("3.5"), state=HoursEntry.State.APPROVED)
    HoursEntryFactory(volunteer=volunteer, hours=Decimal("2"), state=HoursEntry.State.APPROVED)
    HoursEntryFactory(volunteer=volunteer, hours=Decimal("9"), state=HoursEntry.State.SUBMITTED)
    client.force_login(volunteer.user)

    response = client.get("/en/volunteers/me/certificate.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Olena Kovalenko" in text
    assert "5.50" in text
    assert "9.00" not in text


def test_volunteers_log_hours_and_coordinators_correct_and_approve_them(client, coordinator):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    client.post(
        "/de/volunteers/me/hours/", {"worked_on": "2026-11-02", "hours": "4", "note": "Umzug"}
    )
    entry = HoursEntry.objects.get()
    client.force_login(coordinator)

    listed = client.get(reverse("volunteers:hours_review")).content.decode()
    client.post(
        reverse("volunteers:hours_decide", args=[entry.pk]), {"decision": "approve", "hours": "3"}
    )

    entry.refresh_from_db()
    assert volunteer.user.full_name in listed
    assert (entry.state, entry.hours, entry.hours_submitted) == (
        HoursEntry.State.APPROVED,
        Decimal("3.00"),
        Decimal("4.00"),
    )


def test_a_volunteer_cannot_remove_someone_elses_hours(client):
    other = HoursEntryFactory()
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)

    response = client.post(f"/de/volunteers/me/hours/{other.pk}/delete/")

    assert response.status_code == 404
    assert HoursEntry.objects.filter(pk=other.pk).exists()


def test_a_volunteer_reaches_only_their_own_profile_and_not_the_card_file(client):
    me, someone = VolunteerFactory(), VolunteerFactory(user__full_name="Someone Else")
    client.force_login(me.user)

    assert client.get(reverse("volunteers:card_file")).status_code == 403
    assert client.get(reverse("volunteers:volunteer_detail", args=[someone.pk])).status_code == 403
    assert "Someone Else" not in client.get("/de/volunteers/me/").content.decode()


def test_anonymous_people_are_sent_to_login(client):
    for url in ("/de/volunteers/", "/de/volunteers/me/", "/de/volunteers/export.csv"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_coordinator_moves_a_stage_and_an_illegal_move_is_explained(client, coordinator):
    volunteer = VolunteerFactory(stage=Stage.APPLIED)
    client.force_login(coordinator)
    url = f"/en/volunteers/{volunteer.pk}/stage/"

    illegal = client.post(url, {"to_stage": Stage.ACTIVE}, follow=True)
    client.post(url, {"to_stage": Stage.CONVERSATION_DONE, "reason": "Gutes Gespräch"})

    assert "A volunteer cannot go from “Applied” to “Active”." in illegal.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.CONVERSATION_DONE


def test_bulk_move_reports_who_could_not_be_moved(client, coordinator):
    ready = VolunteerFactory(stage=Stage.READY, user__full_name="Ready One")
    applied = VolunteerFactory(stage=Stage.APPLIED, user__full_name="Applied One")
    client.force_login(coordinator)

    summary = client.post(
        "/en/volunteers/bulk/",
        {"volunteers": [ready.pk, applied.pk], "action": "move_stage", "to_stage": "active"},
        follow=True,
    )
    response = client.post(
        "/en/volunteers/bulk/move/",
        {"volunteers": [ready.pk, applied.pk], "to_stage": "active"},
        follow=True,
    )

    assert "Applied One: A volunteer cannot go from “Applied” to “Active”." in (
        summary.content.decode()
    )
    html = response.content.decode()
    assert "1 volunteer moved." in html
    assert "Applied One" in html
    assert Volunteer.objects.get(pk=ready.pk).stage == Stage.ACTIVE
    assert Volunteer.objects.get(pk=applied.pk).stage == Stage.APPLIED


def test_bulk_action_without_selection_is_answered_with_a_message(client, coordinator):
    client.force_login(coordinator)

    response = client.post("/en/volunteers/bulk/", {"action": "move_stage"}, follow=True)

    assert "Please select at least one volunteer." in response.content.decode()


def test_coordinators_record_clearance_and_notes_on_the_detail_page(client, coordinator):
    volunteer = VolunteerFactory()
    client.force_login(coordinator)

    client.post(
        reverse("volunteers:volunteer_record_clearance", args=[volunteer.pk]),
        {"seen_on": "2026-11-01", "issued_on": "2026-10-20", "valid_until": "2031-10-20"},
    )
    client.post(reverse("volunteers:volunteer_add_note", args=[volunteer.pk]), {"text": "Ruft an"})
    html = client.get(volunteer.get_absolute_url()).content.decode()

    assert volunteer.clearance_checks.get().checked_by == coordinator
    assert "Ruft an" in html


def _many_volunteers(count):
    User.objects.bulk_create(
        [User(email=f"v{number}@example.org", full_name=f"V {number}") for number in range(count)]
    )
    users = list(User.objects.filter(email__startswith="v", email__endswith="@example.org"))
    Volunteer.objects.bulk_create([Volunteer(user=user, wizard_step=4) for user in users])
    german = Language.objects.get(code="de")
    volunteers = list(Volunteer.objects.all())
    Volunteer.languages.rel.related_model.objects.bulk_create(
        [
            Volunteer.languages.rel.related_model(volunteer=v, language=german, level="native")
            for v in volunteers
        ]
    )
    theme = Theme.objects.first()
    Volunteer.themes.through.objects.bulk_create(
        [Volunteer.themes.through(volunteer_id=v.pk, theme_id=theme.pk) for v in volunteers]
    )
    return volunteers


@pytest.mark.parametrize("count", [100, 2000])
def test_card_file_and_detail_use_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries, count
):
    volunteers = _many_volunteers(count)
    client.force_login(coordinator)

    # The first request also renders and caches the filters and the bulk chooser.
    with django_assert_max_num_queries(30):
        client.get("/de/volunteers/", {"stage": "applied", "ordering": "name"})
    with django_assert_max_num_queries(10):
        client.get("/de/volunteers/", {"stage": "applied", "ordering": "name"})
    with django_assert_max_num_queries(18):
        client.get(volunteers[-1].get_absolute_url())


def test_the_certificate_is_german_for_arabic_readers_and_handles_arabic_names(client):
    volunteer = VolunteerFactory(user__full_name="أمينة حداد", user__preferred_language="ar")
    HoursEntryFactory(volunteer=volunteer, hours=Decimal("2"), state=HoursEntry.State.APPROVED)
    client.force_login(volunteer.user)

    response = client.get("/ar/volunteers/me/certificate.pdf")

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Engagementnachweis" in text
    assert response.status_code == 200
