import pytest

from refugees.services import issue_access_link
from tests.factories import NewcomerFactory, UserFactory


@pytest.fixture
def newcomer(db):
    return NewcomerFactory(full_name="Amina Haddad", preferred_language="ar")


@pytest.fixture
def card(newcomer):
    return issue_access_link(newcomer=newcomer, by=UserFactory(role="coordinator"))


@pytest.fixture
def signed_in(client, card):
    """A browser that opened the newcomer's card."""
    client.get(f"/n/{card.token}/")
    return client
