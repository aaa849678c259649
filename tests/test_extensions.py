"""A required extension point that nobody implements stops the portal at start-up."""

from collections.abc import Callable

import pytest
from django.core.checks import Error, run_checks
from django.core.management import call_command

from ankommen.extensions import ExtensionPoint, declare, extension_points, missing_providers
from volunteers.extensions import WITHDRAWAL


def test_a_required_point_without_providers_is_a_start_up_error():
    point: ExtensionPoint[Callable[[], None]] = ExtensionPoint(
        "tests.required", "Something the portal promises.", required=True
    )

    errors = missing_providers([point])

    assert [(error.id, error.obj) for error in errors] == [("ankommen.E001", "tests.required")]
    assert isinstance(errors[0], Error)
    assert "Something the portal promises." in errors[0].hint


def test_a_required_point_with_a_provider_and_an_optional_one_without_pass():
    required: ExtensionPoint[Callable[[], None]] = ExtensionPoint("tests.a", "A.", required=True)
    optional: ExtensionPoint[Callable[[], None]] = ExtensionPoint("tests.b", "B.")

    required.register(lambda: None)

    assert missing_providers([required, optional]) == []


def test_a_point_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        declare(ExtensionPoint(WITHDRAWAL.name, "Again."))


def test_the_real_project_passes_the_check_with_every_provider_present():
    assert WITHDRAWAL in extension_points()
    assert not [message for message in run_checks() if message.id == "ankommen.E001"]
    call_command("check")  # raises SystemCheckError on any error


def test_matching_trainings_and_workgroups_each_end_a_withdrawn_volunteers_commitments():
    apps = sorted(provider.__module__.split(".")[0] for provider in WITHDRAWAL.providers())

    assert apps == ["matching", "trainings", "workgroups"]
