"""A certificate of attendance per participant, as a PDF."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ankommen import dates
from trainings.models import Registration
from volunteers.certificate import certificate_language, finish_certificate, new_certificate


def attendance_certificate(registration: Registration) -> bytes:
    with translation.override(certificate_language(registration.participant_language)):
        return _render(registration)


def _render(registration: Registration) -> bytes:
    session = registration.session
    pdf = new_certificate(_("Certificate of attendance"), title_size=20)
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
            "date": dates.format_date(start),
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
    return finish_certificate(pdf)
