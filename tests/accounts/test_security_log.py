"""Refused requests leave a line in the security log: who, where, which object by id; never
the content, and nothing for an object that does not exist at all."""

import logging

import pytest
from django.urls import reverse

from tests.factories import MentorshipFactory, NewcomerFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def refusals(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ankommen.security"]


def test_a_role_refusal_names_the_person_and_the_page(client, caplog):
    volunteer = VolunteerFactory().user
    client.force_login(volunteer)

    with caplog.at_level(logging.WARNING, logger="ankommen.security"):
        assert client.get("/de/cockpit/").status_code == 403

    assert refusals(caplog) == [
        f"role refused: user={volunteer.pk} path=/de/cockpit/ needs=coordinator"
    ]


def test_someone_elses_record_is_logged_by_id_and_a_missing_one_is_not(client, caplog):
    pair = MentorshipFactory(
        volunteer=VolunteerFactory(),
        newcomer=NewcomerFactory(full_name="Zainab Canary"),
        state="active",
    )
    intruder = VolunteerFactory().user
    client.force_login(intruder)

    with caplog.at_level(logging.WARNING, logger="ankommen.security"):
        for pk in (pair.pk, pair.pk + 1000):
            url = reverse("matching:my_mentorship", args=[pk])
            assert client.get(url).status_code == 404

    assert refusals(caplog) == [
        f"hidden object refused: user={intruder.pk} object=matching.Mentorship id={pair.pk}"
    ]


def test_the_owner_leaves_no_line(client, caplog):
    pair = MentorshipFactory(
        volunteer=VolunteerFactory(), newcomer=NewcomerFactory(), state="active"
    )
    client.force_login(pair.volunteer.user)

    with caplog.at_level(logging.WARNING, logger="ankommen.security"):
        assert client.get(reverse("matching:my_mentorship", args=[pair.pk])).status_code == 200

    assert refusals(caplog) == []
