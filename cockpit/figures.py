"""A number on the dashboard and the list behind it."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    url: str = ""
    target: int | None = None

    @property
    def percent_of_target(self) -> int | None:
        if not self.target:
            return None
        return min(100, round(100 * self.value / self.target))


def list_url(name: str, **params: str | list[str]) -> str:
    """A list page with its filters set, so a number leads to exactly the people it counts."""
    query = urlencode(params, doseq=True)
    return reverse(name) + (f"?{query}" if query else "")
