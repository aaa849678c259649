"""Every CSV export opens by double click in the coordinator's Excel: read from the bytes."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ankommen.csv_export import defuse
from tests.factories import HoursEntryFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
BOM = "\ufeff".encode()


def _rows(body: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _card_file_export(client, coordinator, language, **params):
    helper = VolunteerFactory(user__full_name="Jana Özdemir", phone="+4915112345678", stage="ready")
    HoursEntryFactory(volunteer=helper, hours=Decimal("2.50"), state="approved")
    VolunteerFactory(user__full_name="=HYPERLINK(1)", phone="", stage="ready")
    client.force_login(coordinator)
    with translation.override(language):
        url = reverse("volunteers:card_file_export", args=["csv"])
    response = client.get(url, {"stage": "ready", **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return _content(response)


def _by_name(rows: list[list[str]]) -> dict[str, list[str]]:
    header, *body = rows
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


def test_a_german_coordinator_gets_semicolons_decimal_commas_and_a_byte_order_mark(
    client, coordinator
):
    body = _card_file_export(client, coordinator, "de")

    assert body.startswith(BOM)
    people = _by_name(_rows(body, ";"))
    assert people["Jana Özdemir"]["Freigegebene Stunden"] in ("2,5", "2,50")  # SQLite, PostgreSQL
    assert people["Jana Özdemir"]["Telefon"] == "+4915112345678"
    assert "'=HYPERLINK(1)" in people
    assert b"\xc3\x96zdemir" in body  # UTF-8, which the byte order mark announces


def test_an_english_coordinator_gets_commas_and_decimal_points(client, coordinator):
    body = _card_file_export(client, coordinator, "en")

    assert body.startswith(BOM)
    people = _by_name(_rows(body, ","))
    assert people["Jana Özdemir"]["Approved hours"] in ("2.5", "2.50")
    assert people["Jana Özdemir"]["Phone"] == "+4915112345678"


def test_the_plain_file_has_commas_points_and_no_byte_order_mark(client, coordinator):
    body = _card_file_export(client, coordinator, "de", plain="1")

    assert not body.startswith(BOM)
    people = _by_name(_rows(body, ","))
    assert people["Jana Özdemir"]["Freigegebene Stunden"] in ("2.5", "2.50")
    assert "'=HYPERLINK(1)" in people


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("+49 511 123456", "+49 511 123456"),
        ("+4915112345678", "+4915112345678"),
        ("0511 / 12 34-56", "0511 / 12 34-56"),
        ("-3", "-3"),
        ("=1+2", "'=1+2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("+", "'+"),
        ("Amal", "Amal"),
    ],
)
def test_only_what_a_spreadsheet_would_run_gets_an_apostrophe(value, written):
    assert defuse(value) == written


@pytest.mark.parametrize(
    ("language", "delimiter"), [("de", ";"), ("fr", ";"), ("en", ","), ("ar", ",")]
)
def test_the_gap_matrix_export_uses_the_coordinators_separator(
    client, coordinator, language, delimiter
):
    client.force_login(coordinator)
    with translation.override(language):
        url = reverse("workgroups:gaps_csv")

    body = _content(client.get(url))

    assert body.startswith(BOM)
    rows = _rows(body, delimiter)
    assert len(rows[0]) > 5
    assert {len(row) for row in rows} == {len(rows[0])}


def test_the_funders_report_csv_is_german_for_a_german_coordinator(client, coordinator):
    HoursEntryFactory(hours=Decimal("1.25"), state="approved")
    client.force_login(coordinator)

    response = client.get(reverse("cockpit:report"), {"format": "csv"})

    body = _content(response)
    assert body.startswith(BOM)
    assert response["Content-Disposition"].startswith('attachment; filename="report-')
    rows = _rows(body, ";")
    assert rows[0] == ["Bereich", "Kennzahl", "Wert"]
    assert {len(row) for row in rows} == {3}
    assert any(row[2] == "1,25" for row in rows), rows


def test_the_import_template_is_written_by_the_same_writer(client, coordinator):
    client.force_login(coordinator)

    plain = _content(
        client.get(reverse("cockpit:import_template", args=["newcomers"]), {"plain": "1"})
    )
    german = _content(client.get(reverse("cockpit:import_template", args=["newcomers"])))

    assert plain.startswith(b"full_name,consent_on,")
    assert german.startswith(BOM + b"full_name;consent_on;")
