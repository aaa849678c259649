"""Hooks keep their promises at start-up: a required hook nobody provides and a single hook
provided twice stop the portal, and tests swap providers without touching private lists."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.checks import Error, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.models import Value

from ankommen.hooks import Hook, broken_promises, declare, declared_hooks
from ankommen.navigation import NAVIGATION, NavItem
from ankommen.privacy.registry import NEWCOMER, PERSON_KINDS, person_model
from refugees.hooks import MATCHED
from volunteers.hooks import BUSY, CAPACITY_USAGE, WITHDRAWAL, capacity_usage


def test_a_required_hook_without_providers_is_a_start_up_error():
    hook: Hook[Callable[[], None]] = Hook(
        "tests.required", "Something the portal promises.", required=True
    )

    errors = broken_promises([hook])

    assert [(error.id, error.obj) for error in errors] == [("ankommen.E001", "tests.required")]
    assert isinstance(errors[0], Error)
    assert "Something the portal promises." in errors[0].hint


def test_a_single_hook_provided_twice_is_a_start_up_error_naming_both():
    hook: Hook[Callable[[], int]] = Hook("tests.single", "One answer only.", single=True)

    def first() -> int:
        return 1

    def second() -> int:
        return 2

    hook.register(first)
    assert broken_promises([hook]) == []
    hook.register(second)

    errors = broken_promises([hook])

    assert [(error.id, error.obj) for error in errors] == [("ankommen.E002", "tests.single")]
    assert "first" in errors[0].msg
    assert "second" in errors[0].msg


def test_a_required_hook_with_a_provider_and_an_optional_one_without_pass():
    required: Hook[Callable[[], None]] = Hook("tests.a", "A.", required=True)
    optional: Hook[Callable[[], None]] = Hook("tests.b", "B.")

    required.register(lambda: None)

    assert broken_promises([required, optional]) == []


def test_a_hook_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        declare(WITHDRAWAL.name, "Again.")


def test_a_keyed_hook_refuses_a_second_provider_under_the_same_key():
    hook: Hook[NavItem] = Hook("tests.menu", "Menu.", key=lambda item: item.url_name)
    hook.register(NavItem("Home", "home", bool))

    with pytest.raises(ValueError, match="registered twice"):
        hook.register(NavItem("Home again", "home", bool))


def test_an_ordered_hook_hands_out_its_providers_in_order():
    hook: Hook[NavItem] = Hook("tests.ordered", "Menu.", order=lambda item: item.order)
    hook.register(NavItem("Later", "b", bool, order=20))
    hook.register(NavItem("Sooner", "a", bool, order=10))

    assert [item.label for item in hook.providers()] == ["Sooner", "Later"]


def test_register_temporarily_adds_for_the_block_only():
    before = NAVIGATION.providers()

    with NAVIGATION.register_temporarily(NavItem("Test", "tests:page", bool, order=1)):
        assert "tests:page" in [item.url_name for item in NAVIGATION.providers()]

    assert NAVIGATION.providers() == before


def test_register_temporarily_replaces_the_provider_of_a_single_hook():
    with CAPACITY_USAGE.register_temporarily(lambda: Value(7)):
        assert CAPACITY_USAGE.one() is not None
        assert capacity_usage().value == 7
        assert broken_promises([CAPACITY_USAGE]) == []

    provider = CAPACITY_USAGE.one()
    assert provider is not None
    assert provider.__module__ == "matching.integrations"


def test_the_real_project_passes_the_check_with_every_provider_present():
    assert WITHDRAWAL in declared_hooks()
    assert not [message for message in run_checks() if message.id.startswith("ankommen.E00")]
    call_command("check")  # raises SystemCheckError on any error


def test_removing_a_required_provider_fails_the_system_check(monkeypatch):
    monkeypatch.setattr(BUSY, "_providers", [])

    with pytest.raises(SystemCheckError, match=r"volunteers\.busy"):
        call_command("check")


def test_a_second_provider_of_a_single_hook_fails_the_system_check():
    with pytest.raises(SystemCheckError, match=r"refugees\.matched"):
        # Not register_temporarily: that replaces a single hook's provider; this adds one.
        MATCHED.register(lambda: Value(True))
        try:
            call_command("check")
        finally:
            MATCHED._providers.pop()


def test_every_app_with_commitments_ends_a_withdrawn_volunteers():
    apps = sorted(provider.__module__.split(".")[0] for provider in WITHDRAWAL.providers())

    assert apps == ["matching", "trainings", "translations", "workgroups"]


def test_every_person_kind_names_its_model_through_the_hook():
    assert PERSON_KINDS[NEWCOMER].model.one() == "refugees.Newcomer"
    assert person_model(NEWCOMER)._meta.label == "refugees.Newcomer"


def test_every_hook_is_documented_in_contributing():
    """CONTRIBUTING.md is where someone new looks for where a feature plugs in."""
    text = (Path(__file__).resolve().parent.parent / "CONTRIBUTING.md").read_text()

    missing = [hook.name for hook in declared_hooks() if f"`{hook.name}`" not in text]
    assert missing == []
