"""Hostile input against every form the portal shows: the forms are found by opening every
page as a visitor, a volunteer who leads a group, and a coordinator, and each is posted
random and hostile values (Hypothesis). No answer may be a 500, and no markup we sent may
come back unescaped. The budget is fixed: FUZZ_EXAMPLES examples per form (default 3)."""

import os
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_url_policy import URL_NAMES, _url, _user_for, objects  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
MARKUP = "<script>alert('fuzz')</script>"
HOSTILE = st.one_of(
    st.sampled_from(
        [
            MARKUP,
            '"><img src=x onerror=alert(1)>',
            "' OR 1=1 --",
            "Robert'); DROP TABLE accounts_user;--",
            "\u202eevil\u202c",  # right-to-left override
            "\x00\x01\x02\x1b[31m",
            "x" * 5000,
            "9" * 40,
            "-1",
            "1e309",
            "2026-02-31",
            "0000-00-00",
            "NaN",
            "",
            " ",
            "../../etc/passwd",
            "%(name)s %s {0}",
        ]
    ),
    st.text(max_size=60),
    st.integers().map(str),
)
# Forms that only change the language or end the session: nothing to learn, and signing out
# would end the crawl.
SKIPPED_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")


class FormFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._current: tuple[str, set[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self._current = (attributes.get("action") or "", set())
        elif self._current is not None and tag in ("input", "select", "textarea", "button"):
            name = attributes.get("name")
            if name and name != "csrfmiddlewaretoken":
                self._current[1].add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def forms_seen_by(client, objects) -> dict[str, set[str]]:  # noqa: F811
    found: dict[str, set[str]] = {}
    for name in URL_NAMES:
        url = _url(name, objects)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        finder = FormFinder()
        finder.feed(response.content.decode(errors="replace"))
        for action, fields in finder.forms:
            target = action or url
            if not target.startswith(SKIPPED_ACTIONS):
                found.setdefault(target.split("?")[0], set()).update(fields)
    return found


def fuzz(client, action: str, fields: set[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries(dict.fromkeys(sorted(fields), HOSTILE)))
    def post(data: dict[str, str]) -> None:
        response = client.post(action, data)
        assert response.status_code < 500, (action, data)
        body = response.content.decode(errors="replace")
        assert MARKUP not in body, (action, "echoed our script unescaped")

    post()


@pytest.mark.parametrize("role", ["anonymous", "lead", "coordinator"])
def test_hostile_input_never_breaks_a_form(client, objects, role):  # noqa: F811
    user = _user_for(role)
    if user is not None:
        client.force_login(user)
    forms = forms_seen_by(client, objects)
    assert len(forms) >= (3 if role == "anonymous" else 10), forms

    for action, fields in sorted(forms.items()):
        fuzz(client, action, fields)
        if user is not None:
            # A form may sign the person out (e.g. withdrawing); the crawl goes on signed in.
            client.force_login(user)
