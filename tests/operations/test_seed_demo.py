import pytest
from django.core.management import call_command

from ankommen.accounts.demo import DEMO_PASSWORD
from ankommen.accounts.models import Role, User
from ankommen.messaging.models import Newsletter, OutboxMessage, Subscription
from matching.models import CheckIn, ClosingFeedback, MatchingRun, Mentorship
from refugees.models import Newcomer
from trainings.models import Registration
from workgroups.models import WorkingGroup

pytestmark = pytest.mark.django_db


def _people():
    return list(User.objects.order_by("email").values_list("email", "full_name", "role"))


def test_same_seed_gives_the_same_people():
    call_command("seed_demo", "--seed", "7", "--volunteers", "30", "--coordinators", "2")
    first = _people()
    Newcomer.objects.all().delete()
    User.objects.all().delete()

    call_command("seed_demo", "--seed", "7", "--volunteers", "30", "--coordinators", "2")

    assert _people() == first
    assert User.objects.filter(role=Role.VOLUNTEER).count() == 31  # 30 + the demo login


def test_running_twice_adds_nobody_twice():
    call_command("seed_demo", "--volunteers", "10", "--coordinators", "1")
    count = User.objects.count()

    call_command("seed_demo", "--volunteers", "10", "--coordinators", "1")

    assert User.objects.count() == count


def test_if_empty_leaves_an_installation_with_people_alone(volunteer, capsys):
    call_command("seed_demo", "--if-empty")

    assert User.objects.count() == 1
    assert "already present" in capsys.readouterr().out


@pytest.mark.parametrize("login", ["admin", "coordinator", "volunteer"])
def test_every_demo_login_can_sign_in(client, login, capsys):
    call_command("seed_demo", "--volunteers", "0", "--coordinators", "0")
    assert f"{login}@demo.ankommen.example" in capsys.readouterr().out

    response = client.post(
        "/de/accounts/login/",
        {"login": f"{login}@demo.ankommen.example", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_demo_newcomer_signs_in_with_the_printed_card_link(client, capsys):
    call_command("seed_demo", "--volunteers", "0", "--coordinators", "1", "--newcomers", "3")
    assert "/n/demo-newcomer-card/" in capsys.readouterr().out

    response = client.get("/n/demo-newcomer-card/")

    assert response.status_code == 302
    assert response["Location"] == "/ar/me/language/"
    assert client.get("/ar/me/").status_code == 200


def test_the_demo_has_a_matching_run_with_proposals_and_explained_leftovers():
    call_command("seed_demo", "--volunteers", "40", "--coordinators", "1")

    run = MatchingRun.objects.get()
    assert run.proposals.filter(state="proposed").exists()
    assert run.leftovers.exists()
    assert Mentorship.objects.filter(state="active").exists()


def test_every_city_scale_size_can_be_asked_for():
    """The sizes bench/city.py asks for, scaled down: each one is what the seed delivers."""
    call_command(
        "seed_demo",
        *("--volunteers", "60", "--newcomers", "60", "--coordinators", "1"),
        *("--groups", "15", "--sessions", "10", "--sign-ups", "400"),
        *("--mentorships", "40", "--subscriber-percent", "100", "--newsletters", "5"),
    )

    assert WorkingGroup.objects.count() == 15
    assert WorkingGroup.objects.values("name").distinct().count() == 15
    # Sign-ups scatter around the asked-for mean; the sessions grow to hold them.
    assert 300 <= Registration.objects.count() <= 500
    assert Mentorship.objects.count() == 40
    assert set(Mentorship.objects.values_list("state", flat=True)) >= {"active", "ended"}
    assert CheckIn.objects.exists()
    assert ClosingFeedback.objects.exists()
    subscribers = Subscription.objects.count()
    assert subscribers == User.objects.filter(role=Role.VOLUNTEER).count()
    assert OutboxMessage.objects.count() == 5 * subscribers
    assert Newsletter.objects.filter(state="sent").count() == 5


def test_the_smallest_demo_still_shows_an_ended_mentorship_with_feedback():
    call_command("seed_demo", "--volunteers", "40", "--coordinators", "1")

    ended = Mentorship.objects.get(state="ended")
    assert ended.end_reason == "goal_reached"
    assert ended.feedback.count() == 2
