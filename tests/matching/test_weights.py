"""The weights of the score on their own page: the bounds live in the model, so the page, the
service and the admin refuse the same values; every saving says who made it and when."""

import pytest
from django.urls import reverse
from django.utils import translation

from ankommen.audit.models import AuditEvent
from matching import services
from matching.models import MatchingWeights
from matching.scoring import CRITERIA
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEFAULTS = {name: MatchingWeights._meta.get_field(name).default for name in CRITERIA}
NOTHING = dict.fromkeys(CRITERIA, 0)


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_the_page_shows_the_current_weights_and_what_each_one_rewards(signed_in, coordinator):
    services.set_weights(weights={**DEFAULTS, "waiting": 40}, by=coordinator)

    with translation.override("en"):
        response = signed_in.get(reverse("matching:weights"))
    page = response.content.decode()

    assert response.context["form"].initial["waiting"] == 40
    assert 'name="waiting" value="40"' in page
    assert "180 days or more count fully" in page
    assert "4 or more count fully" in page
    assert "half in neighbouring districts" in page


def test_saving_makes_a_new_row_that_the_next_run_uses_and_audits_it(signed_in, coordinator):
    signed_in.post(reverse("matching:weights"), {**DEFAULTS, "district": 55})

    row = MatchingWeights.objects.get()
    assert services.current_weights() == {**DEFAULTS, "district": 55}
    assert row.changed_by == coordinator
    assert AuditEvent.objects.filter(
        subject_type="matchingweights", subject_id=row.pk, action="create", actor_id=coordinator.pk
    ).exists()


def test_the_last_changes_show_who_changed_what_and_when(signed_in):
    first = UserFactory(role="coordinator", full_name="Greta Lindner")
    second = UserFactory(role="coordinator", full_name="Yusuf Demir")
    services.set_weights(weights=DEFAULTS, by=first)
    services.set_weights(weights={**DEFAULTS, "age": 30}, by=second)

    with translation.override("en"):
        page = signed_in.get(reverse("matching:weights")).content.decode()

    history = page[page.index("Last changes") :]
    assert history.index("Yusuf Demir") < history.index("Greta Lindner")
    # Only what changed from the time before is in bold.
    assert "<strong>Age group the volunteer would like to accompany: 30</strong>" in history
    assert "<strong>Shared language: 25</strong>" not in history.split("Greta Lindner")[0]


@pytest.mark.parametrize(
    ("values", "field"),
    [({**DEFAULTS, "language": 101}, "language"), ({**DEFAULTS, "age": -1}, "age")],
)
def test_a_weight_out_of_bounds_is_refused_on_the_page_with_a_message(signed_in, values, field):
    with translation.override("en"):
        response = signed_in.post(reverse("matching:weights"), values)
    page = response.content.decode()

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "The weights were not changed. Please check the marked values." in page
    assert not MatchingWeights.objects.exists()


def test_all_weights_at_zero_are_refused_on_the_page_with_the_reason(signed_in):
    with translation.override("en"):
        response = signed_in.post(reverse("matching:weights"), NOTHING)

    assert response.status_code == 400
    assert "At least one weight must be above 0" in response.content.decode()
    assert not MatchingWeights.objects.exists()


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({**DEFAULTS, "themes": 101}, "Interests match the needs: Ensure this value is less"),
        ({**DEFAULTS, "waiting": -5}, "Waiting time (fairness): Ensure this value is greater"),
        (NOTHING, "At least one weight must be above 0"),
        ({"language": 10}, "Please give a weight for each criterion"),
        ({**DEFAULTS, "luck": 10}, "Please give a weight for each criterion"),
    ],
)
def test_the_service_refuses_what_the_page_refuses_with_a_clear_message(
    coordinator, weights, message
):
    with translation.override("en"), pytest.raises(services.WeightsError) as refused:
        services.set_weights(weights=weights, by=coordinator)

    assert message in str(refused.value)
    assert not MatchingWeights.objects.exists()
    assert not AuditEvent.objects.filter(subject_type="matchingweights").exists()


def test_the_administration_refuses_all_weights_at_zero_too(client, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("admin:matching_matchingweights_add"), NOTHING)

    assert response.status_code == 200
    assert not MatchingWeights.objects.exists()


def test_the_runs_page_shows_the_weights_and_links_to_their_page(signed_in, coordinator):
    services.set_weights(weights={**DEFAULTS, "availability": 42}, by=coordinator)

    page = signed_in.get(reverse("matching:runs")).content.decode()

    assert reverse("matching:weights") in page
    assert "42" in page
    assert 'name="availability"' not in page


def test_volunteers_cannot_see_or_change_the_weights(client, volunteer):
    client.force_login(volunteer)

    assert client.get(reverse("matching:weights")).status_code == 403
    assert client.post(reverse("matching:weights"), DEFAULTS).status_code == 403
    assert not MatchingWeights.objects.exists()


@pytest.mark.parametrize("savings", [1, 25])
def test_the_weights_page_costs_the_same_queries_at_any_size(
    signed_in, coordinator, django_assert_max_num_queries, savings
):
    for number in range(savings):
        services.set_weights(weights={**DEFAULTS, "age": number % 100}, by=coordinator)

    # Session and user, the current weights, the last changes with who made them.
    with django_assert_max_num_queries(4):
        response = signed_in.get(reverse("matching:weights"))

    assert response.status_code == 200
