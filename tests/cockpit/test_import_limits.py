"""Imports stay bounded by what a file really holds, whatever it claims; a file that stops the
worker is not handed out forever.

The hostile files are built here: a minimal .xlsx is a zip of five XML parts. The old reader
needed gigabytes for some of them, so every upload runs under a memory ceiling and is measured.
"""

import io
import resource
import tracemalloc
import zipfile
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from ankommen.accounts.models import User
from cockpit.imports.services import check_import
from cockpit.models import ImportJob
from cockpit.tasks import check_import_task, fail_stuck_imports_task
from tests.factories import ImportJobFactory, UserFactory

pytestmark = pytest.mark.django_db

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
        f'Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
HEADER = '<row r="1">{}{}</row>'


def cell(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


SHARED_TEXTS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def xlsx(rows, dimension="A1:XFD1048576", shared_texts=None):
    """A workbook whose first sheet claims `dimension`, whatever its rows hold."""
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{HEADER.format(cell('A1', 'email'), cell('B1', 'full_name'))}{rows}"
        "</sheetData></worksheet>"
    )
    parts = {**PARTS, "xl/worksheets/sheet1.xml": sheet}
    if shared_texts is not None:
        texts = "".join(f"<si><t>{text}</t></si>" for text in shared_texts)
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{texts}</sst>'
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            "</Types>", f"{SHARED_TEXTS_TYPE}</Types>"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def people(count):
    return "".join(
        f'<row r="{n}">{cell(f"A{n}", f"p{n}@example.org")}{cell(f"B{n}", f"Person {n}")}</row>'
        for n in range(2, count + 2)
    )


LYING_DIMENSION = xlsx(people(1000))
FAR_CELL = xlsx(f'<row r="1048576">{cell("XFD1048576", "x")}</row>')
FAR_COLUMN = xlsx(f'<row r="2">{cell("A2", "a@example.org")}{cell("XFD2", "x")}</row>')
# 100 MB of one letter in one cell packs to about 100 KB.
SHEET_BOMB = xlsx(f'<row r="2">{cell("A2", "a" * 100_000_000)}</row>', dimension="A1:B2")
# 4,100 cells refer to one shared text of 4,999 characters: 20.5 million characters in 30 KB.
MUCH_TEXT = xlsx(
    "".join(f'<row r="{n}"><c r="B{n}" t="s"><v>0</v></c></row>' for n in range(2, 4102)),
    dimension="A1:B4101",
    shared_texts=["a" * 4999],
)
LONG_VALUE = xlsx(f'<row r="2">{cell("A2", "a@example.org")}{cell("B2", "b" * 6000)}</row>')

REFUSED = {
    "far cell": (FAR_CELL, "The file has more than 20,000 rows. Please split it.", {}),
    "far column": (
        FAR_COLUMN,
        "The file has values in more than %(count)s columns. "
        "Please remove the columns you do not import.",
        {"count": 50},
    ),
    "zip bomb": (
        SHEET_BOMB,
        "The Excel file unpacks to more than %(size)s MB. Please split it.",
        {"size": 50},
    ),
    "much text": (
        MUCH_TEXT,
        "The file holds more text than one import can check. Please split it.",
        {},
    ),
    "long value": (
        LONG_VALUE,
        "Row %(row)s has a value longer than %(count)s characters. Please shorten it.",
        {"row": 2, "count": "5.000"},
    ),
}


