"""The engagement certificate ("Engagementnachweis"): a PDF for job applications."""

import logging
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.errors import FPDFException

from ankommen import dates
from volunteers.hooks import CERTIFICATE_SECTIONS
from volunteers.models import HoursEntry, Volunteer

FONTS = Path(__file__).parent / "fonts"
# The box a sender's logo is fitted into, in millimetres.
LOGO_WIDTH, LOGO_HEIGHT = 40, 20
logger = logging.getLogger(__name__)


def hours_by_theme(volunteer: Volunteer) -> list[tuple[str, Decimal]]:
    rows = (
        volunteer.hours.filter(state=HoursEntry.State.APPROVED)
        .values("theme__name", "theme__translations")
        .annotate(total=Coalesce(Sum("hours"), Value(Decimal("0")), output_field=DecimalField()))
        .order_by("-total")
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    result = []
    for row in rows:
        names = row["theme__translations"] or {}
        name = names.get(language) or row["theme__name"] or _("Other")
        result.append((name, row["total"]))
    return result


def certificate_language(requested: str | None) -> str:
    """Employers in Germany read German; English is offered to people reading English."""
    return "en" if requested == "en" else "de"


def certificate_pdf(volunteer: Volunteer) -> bytes:
    with translation.override(certificate_language(translation.get_language())):
        return _render(volunteer)


def new_certificate(
    title: str, title_size: int = 18, *, sender: str = "", logo: Path | None = None
) -> FPDF:
    """An A4 page with our fonts and the title; every certificate of the portal starts here.
    A sender (and their logo, top right) heads documents that go out of the network."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author(sender or settings.PORTAL_NAME)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    # Names may be written in Arabic script: shaping joins the letters and orders them.
    pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    logo_bottom = _place_logo(pdf, logo) if logo is not None else 0.0
    if sender:
        pdf.set_font("DejaVu", "B", 12)
        width = pdf.epw - (LOGO_WIDTH + 5 if logo_bottom else 0)
        pdf.multi_cell(width, 6, sender, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), logo_bottom) + (4 if sender or logo_bottom else 0))
    pdf.set_font("DejaVu", "B", title_size)
    pdf.multi_cell(0, title_size * 0.6, title, new_x="LMARGIN", new_y="NEXT")
    return pdf


def _place_logo(pdf: FPDF, logo: Path) -> float:
    """The logo in a box at the top right; where it ends, or 0 when it cannot be read (the
    document goes out without it rather than not at all; `check` warns about the setting)."""
    try:
        placed = pdf.image(
            str(logo),
            x=pdf.w - pdf.r_margin - LOGO_WIDTH,
            y=pdf.t_margin,
            w=LOGO_WIDTH,
            h=LOGO_HEIGHT,
            keep_aspect_ratio=True,
        )
    except (OSError, ValueError, SyntaxError, FPDFException) as error:  # what decoders raise
        logger.warning("The logo %s cannot be placed: %s", logo, error)
        return 0.0
    return float(pdf.t_margin + placed.rendered_height)


def finish_certificate(pdf: FPDF, issuer: str = "") -> bytes:
    """The line saying who issued it (the portal, unless named) and when, then the bytes."""
    pdf.ln(10)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        _("Issued on %(date)s by %(portal)s.")
        % {
            "date": dates.format_date(timezone.localdate()),
            "portal": issuer or settings.PORTAL_NAME,
        },
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())


def _render(volunteer: Volunteer) -> bytes:
    user = volunteer.user
    pdf = new_certificate(_("Engagement certificate"))
    pdf.set_font("DejaVu", "", 11)
    pdf.ln(2)
    since = dates.format_date(volunteer.created_at)
    pdf.multi_cell(
        0,
        6,
        _(
            "%(name)s has been volunteering with %(portal)s since %(since)s, helping newcomers "
            "to settle in our city."
        )
        % {"name": user.full_name, "portal": settings.PORTAL_NAME, "since": since},
        new_x="LMARGIN",
        new_y="NEXT",
    )

    themes = hours_by_theme(volunteer)
    total = sum((hours for _name, hours in themes), Decimal("0"))
    _section(pdf, _("Volunteering hours"))
    pdf.multi_cell(
        0,
        6,
        _("Approved hours in total: %(hours)s") % {"hours": dates.format_number(total, places=2)},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for name, hours in themes:
        pdf.multi_cell(
            0, 6, f"• {name}: {dates.format_number(hours, places=2)}", new_x="LMARGIN", new_y="NEXT"
        )
    for section in CERTIFICATE_SECTIONS.providers():
        heading, lines = section(volunteer)
        if lines:
            _section(pdf, heading)
            for line in lines:
                pdf.multi_cell(0, 6, f"• {line}", new_x="LMARGIN", new_y="NEXT")
    return finish_certificate(pdf)


def _section(pdf: FPDF, heading: str) -> None:
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
