"""The main menu: coordinators get their twenty pages in a few groups, everyone else a short
flat menu, and the page a person is on is marked in the menu and in its group."""

import re

import pytest
from django.urls import reverse

from ankommen.navigation import (
    NAVIGATION,
    PEOPLE,
    TOP_LEVEL_LIMIT,
    MenuGroup,
    MenuLink,
    NavItem,
    menu_for,
    nav_items_for,
)
from tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


ANCHOR = re.compile(r"<a (?P<attributes>[^>]*)>(?P<text>[^<]*)</a>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def _menu(client, url) -> str:
    """The main menu's list, from the page the person gets."""
    body = client.get(url).content.decode()
    start = body.index('<ul class="navbar-nav order-lg-last">')
    end = re.compile(r'<form class="d-flex gap-1|<div class="d-flex flex-wrap').search(body, start)
    return body[start : end.start()]


def _top_level(menu: str) -> int:
    return menu.count('<li class="nav-item')


def _anchors(menu: str) -> list[dict[str, str]]:
    return [
        {**dict(ATTRIBUTE.findall(match["attributes"])), "text": match["text"].strip()}
        for match in ANCHOR.finditer(menu)
    ]


def _current(menu: str) -> list[dict[str, str]]:
    return [anchor for anchor in _anchors(menu) if anchor.get("aria-current") == "page"]


def test_a_coordinator_sees_at_most_seven_entries_at_the_top_and_every_page_in_a_group(coordinator):
    menu = menu_for(coordinator)

    assert len(menu) <= TOP_LEVEL_LIMIT
    assert len(nav_items_for(coordinator)) > 2 * TOP_LEVEL_LIMIT  # the twenty pages are there
    inside = [link.url_name for entry in menu if entry.is_group for link in entry.links]
    at_top = [entry.url_name for entry in menu if not entry.is_group]
    assert sorted(inside + at_top) == sorted(item.url_name for item in nav_items_for(coordinator))
    assert [entry.key for entry in menu if entry.is_group] == [
        "people",
        "matching",
        "trainings",
        "network",
        "messages",
        "reports",
    ]


def test_an_administrator_with_the_django_admin_still_has_seven_entries_at_most():
    admin = UserFactory(admin=True)

    assert len(menu_for(admin)) <= TOP_LEVEL_LIMIT
    assert "admin:index" in [item.url_name for item in nav_items_for(admin)]


@pytest.mark.parametrize("role", ["volunteer", "newcomer"])
def test_other_roles_keep_a_short_menu_of_plain_links(role):
    user = VolunteerFactory().user if role == "volunteer" else UserFactory(role=role)

    menu = menu_for(user)

    assert len(menu) <= TOP_LEVEL_LIMIT
    assert sum(len(entry.links) if entry.is_group else 1 for entry in menu) == len(
        nav_items_for(user)
    )
    if role == "newcomer":
        assert all(isinstance(entry, MenuLink) for entry in menu)


def test_a_group_with_one_entry_for_the_person_is_a_plain_link():
    volunteer = VolunteerFactory().user

    menu = menu_for(volunteer)

    trainings = [
        entry for entry in menu if not entry.is_group and entry.url_name.startswith("trainings")
    ]
    assert [entry.url_name for entry in trainings] == ["trainings:catalogue"]
    network = [entry for entry in menu if isinstance(entry, MenuGroup)]
    # Messages: the newsletter they read and the translators' page.
    assert [group.key for group in network] == ["network", "messages"]


def test_adding_a_page_to_a_group_is_one_registration(coordinator):
    before = len(menu_for(coordinator))

    with NAVIGATION.register_temporarily(
        NavItem("Skills", "volunteers:card_file_bulk", lambda user: True, 230, PEOPLE)
    ):
        menu = menu_for(coordinator)

    people = next(entry for entry in menu if entry.is_group and entry.key == "people")
    assert [link.label for link in people.links][-1] == "Skills"
    assert len(menu) == before


def test_the_current_page_is_marked_in_the_menu_and_in_its_group(client, coordinator):
    client.force_login(coordinator)

    menu = _menu(client, reverse("volunteers:card_file"))

    current = _current(menu)
    assert [anchor["text"] for anchor in current] == ["Personen", "Ehrenamtliche"]
    assert current[0]["data-bs-toggle"] == "dropdown"
    assert current[1]["href"] == reverse("volunteers:card_file")
    assert _top_level(menu) <= TOP_LEVEL_LIMIT


def test_a_group_button_works_as_a_link_without_javascript_and_is_labelled_for_its_menu(
    client, coordinator
):
    client.force_login(coordinator)

    menu = _menu(client, reverse("cockpit:dashboard"))

    anchors = _anchors(menu)
    toggles = [anchor for anchor in anchors if anchor.get("data-bs-toggle") == "dropdown"]
    assert len(toggles) == 6
    for toggle in toggles:
        following = anchors[anchors.index(toggle) + 1]
        assert toggle["href"] == following["href"]  # the group's first page
        assert toggle["aria-expanded"] == "false"
        assert f'aria-labelledby="{toggle["id"]}"' in menu
    assert [anchor["text"] for anchor in _current(menu)] == ["Übersicht"]


def test_a_volunteers_menu_is_flat_links_with_the_current_one_marked(client):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)

    menu = _menu(client, reverse("volunteers:my_hours"))

    assert _top_level(menu) <= TOP_LEVEL_LIMIT
    assert [anchor["href"] for anchor in _current(menu)] == [reverse("volunteers:my_hours")]


def test_a_page_that_belongs_to_an_entry_marks_it_and_its_group_as_the_current_place(
    client, coordinator
):
    volunteer = VolunteerFactory()
    client.force_login(coordinator)

    menu = _menu(client, reverse("volunteers:volunteer_detail", args=[volunteer.pk]))

    marked = [anchor for anchor in _anchors(menu) if "aria-current" in anchor]
    assert [(anchor["text"], anchor["aria-current"]) for anchor in marked] == [
        ("Personen", "true"),
        ("Ehrenamtliche", "true"),
    ]


@pytest.mark.parametrize(
    ("page", "entry"),
    [
        ("matching:run_detail", "matching:runs"),
        ("matching:manual_match", "matching:mentorships"),
        ("refugees:newcomer_detail", "refugees:newcomer_list"),
        ("cockpit:import_detail", "cockpit:import_start"),
        ("trainings:session_manage", "trainings:session_admin_list"),
        ("accounts:account_settings", None),
    ],
)
def test_the_entry_a_page_belongs_to_is_the_closest_one_of_its_app(coordinator, page, entry):
    links = nav_items_for(coordinator, page)

    assert [link.url_name for link in links if link.current] == ([entry] if entry else [])
    assert all(link.current in ("", "true") for link in links)
