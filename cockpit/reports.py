"""The "Bilanz" for funders and the city: what the network did in a period, in aggregate
numbers only. No name, contact or free text of anyone ever enters a report."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ankommen import dates
from ankommen.csv_export import CsvDialect, csv_response
from ankommen.vocabulary.models import District, Theme
from matching.models import Mentorship
from refugees.models import Need, Newcomer
from trainings.models import Registration, Session
from volunteers.certificate import finish_certificate, new_certificate
from volunteers.models import HoursEntry, Volunteer
from workgroups.models import Referral


@dataclass(frozen=True)
class Line:
    label: str
    value: int | Decimal


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[Line]


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    sections: list[Section]

    @property
    def title(self) -> str:
        return _("Report for %(start)s to %(end)s") % {
            "start": dates.format_date(self.start, length="medium"),
            "end": dates.format_date(self.end, length="medium"),
        }

    @property
    def file_name(self) -> str:
        return f"report-{self.start}-{self.end}"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def starts(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def created(self, field: str = "created_at") -> Q:
        return Q(**{f"{field}__gte": self.starts, f"{field}__lt": self.ends})


def build_report(start: date, end: date) -> Report:
    period = Period(start, end)
    return Report(
        start=start,
        end=end,
        sections=[
            _volunteers(period),
            _hours(period),
            _trainings(period),
            _mentorships(period),
            *_newcomers(period),
            _referrals(period),
        ],
    )


def _running(period: Period) -> Q:
    """Mentorships that ran for at least part of the period."""
    return (
        ~Q(state=Mentorship.State.PROPOSED)
        & Q(created_at__lt=period.ends)
        & ~Q(state=Mentorship.State.ENDED, state_changed_at__lt=period.starts)
    )


def _volunteers(period: Period) -> Section:
    worked = HoursEntry.objects.filter(
        volunteer=OuterRef("pk"),
        state=HoursEntry.State.APPROVED,
        worked_on__gte=period.start,
        worked_on__lte=period.end,
    )
    accompanied = Mentorship.objects.filter(_running(period), volunteer=OuterRef("pk"))
    trained = Registration.objects.filter(
        user=OuterRef("user"),
        attended=True,
        session__starts_at__gte=period.starts,
        session__starts_at__lt=period.ends,
    )
    counts = Volunteer.objects.aggregate(
        registered=Count("pk", filter=period.created()),
        active=Count("pk", filter=Q(Exists(worked)) | Q(Exists(accompanied)) | Q(Exists(trained))),
        withdrawn=Count("pk", filter=period.created("withdrawn_at")),
    )
    return Section(
        _("Volunteers"),
        [
            Line(_("Active in the period (hours, a mentorship or a training)"), counts["active"]),
            Line(_("Registered in the period"), counts["registered"]),
            Line(_("Withdrew in the period"), counts["withdrawn"]),
        ],
    )


def _hours(period: Period) -> Section:
    approved = HoursEntry.objects.filter(
        state=HoursEntry.State.APPROVED, worked_on__gte=period.start, worked_on__lte=period.end
    )
    total = Coalesce(Sum("hours"), Value(Decimal("0")), output_field=DecimalField())
    by_theme = approved.values("theme").annotate(total=total).order_by("-total", "theme")
    themes = Theme.objects.in_bulk()
    lines = [Line(_("Volunteer hours, approved"), approved.aggregate(total=total)["total"])]
    lines += [
        Line(str(themes[row["theme"]]) if row["theme"] else _("Without a theme"), row["total"])
        for row in by_theme
    ]
    return Section(_("Hours"), lines)


def _trainings(period: Period) -> Section:
    held = Session.objects.filter(starts_at__gte=period.starts, starts_at__lt=period.ends).exclude(
        status=Session.Status.CANCELLED
    )
    sessions = held.aggregate(count=Count("pk"), places=Sum("capacity"))
    registrations = Registration.objects.filter(session__in=held).aggregate(
        confirmed=Count("pk", filter=Q(state=Registration.State.CONFIRMED)),
        volunteers=Count("pk", filter=Q(attended=True, user__isnull=False)),
        newcomers=Count("pk", filter=Q(attended=True, newcomer__isnull=False)),
    )
    return Section(
        _("Trainings"),
        [
            Line(_("Sessions held"), sessions["count"]),
            Line(_("Places offered"), sessions["places"] or 0),
            Line(_("Confirmed sign-ups"), registrations["confirmed"]),
            Line(_("Volunteers who attended"), registrations["volunteers"]),
            Line(_("Newcomers who attended"), registrations["newcomers"]),
        ],
    )


def _mentorships(period: Period) -> Section:
    ended = Q(state=Mentorship.State.ENDED) & period.created("state_changed_at")
    reasons = Mentorship.EndReason
    counts = Mentorship.objects.aggregate(
        started=Count("pk", filter=period.created() & ~Q(state=Mentorship.State.PROPOSED)),
        running=Count("pk", filter=_running(period)),
        ended=Count("pk", filter=ended),
        **{reason.value: Count("pk", filter=ended & Q(end_reason=reason)) for reason in reasons},
    )
    return Section(
        _("Mentorships"),
        [
            Line(_("Running in the period"), counts["running"]),
            Line(_("Started in the period"), counts["started"]),
            Line(_("Ended in the period"), counts["ended"]),
            *[
                Line(_("Ended: %(reason)s") % {"reason": reason.label}, counts[reason.value])
                for reason in reasons
            ],
        ],
    )


def _reached(period: Period) -> Q:
    """Accompanied, asked for help, trained or referred during the period."""
    return (
        Q(Exists(Mentorship.objects.filter(_running(period), newcomer=OuterRef("pk"))))
        | Q(Exists(Need.objects.filter(period.created(), newcomer=OuterRef("pk"))))
        | Q(
            Exists(
                Registration.objects.filter(
                    newcomer=OuterRef("pk"),
                    attended=True,
                    session__starts_at__gte=period.starts,
                    session__starts_at__lt=period.ends,
                )
            )
        )
        | Q(Exists(Referral.objects.filter(period.created(), newcomer=OuterRef("pk"))))
    )


def _newcomers(period: Period) -> list[Section]:
    reached = Newcomer.objects.filter(_reached(period))
    total = reached.count()
    districts = District.objects.in_bulk()
    by_district = reached.values("district").annotate(people=Count("pk")).order_by("-people")
    themes = Theme.objects.in_bulk()
    by_theme = (
        Need.objects.filter(period.created())
        .values("theme")
        .annotate(people=Count("newcomer", distinct=True))
        .order_by("-people", "theme")
    )
    return [
        Section(
            _("Newcomers reached"),
            [
                Line(_("Newcomers reached"), total),
                *[
                    Line(_district_name(districts, row["district"]), row["people"])
                    for row in by_district
                ],
            ],
        ),
        Section(
            _("Newcomers who asked for help, by theme"),
            [Line(str(themes[row["theme"]]), row["people"]) for row in by_theme],
        ),
    ]


def _district_name(districts: dict[int, District], pk: int | None) -> str:
    return str(districts[pk]) if pk else _("District unknown")


def _referrals(period: Period) -> Section:
    outcomes = Referral.Outcome
    counts = Referral.objects.filter(period.created()).aggregate(
        total=Count("pk"),
        **{outcome.value: Count("pk", filter=Q(outcome=outcome)) for outcome in outcomes},
    )
    return Section(
        _("Referrals to partner organisations"),
        [
            Line(_("Referrals made"), counts["total"]),
            *[Line(str(outcome.label), counts[outcome.value]) for outcome in outcomes],
        ],
    )


def report_csv(report: Report, dialect: CsvDialect) -> HttpResponse:
    return csv_response(
        header=[_("Section"), _("Figure"), _("Value")],
        rows=[
            [section.title, line.label, line.value]
            for section in report.sections
            for line in section.lines
        ],
        filename=report.file_name,
        dialect=dialect,
    )


def organisation_logo() -> Path | None:
    """ANKOMMEN_ORGANISATION_LOGO as a path; a relative one is taken from the project root."""
    if not settings.ORGANISATION_LOGO:
        return None
    logo = Path(settings.ORGANISATION_LOGO)
    return logo if logo.is_absolute() else Path(settings.BASE_DIR) / logo


def report_pdf(report: Report) -> bytes:
    """Headed by the organisation that reports: funders file reports by who sent them."""
    pdf = new_certificate(
        report.title,
        title_size=16,
        sender=settings.ORGANISATION_NAME,
        logo=organisation_logo(),
    )
    for section in report.sections:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        for line in section.lines:
            pdf.cell(140, 6, line.label)
            value = dates.format_number(line.value)
            pdf.cell(0, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")
    return finish_certificate(pdf, issuer=settings.ORGANISATION_NAME)
