from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from board.sources import SOURCES, Criteria, Entry

PAGE_SIZE = 20


@dataclass(frozen=True)
class BoardPage:
    page: Page[Any]
    entries: list[Entry]


def board_page(criteria: Criteria, number: str | int | None) -> BoardPage:
    """Every source's listed entries merged by date (undated last) and paged in the database:
    one query counts, one reads the page's keys, and each source reads its entries of the page
    (a query and a prefetch), whatever the number of entries."""
    parts = [
        rows
        for kind, source in SOURCES.items()
        if not criteria.kinds or kind in criteria.kinds
        if (rows := source.listed(criteria)) is not None
    ]
    if not parts:
        page = Paginator[Any]([], PAGE_SIZE).get_page(number)
        return BoardPage(page=page, entries=[])
    merged = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    page = Paginator(merged.order_by("when", "source", "pk"), PAGE_SIZE).get_page(number)
    wanted: dict[str, list[int]] = {}
    for kind, pk, _when in page.object_list:
        wanted.setdefault(kind, []).append(pk)
    found = {kind: SOURCES[kind].entries(pks) for kind, pks in wanted.items()}
    entries = [found[kind][pk] for kind, pk, _when in page.object_list if pk in found.get(kind, {})]
    return BoardPage(page=page, entries=entries)


def entry(kind: str, pk: int) -> Entry | None:
    """A listed entry, or None: missing, closed, full, begun and not approved look the same."""
    source = SOURCES.get(kind)
    return source.entries([pk]).get(pk) if source is not None else None
