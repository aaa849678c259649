"""Retention: the weekly job only proposes; a coordinator confirms; only people on the list who
are still due are erased, never anyone else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ankommen.privacy.models import RetentionReview
from ankommen.privacy.registry import ERASED_NAME
from ankommen.privacy.retention import confirm_review, propose_review
from matching.models import Mentorship
from refugees.models import Need, Newcomer
from tests.factories import (
    PASSWORD,
    MentorshipFactory,
    NewcomerFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LONG_AGO = timezone.now() - timedelta(days=3 * 365)


def finished_newcomer(name):
    """Accompanied until three years ago, nothing since."""
    newcomer = NewcomerFactory(full_name=name)
    mentorship = MentorshipFactory(
        volunteer=VolunteerFactory(stage="active"), newcomer=newcomer, state="ended"
    )
    Mentorship.objects.filter(pk=mentorship.pk).update(state_changed_at=LONG_AGO)
    return newcomer


def withdrawn_volunteer(name, days_ago):
    volunteer = VolunteerFactory(stage="withdrawn", user__full_name=name)
    Volunteer.objects.filter(pk=volunteer.pk).update(retain_until=TODAY - timedelta(days=days_ago))
    return volunteer


def test_the_job_lists_who_is_due_and_erases_nobody():
    due = finished_newcomer("Amal Due")
    NewcomerFactory(full_name="Still Waiting")
    active = finished_newcomer("Asked Again")
    Need.objects.create(newcomer=active, theme_id=1, source="newcomer")
    gone = withdrawn_volunteer("Vera Gone", days_ago=1)
    withdrawn_volunteer("Recently Withdrawn", days_ago=-30)

    review = propose_review(TODAY)

    assert sorted((item["kind"], item["id"]) for item in review.items) == sorted(
        [("newcomer", due.pk), ("volunteer", gone.pk)]
    )
    assert Newcomer.objects.get(pk=due.pk).full_name == "Amal Due"


def test_confirming_erases_only_the_listed_people_who_are_still_due(coordinator):
    listed = finished_newcomer("Listed Person")
    back = finished_newcomer("Came Back")
    review = propose_review(TODAY)
    # After the proposal: one listed person is accompanied again, another becomes due.
    MentorshipFactory(volunteer=VolunteerFactory(stage="active"), newcomer=back)
    later = finished_newcomer("Due Later")

    done = confirm_review(review, coordinator, TODAY)

    assert (done.erased_count, done.skipped_count) == (1, 1)
    assert Newcomer.objects.get(pk=listed.pk).full_name == ERASED_NAME
    assert Newcomer.objects.get(pk=back.pk).full_name == "Came Back"
    assert Newcomer.objects.get(pk=later.pk).full_name == "Due Later"
    again = confirm_review(done, coordinator, TODAY)
    assert again.erased_count == 1


def test_a_new_proposal_replaces_an_unconfirmed_one():
    finished_newcomer("Amal Due")
    first = propose_review(TODAY)
    second = propose_review(TODAY)

    first.refresh_from_db()
    assert (first.state, second.state) == ("discarded", "proposed")
    assert propose_review(TODAY - timedelta(days=5 * 365)) is None


def test_coordinators_see_the_list_and_confirm_with_a_fresh_password(client):
    coordinator = UserFactory(role="coordinator")
    person = finished_newcomer("Amal Due")
    review = propose_review(TODAY)
    client.force_login(coordinator)

    page = client.get(reverse("privacy:retention"))
    asked = client.post(reverse("privacy:retention_confirm", args=[review.pk]))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("privacy:retention_confirm", args=[review.pk]))

    assert "Amal Due" in page.content.decode()
    assert reverse("account_reauthenticate") in asked["Location"]
    assert Newcomer.objects.get(pk=person.pk).full_name == ERASED_NAME
    assert RetentionReview.objects.get().state == "done"


def test_the_records_of_processing_cover_every_model_that_holds_a_person(client, coordinator):
    from django.apps import apps

    from ankommen.privacy.processing import activities

    labels = {activity.label for activity in activities()}
    for model in ("refugees.Newcomer", "refugees.Need", "matching.CheckIn", "audit.AuditEvent"):
        assert str(apps.get_model(model)._meta.verbose_name_plural) in labels
    assert str(apps.get_model("vocabulary.Theme")._meta.verbose_name_plural) not in labels
    client.force_login(coordinator)
    page = client.get(reverse("privacy:processing")).content.decode()
    assert "★" in page
