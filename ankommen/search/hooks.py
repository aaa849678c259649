"""The hook through which the apps that hold people answer the menu's person search.

The kernel cannot import the volunteers' or newcomers' models; each of those apps registers a
`PersonKind` whose `find` is one of its selectors, scoped to who asks.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.utils.functional import Promise

from ankommen.hooks import Hook, declare

if TYPE_CHECKING:
    from ankommen.accounts.models import User


@dataclass(frozen=True)
class SearchTerms:
    """What someone typed, read once for every kind: the words of a name, or a record number."""

    text: str
    words: tuple[str, ...] = ()
    number: int | None = None


@dataclass(frozen=True)
class PersonFound:
    """One person in the results, with what tells them apart from others of the same name."""

    name: str
    url: str
    number: int
    details: tuple[str, ...] = ()


class FindsPeople(Protocol):
    def __call__(self, user: "User", terms: SearchTerms, limit: int, /) -> list[PersonFound]:
        """At most `limit` people the user may see, in one query whatever the data size."""
        ...


@dataclass(frozen=True)
class PersonKind:
    key: str
    label: str | Promise
    order: int
    find: FindsPeople
    # The kind's full list; it takes the same text as its `q` filter.
    list_url_name: str


PERSON_SEARCH: Hook[PersonKind] = declare(
    "search.people",
    "Each app that holds people finds them by name or record number for the menu's search box, "
    "one query per kind.",
    key=lambda kind: kind.key,
    order=lambda kind: kind.order,
)
