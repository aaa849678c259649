"""The overview Erfurt lacked: demand against supply, per theme and district.

Demand: newcomers' open needs and active partners' open needs. Supply: active offers of
active partners, open tasks and ready or active volunteers interested in the theme. One
grouped query per measure, so the matrix costs the same number of queries for any amount of
data.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from ankommen.vocabulary.models import District, Theme
from refugees.models import Need
from volunteers.models import Volunteer
from volunteers.stages import ACCOMPANYING_STAGES
from workgroups.selectors import available_offers, open_partner_needs, open_tasks

MEASURES = ("newcomer_needs", "partner_needs", "offers", "tasks", "volunteers")
AVAILABLE = ACCOMPANYING_STAGES


@dataclass
class Cell:
    theme: Theme
    district: District
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def demand(self) -> int:
        return self.counts.get("newcomer_needs", 0) + self.counts.get("partner_needs", 0)

    @property
    def supply(self) -> int:
        return sum(self.counts.get(name, 0) for name in ("offers", "tasks", "volunteers"))

    @property
    def status(self) -> str:
        """gap: asked for, nothing there; short: less than asked; overlap: plenty, little asked."""
        demand, supply = self.demand, self.supply
        if demand and not supply:
            return "gap"
        if demand > supply:
            return "short"
        if supply >= 3 and supply >= 3 * demand:
            return "overlap"
        if demand or supply:
            return "balanced"
        return "empty"

    @property
    def wants_offer(self) -> bool:
        """Asked for with nothing there: the matrix offers to add an offer right here."""
        return self.status == "gap"


def _grouped(queryset, theme_field: str, district_field: str) -> dict[tuple[int, int], int]:  # noqa: ANN001
    # Within one (theme, district) group every row is a different record, volunteers with
    # several themes included, so no DISTINCT: it made PostgreSQL sort all 20,000 needs.
    rows = queryset.values(theme_field, district_field).annotate(total=Count("pk"))
    return {(row[theme_field], row[district_field]): row["total"] for row in rows}


def measures() -> dict[str, dict[tuple[int, int], int]]:
    return {
        "newcomer_needs": _grouped(
            Need.objects.filter(status=Need.Status.OPEN, newcomer__closed_at__isnull=True),
            "theme_id",
            "newcomer__district_id",
        ),
        "partner_needs": _grouped(open_partner_needs(), "theme_id", "district_id"),
        "offers": _grouped(available_offers(), "theme_id", "district_id"),
        "tasks": _grouped(open_tasks(), "theme_id", "district_id"),
        "volunteers": _grouped(
            Volunteer.objects.filter(stage__in=AVAILABLE), "themes__id", "district_id"
        ),
    }


def gap_matrix() -> tuple[list[Theme], list[District], dict[tuple[int, int], Cell]]:
    themes, districts = list(Theme.objects.all()), list(District.objects.all())
    counted = measures()
    cells = {}
    for theme in themes:
        for district in districts:
            key = (theme.pk, district.pk)
            cells[key] = Cell(theme, district, {m: counted[m].get(key, 0) for m in MEASURES})
    return themes, districts, cells


def matrix_rows() -> tuple[list[District], list[tuple[Theme, list[Cell]]]]:
    """The matrix as a page shows it: the districts, and each theme with its row of cells."""
    themes, districts, cells = gap_matrix()
    rows = [(theme, [cells[(theme.pk, d.pk)] for d in districts]) for theme in themes]
    return districts, rows
