"""Reading the search box and asking every kind of person for matches."""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from ankommen.accounts.models import User
from ankommen.names import without_bidi_controls
from ankommen.search.hooks import PERSON_SEARCH, PersonFound, SearchTerms

# Control characters (a NUL byte breaks a PostgreSQL query), surrogates, unassigned code points.
CONTROL = frozenset({"Cc", "Cs", "Co", "Cn"})
MAX_LENGTH = 100
MAX_WORDS = 5
SHOWN_PER_KIND = 20
# "123", "#123", "Nr. 123", "No 123": a record number (the number in the person's page address).
NUMBER = re.compile(r"^(?:#|nr\.?|no\.?)?\s*(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class KindFound:
    key: str
    label: str
    people: list[PersonFound]
    has_more: bool
    list_url: str


def read_terms(text: str) -> SearchTerms | None:
    """None when there is nothing to search for: no record number, no word of two letters."""
    printable = without_bidi_controls(
        "".join(
            " " if unicodedata.category(character) in CONTROL else character
            for character in text[:MAX_LENGTH]
        )
    ).strip()
    number = NUMBER.match(printable)
    if number:
        return SearchTerms(text=printable, number=int(number[1]))
    words = tuple(word for word in printable.split() if len(word) >= 2)[:MAX_WORDS]
    if not words:
        return None
    return SearchTerms(text=printable, words=words)


def people_found(*, user: User, terms: SearchTerms) -> list[KindFound]:
    """Every kind of person, in the hook's order: one query per kind."""
    found = []
    for kind in PERSON_SEARCH.providers():
        people = kind.find(user, terms, SHOWN_PER_KIND + 1)
        found.append(
            KindFound(
                key=kind.key,
                label=str(kind.label),
                people=people[:SHOWN_PER_KIND],
                has_more=len(people) > SHOWN_PER_KIND,
                list_url=f"{reverse(kind.list_url_name)}?{urlencode({'q': terms.text})}",
            )
        )
    return found
