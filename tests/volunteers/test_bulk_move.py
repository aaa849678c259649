"""A bulk stage move in the card file first says how many volunteers move from which stage to
which and who cannot; only confirming moves anyone."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ClearanceCheckFactory, VolunteerFactory
from volunteers.models import Stage, StageChange, Volunteer

pytestmark = pytest.mark.django_db
BULK = "/en/volunteers/bulk/"
MOVE = "/en/volunteers/bulk/move/"


def stages() -> dict[str, str]:
    return dict(Volunteer.objects.values_list("user__full_name", "stage"))


@pytest.fixture
def selection():
    trained = [
        VolunteerFactory(stage=Stage.TRAINED, user__full_name=f"Trained {n}") for n in range(3)
    ]
    checked = VolunteerFactory(stage=Stage.CLEARANCE_CHECKED, user__full_name="Checked")
    minors = VolunteerFactory(
        stage=Stage.TRAINED, accepts_minors=True, user__full_name="Minors Without Clearance"
    )
    applied = VolunteerFactory(stage=Stage.APPLIED, user__full_name="Just Applied")
    return [*trained, checked, minors, applied]


def test_the_card_file_leads_to_a_summary_and_nothing_moves(client, coordinator, selection):
    client.force_login(coordinator)
    before = stages()
    changes = StageChange.objects.count()

    sent = client.post(
        BULK,
        {
            "action": "move_stage",
            "to_stage": Stage.READY,
            "volunteers": [volunteer.pk for volunteer in selection],
            "query": "stage=trained",
        },
    )
    summary = client.get(sent["Location"])

    assert urlsplit(sent["Location"]).path == MOVE
    assert parse_qs(urlsplit(sent["Location"]).query)["query"] == ["stage=trained"]
    plan = summary.context["plan"]
    assert [(stage, len(people)) for stage, people in plan.moves] == [
        (Stage.TRAINED, 3),
        (Stage.CLEARANCE_CHECKED, 1),
    ]
    assert sorted(volunteer.user.full_name for volunteer, _why in plan.refused) == [
        "Just Applied",
        "Minors Without Clearance",
    ]
    html = summary.content.decode()
    assert "Move 4 volunteers to “Ready”?" in html
    assert "2 volunteers stay where they are" in html
    assert "needs a valid police clearance certificate" in html
    assert stages() == before
    assert StageChange.objects.count() == changes


def test_confirming_moves_who_can_and_returns_to_the_same_list(client, coordinator, selection):
    client.force_login(coordinator)

    response = client.post(
        MOVE,
        {
            "to_stage": Stage.READY,
            "volunteers": [volunteer.pk for volunteer in selection],
            "query": "stage=trained",
        },
        follow=True,
    )

    after = stages()
    assert response.redirect_chain[-1][0] == "/en/volunteers/?stage=trained"
    assert sorted(name for name, stage in after.items() if stage == Stage.READY) == [
        "Checked",
        "Trained 0",
        "Trained 1",
        "Trained 2",
    ]
    assert after["Just Applied"] == Stage.APPLIED
    assert after["Minors Without Clearance"] == Stage.TRAINED
    assert "4 volunteers moved." in response.content.decode()


def test_a_clearance_recorded_after_the_summary_counts_when_confirming(
    client, coordinator, selection
):
    minors = Volunteer.objects.get(user__full_name="Minors Without Clearance")
    client.force_login(coordinator)
    client.get(MOVE, {"to_stage": Stage.READY, "volunteers": [minors.pk]})

    ClearanceCheckFactory(volunteer=minors)
    client.post(MOVE, {"to_stage": Stage.READY, "volunteers": [minors.pk]})

    minors.refresh_from_db()
    assert minors.stage == Stage.READY


def test_withdrawing_in_bulk_warns_that_it_cannot_be_undone(client, coordinator, selection):
    client.force_login(coordinator)

    html = client.get(
        MOVE, {"to_stage": Stage.WITHDRAWN, "volunteers": [selection[0].pk]}
    ).content.decode()

    assert "Withdrawing cannot be undone." in html
    assert "btn-danger" in html
    assert stages()["Trained 0"] == Stage.TRAINED


def test_bad_input_goes_back_to_the_card_file_with_a_message(client, coordinator, selection):
    client.force_login(coordinator)

    nobody = client.get(MOVE, {"to_stage": Stage.READY}, follow=True)
    odd_stage = client.post(
        MOVE, {"to_stage": "heaven", "volunteers": [selection[0].pk]}, follow=True
    )
    huge = client.get(MOVE, {"to_stage": Stage.READY, "volunteers": [str(2**63)]}, follow=True)

    assert "Please select at least one volunteer." in nobody.content.decode()
    assert odd_stage.status_code == 200
    assert huge.status_code == 200
    assert stages()["Trained 0"] == Stage.TRAINED


def test_only_coordinators_see_or_confirm_a_bulk_move(client, selection):
    someone = selection[0]
    client.force_login(someone.user)

    assert client.get(MOVE, {"to_stage": "ready", "volunteers": [someone.pk]}).status_code == 403
    assert client.post(MOVE, {"to_stage": "ready", "volunteers": [someone.pk]}).status_code == 403
    assert stages()["Trained 0"] == Stage.TRAINED


@pytest.mark.parametrize("count", [5, 50])
def test_the_summary_costs_the_same_for_five_or_fifty(client, coordinator, count):
    chosen = [
        VolunteerFactory(stage=Stage.TRAINED, last_activity_at=timezone.now()).pk
        for _ in range(count)
    ]
    client.force_login(coordinator)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(MOVE, {"to_stage": Stage.CLEARANCE_CHECKED, "volunteers": chosen})

    assert len(response.context["plan"].refused) == count  # nobody has a clearance yet
    assert len(captured) <= 6
