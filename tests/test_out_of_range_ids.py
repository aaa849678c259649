"""Ids larger than any database integer are bad input like any other: no 500, on SQLite too
(found by the fuzz test: SQLite raised OverflowError for `id IN (2**63)`)."""

import pytest
from django.urls import reverse

from ankommen.lookups import RangeSafeIn
from ankommen.vocabulary.models import District
from tests.factories import UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

HUGE = str(2**63)


@pytest.mark.parametrize(
    "path", ["/de/volunteers/", "/de/newcomers/", "/de/trainings/"], ids=lambda p: p
)
def test_filters_with_an_id_out_of_range_answer_normally(client, path):
    client.force_login(UserFactory(role="coordinator"))

    response = client.get(path, {"district": HUGE, "theme": HUGE, "language": HUGE})

    assert response.status_code == 200


def test_a_bulk_action_on_an_id_out_of_range_changes_nothing(client):
    volunteer = VolunteerFactory(stage="applied")
    client.force_login(UserFactory(role="coordinator"))

    response = client.post(
        reverse("volunteers:card_file_bulk"),
        {"volunteers": [HUGE], "action": "move_stage", "to_stage": "ready"},
        follow=True,
    )

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    volunteer.refresh_from_db()
    assert volunteer.stage == "applied"


def test_out_of_range_numbers_match_nothing_and_the_rest_still_match():
    district = District.objects.first()

    assert list(District.objects.filter(pk__in=[2**63, -(2**63) - 1])) == []
    assert list(District.objects.filter(pk__in=[2**63, district.pk])) == [district]
    assert isinstance(District.objects.filter(pk__in=[1]).query.where.children[0], RangeSafeIn)
