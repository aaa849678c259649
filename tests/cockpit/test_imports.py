"""Imports: a broken file reports every bad row and writes nothing; a correct one imports."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse
from openpyxl import Workbook

from ankommen.accounts.models import User
from ankommen.audit.models import AuditEvent
from cockpit.imports.services import (
    ImportRefusedError,
    check_import,
    confirm_import,
    run_import,
    start_import,
)
from cockpit.models import ImportJob
from refugees.models import Newcomer
from tests.factories import ImportJobFactory, NewcomerFactory, UserFactory
from volunteers.models import Volunteer
from workgroups.models import Partner

pytestmark = pytest.mark.django_db

BROKEN = (
    b"email;full_name;languages;district\n"
    b"ok@example.org;Olga Gut;uk:native, de:fluent;linden-limmer\n"  # 2: fine
    b"not-an-address;Bad Mail;ar;\n"  # 3: bad e-mail
    b"lang@example.org;Unknown Language;xx:native;\n"  # 4: unknown language code
    b"taken@example.org;Already There;de;\n"  # 5: e-mail already in the portal
    b"OK@example.org;Same Again;de;\n"  # 6: same as row 2
    b"short@example.org\n"  # 7: a missing column value (full_name)
) + "latin@example.org;J\xfcrgen Kr\xe4mer;de;\n".encode("latin-1")  # 8: not UTF-8

GOOD = (
    "\ufeffemail,full_name,phone,languages,district,heard_via\n"
    "amal@example.org,Amal Nasser,0511 1234567,ar:native de,mitte,press\n"
    "jonas@example.org,Jonas Berg,,de,,\n"
)


def job_for(kind, name, content, user=None):
    user = user or UserFactory(role="coordinator")
    return ImportJobFactory(
        kind=kind, file_name=name, content=content, started_by=user, state="checking"
    )


def problems(job):
    return {problem["row"]: " ".join(problem["errors"]) for problem in job.errors}


def test_a_broken_file_reports_every_bad_row_and_writes_nothing():
    UserFactory(email="taken@example.org")
    job = job_for("volunteers", "helpers.csv", BROKEN)
    people_before = User.objects.count()

    job = check_import(job=job)

    found = problems(job)
    assert sorted(found) == [3, 4, 5, 6, 7, 8]
    assert "xx" in found[4]
    assert "row 2" in found[6] or "Zeile 2" in found[6]
    assert "UTF-8" in found[8]
    assert job.state == "checked"
    assert User.objects.count() == people_before
    with pytest.raises(ImportRefusedError):
        confirm_import(job=job)
    assert User.objects.count() == people_before
    assert job.content == b""


def test_a_file_without_a_required_column_is_refused_as_a_whole():
    job = check_import(job=job_for("volunteers", "helpers.csv", b"full_name\nOlga\n"))

    assert job.state == "failed"
    assert list(problems(job)) == [0]
    assert "email" in problems(job)[0]


@pytest.mark.parametrize(
    ("name", "content"),
    [("helpers.pdf", b"%PDF-1.4"), ("helpers.xlsx", b"not a zip"), ("helpers.csv", b"")],
)
def test_unreadable_files_get_a_message(name, content):
    job = check_import(job=job_for("volunteers", name, content))

    assert job.state == "failed"
    assert problems(job)[0]


def test_a_correct_file_is_checked_then_imported(django_capture_on_commit_callbacks):
    job = check_import(job=job_for("volunteers", "helpers.csv", GOOD.encode()))
    assert (job.state, job.errors, len(job.preview)) == ("checked", [], 2)
    assert not Volunteer.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirm_import(job=job)

    job.refresh_from_db()
    assert (job.state, job.created_count) == ("done", 2)
    amal = Volunteer.objects.get(user__email="amal@example.org")
    assert amal.phone == "+495111234567"
    assert amal.district.slug == "mitte"
    assert amal.user.heard_via == "press"
    assert sorted(amal.languages.values_list("language__code", "level")) == [
        ("ar", "native"),
        ("de", "conversational"),
    ]
    assert not amal.user.has_usable_password()


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_newcomers_from_excel_with_consent_and_duplicates_by_name_and_birth_year():
    NewcomerFactory(full_name="Samir Haddad", birth_year=1990)
    rows = [
        ["full_name", "consent_on", "birth_year", "languages", "preferred_language"],
        ["Samir Haddad", "2026-11-01", 1990, "ar", "ar"],
        ["Lina Haddad", "2026-11-01", 1992, "ar:native", "ar"],
        ["Lina Haddad", "2026-11-02", 1992, "ar", "ar"],
        ["Noor", "", 2030, "ar", "xx"],
    ]
    job = check_import(job=job_for("newcomers", "families.xlsx", xlsx(rows)))

    found = problems(job)
    assert sorted(found) == [2, 4, 5]
    assert "consent_on" in found[5]
    assert "birth_year" in found[5]
    assert "preferred_language" in found[5]

    fixed = check_import(job=job_for("newcomers", "families.xlsx", xlsx(rows[:1] + rows[2:3])))
    confirm_import(job=fixed)
    run_import(job=ImportJob.objects.get(pk=fixed.pk))
    lina = Newcomer.objects.get(full_name="Lina Haddad")
    assert lina.consents.get().purpose == "record"
    assert lina.languages.get().language.code == "ar"


def test_partners_are_imported_with_districts_and_themes():
    content = (
        b"name;kind;contact_email;districts;themes\n"
        b"Caritas Hannover;counselling;info@caritas.example;mitte,linden-limmer;housing\n"
        b"Stadtbibliothek;municipality;;;learning-german\n"
    )
    job = check_import(job=job_for("partners", "partners.csv", content))
    assert job.errors == []

    confirm_import(job=job)
    run_import(job=ImportJob.objects.get(pk=job.pk))

    caritas = Partner.objects.get(name="Caritas Hannover")
    assert sorted(caritas.districts.values_list("slug", flat=True)) == ["linden-limmer", "mitte"]
    assert list(caritas.themes.values_list("slug", flat=True)) == ["housing"]


def test_coordinators_upload_preview_and_confirm_in_the_browser(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(role="coordinator"))
    upload = SimpleUploadedFile("helpers.csv", GOOD.encode(), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("cockpit:import_start"), {"kind": "volunteers", "file": upload}
        )
    job = ImportJob.objects.get()
    page = client.get(started["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cockpit:import_confirm", args=[job.pk]))

    assert "amal@example.org" in page
    assert Volunteer.objects.count() == 2
    refused = client.post(reverse("cockpit:import_start"), {"kind": "volunteers"})
    assert refused.status_code == 400


def test_the_template_has_the_columns(client):
    client.force_login(UserFactory(role="coordinator"))

    response = client.get(reverse("cockpit:import_template", args=["newcomers"]))

    assert response.content.decode("utf-8-sig").startswith("full_name;consent_on;")


def test_a_volunteer_cannot_import(client):
    client.force_login(UserFactory(role="volunteer"))
    upload = SimpleUploadedFile("helpers.csv", GOOD.encode(), content_type="text/csv")

    response = client.post(reverse("cockpit:import_start"), {"kind": "volunteers", "file": upload})

    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_start_import_keeps_the_file_only_until_checked(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(
            by=UserFactory(role="coordinator"),
            kind="volunteers",
            file_name="x.csv",
            content=BROKEN,
        )

    job.refresh_from_db()
    assert job.state == "checked"
    assert bytes(job.content) == b""


def test_an_import_in_the_worker_records_the_stage_change_and_who_started_it(
    django_capture_on_commit_callbacks,
):
    coordinator = UserFactory(role="coordinator")
    job = check_import(job=job_for("volunteers", "helpers.csv", GOOD.encode(), user=coordinator))

    with django_capture_on_commit_callbacks(execute=True):
        confirm_import(job=job)  # the worker writes the rows: no request, nobody signed in

    amal = Volunteer.objects.get(user__email="amal@example.org")
    change = amal.stage_changes.get()
    assert (change.to_stage, change.changed_by) == ("applied", coordinator)
    trail = AuditEvent.objects.filter(
        Q(subject_type="volunteer", subject_id=amal.pk)
        | Q(subject_type="user", subject_id=amal.user_id)
    )
    assert sorted(trail.values_list("subject_type", "action", "actor_id")) == [
        ("user", "create", coordinator.pk),
        ("volunteer", "create", coordinator.pk),
    ]
