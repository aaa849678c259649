"""The card file's filtered set as CSV or XLSX: the same rows the coordinator sees, all pages."""

from collections.abc import Iterator
from io import BytesIO

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ankommen.csv_export import CsvDialect, csv_streaming_response, defuse
from volunteers.availability import slot_label, slots_in
from volunteers.models import Volunteer


def headers() -> list[str]:
    return [
        _("Name"), _("E-mail"), _("Phone"), _("Stage"), _("District"), _("Languages"),
        _("Themes"), _("Roles"), _("Hours per month"), _("Availability"),
        _("Police clearance valid until"), _("Approved hours"), _("Last activity"),
        _("Invited by"), _("Registered"),
    ]  # fmt: skip


def rows(volunteers: QuerySet[Volunteer]) -> Iterator[list[object]]:
    # The export's own columns; the card file's page shows neither.
    volunteers = volunteers.select_related("user__referred_by").prefetch_related("themes")
    for volunteer in volunteers.iterator(chunk_size=500):
        user = volunteer.user
        yield [
            user.full_name,
            user.email or "",
            volunteer.phone,
            volunteer.get_stage_display(),
            volunteer.district.localized_name if volunteer.district else "",
            ", ".join(str(skill) for skill in volunteer.languages.all()),
            ", ".join(theme.localized_name for theme in volunteer.themes.all()),
            ", ".join(str(role.label) for role in volunteer.roles),
            volunteer.hours_per_month or "",
            ", ".join(slot_label(number) for number in slots_in(volunteer.availability)),
            volunteer.clearance_valid_until.isoformat() if volunteer.clearance_valid_until else "",
            volunteer.approved_hours,
            timezone.localtime(volunteer.last_activity_at).strftime("%Y-%m-%d %H:%M")
            if volunteer.last_activity_at
            else "",
            user.referred_by.full_name if user.referred_by else "",
            timezone.localtime(volunteer.created_at).strftime("%Y-%m-%d"),
        ]


def csv_response(volunteers: QuerySet[Volunteer], dialect: CsvDialect) -> StreamingHttpResponse:
    return csv_streaming_response(
        header=headers(), rows=rows(volunteers), filename=_filename(), dialect=dialect
    )


def xlsx_response(volunteers: QuerySet[Volunteer]) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Volunteers"))
    sheet.append(headers())
    for row in rows(volunteers):
        # Spreadsheets run formulas: a person's text must not start one.
        sheet.append([defuse(value) if isinstance(value, str) else value for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename()}.xlsx"'
    return response


def _filename() -> str:
    return f"volunteers-{timezone.localdate():%Y-%m-%d}"