@contextmanager
def memory_ceiling():
    """About 1 GB more than this process holds, for the length of the block."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    in_use = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    ceiling = in_use + 1024**3
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def upload(client, content, django_capture_on_commit_callbacks):
    """The coordinator's upload, checked by the task at once under a memory ceiling (a
    MemoryError here rather than a machine that swaps); returns the peak in bytes."""
    file = SimpleUploadedFile("helpers.xlsx", content)
    assert client.get(reverse("cockpit:import_start")).status_code == 200
    tracemalloc.start()
    try:
        with memory_ceiling(), django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("cockpit:import_start"), {"kind": "volunteers", "file": file}
            )
    except MemoryError:
        response = None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert response is not None, "checking the file took more than 1 GB"
    assert response.status_code == 302
    return response, peak


@pytest.mark.parametrize("name", REFUSED)
def test_a_hostile_excel_file_is_refused_with_a_message_and_little_memory(
    name, client, django_capture_on_commit_callbacks
):
    content, message, values = REFUSED[name]
    client.force_login(UserFactory(role="coordinator", preferred_language="de"))
    people_before = User.objects.count()

    response, peak = upload(client, content, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    with translation.override("de"):
        expected = gettext(message) % values
    assert peak < 50 * 1024 * 1024
    assert (job.state, job.errors) == ("failed", [{"row": 0, "errors": [expected]}])
    assert bytes(job.content) == b""
    assert User.objects.count() == people_before
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert escape(expected) in page.content.decode()


def test_an_excel_file_that_lies_about_its_size_is_read_as_far_as_it_goes(
    client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(role="coordinator"))

    _response, peak = upload(client, LYING_DIMENSION, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert peak < 50 * 1024 * 1024
    assert (job.state, job.errors, job.total_rows) == ("checked", [], 1000)
    assert job.preview[0] == {"email": "p2@example.org", "full_name": "Person 2"}
    assert not User.objects.filter(email="p2@example.org").exists()


def with_part(name, content):
    """The workbook of one person with one more part added to the zip."""
    buffer = io.BytesIO(xlsx(people(1), dimension="A1:B2"))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


UNREADABLE = "This Excel file cannot be read. Is it really an .xlsx file?"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            with_part("docProps/app.xml", "<Properties>" + " " * 6_000_000 + "</Properties>"),
            UNREADABLE,
        ),
        (
            with_part(
                "docProps/app.xml",
                '<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">]><Properties>&a;</Properties>',
            ),
            UNREADABLE,
        ),
        (
            with_part(
                "xl/sharedStrings.xml",
                f'<sst xmlns="{MAIN}">' + "<si><t>ab</t></si>" * 500_001 + "</sst>",
            ),
            "The file holds more text than one import can check. Please split it.",
        ),
    ],
    ids=["part parsed whole over 5 MB", "DTD", "too many shared texts"],
)
def test_an_excel_file_with_parts_past_the_limits_is_refused(content, message):
    job = check_import(job=table_job("helpers.xlsx", content))

    with translation.override("de"):
        expected = gettext(message)
    assert (job.state, job.errors) == ("failed", [{"row": 0, "errors": [expected]}])


def table_job(file_name, content):
    return ImportJobFactory(
        kind="volunteers",
        file_name=file_name,
        content=content,
        started_by=UserFactory(role="coordinator"),
    )


@pytest.mark.parametrize(
    ("content", "message", "values"),
    [
        (
            b"email;full_name\n" + b"a@example.org;Amal\n" * 20_001,
            "The file has more than 20,000 rows. Please split it.",
            {},
        ),
        (
            b"email;full_name" + b";x" * 60 + b"\n",
            "The file has values in more than %(count)s columns. "
            "Please remove the columns you do not import.",
            {"count": 50},
        ),
        (
            b"email;full_name\na@example.org;" + b"b" * 6000 + b"\n",
            "Row %(row)s has a value longer than %(count)s characters. Please shorten it.",
            {"row": 2, "count": "5.000"},
        ),
        (
            b"email;full_name\n" + b";" * 300_000 + b"\n",
            "Row %(row)s is too long for a table of at most %(columns)s columns.",
            {"row": 2, "columns": 50},
        ),
        (
            b'email;full_name\na@example.org;"' + b"a;b\n" * 200 + b'"\n',
            "Row %(row)s is too long for a table of at most %(columns)s columns.",
            {"row": 2, "columns": 50},
        ),
    ],
    ids=["rows", "columns", "long value", "long line", "record of many lines"],
)
def test_a_csv_file_past_a_limit_is_refused_with_a_message(content, message, values):
    job = check_import(job=table_job("helpers.csv", content))

    with translation.override("de"):
        expected = gettext(message) % values
    assert (job.state, job.errors) == ("failed", [{"row": 0, "errors": [expected]}])


def test_a_file_that_stops_the_worker_is_given_up_after_three_attempts(
    client, django_capture_on_commit_callbacks
):
    coordinator = UserFactory(role="coordinator", preferred_language="de")
    client.force_login(coordinator)
    upload_file = SimpleUploadedFile("helpers.csv", b"email;full_name\na@example.org;Amal\n")
    # Queued, but the worker that takes it dies before it finishes, three times over: each
    # time the broker hands the unacknowledged task to the next worker.
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("cockpit:import_start"), {"kind": "volunteers", "file": upload_file})
    job = ImportJob.objects.get()
    with mock.patch("cockpit.tasks.check_import", side_effect=SystemExit("worker killed")):
        for _delivery in range(3):
            with pytest.raises(SystemExit):
                check_import_task.delay(job_id=job.pk)

    check_import_task.delay(job_id=job.pk)

    job.refresh_from_db()
    with translation.override("de"):
        expected = gettext(
            "Reading this file stopped the background worker %(count)s times, so it was "
            "not tried again. Nothing was written. Please check the file, or split it, "
            "and upload it again."
        ) % {"count": 3}
    assert (job.state, job.attempts, job.errors) == (
        "failed",
        4,
        [{"row": 0, "errors": [expected]}],
    )
    assert bytes(job.content) == b""
    assert not User.objects.filter(email="a@example.org").exists()
    page = client.get(reverse("cockpit:import_detail", args=[job.pk]))
    assert escape(expected) in page.content.decode()


def test_messages_about_a_file_are_in_the_language_of_who_uploaded_it():
    job = ImportJobFactory(
        kind="volunteers",
        file_name="helpers.pdf",
        content=b"%PDF-1.4",
        started_by=UserFactory(role="coordinator", preferred_language="ar"),
    )

    with translation.override("de"):  # the worker's own language
        job = check_import(job=job)

    with translation.override("ar"):
        expected = gettext("Please upload a CSV or an Excel (.xlsx) file.")
    assert expected != "Please upload a CSV or an Excel (.xlsx) file."
    assert job.errors == [{"row": 0, "errors": [expected]}]


def test_a_step_whose_worker_was_stopped_for_good_fails_with_a_message(client):
    coordinator = UserFactory(role="coordinator", preferred_language="de")
    client.force_login(coordinator)
    content = b"email;full_name\na@example.org;Amal\n"
    stopped, running, queued = (table_job("helpers.csv", content) for _job in range(3))
    # The hard time limit ended the first worker eleven minutes ago; Celery acknowledges such
    # a task and never runs it again. The second is still at work, the third still queued.
    for job, minutes_ago in ((stopped, 11), (running, 1)):
        ImportJob.objects.filter(pk=job.pk).update(
            attempts=1, attempted_at=timezone.now() - timedelta(minutes=minutes_ago)
        )

    fail_stuck_imports_task.delay()

    with translation.override("de"):
        expected = gettext(
            "Reading this file did not finish in time. Nothing was written. Please "
            "split the file and upload it again."
        )
    states = {job.pk: job.state for job in ImportJob.objects.all()}
    assert states == {stopped.pk: "failed", running.pk: "checking", queued.pk: "checking"}
    stopped.refresh_from_db()
    assert stopped.errors == [{"row": 0, "errors": [expected]}]
    assert bytes(stopped.content) == b""
    page = client.get(reverse("cockpit:import_detail", args=[stopped.pk]))
    assert escape(expected) in page.content.decode()
