"""A certificate of attendance per participant, as a PDF."""

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from trainings.models import Registration
from volunteers.certificate import FONTS

TRANSLATED = {"de", "en"}  # languages whose certificate text is reviewed for official use


def attendance_certificate(registration: Registration) -> bytes:
    language = registration.participant_language
    with translation.override(language if language in TRANSLATED else "de"):
        return _render(registration)


def _render(registration: Registration) -> bytes:
    session = registration.session
    pdf = FPDF(format="A4")
    pdf.set_title(_("Certificate of attendance"))
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
    pdf.set_margins(20, 25, 20)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 20)
    pdf.multi_cell(0, 12, _("Certificate of attendance"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", 12)
    start = timezone.localtime(session.starts_at)
    pdf.multi_cell(
        0,
        7,
        _("%(name)s attended the course “%(course)s” on %(date)s.")
        % {
            "name": registration.participant_name,
            "course": session.course.title,
            "date": formats.date_format(start, "DATE_FORMAT"),
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if session.course.description:
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 6, session.course.description, new_x="LMARGIN", new_y="NEXT")
    if session.course.qualification:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(
            0,
            7,
            _("Qualification: %(name)s") % {"name": session.course.qualification},
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(12)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        _("Issued on %(date)s by %(portal)s.")
        % {
            "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
            "portal": settings.PORTAL_NAME,
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
