import pytest
from django.core.management import call_command

from ankommen.accounts.demo import DEMO_PASSWORD
from ankommen.accounts.models import Role, User
from matching.models import MatchingRun, Mentorship
from refugees.models import Newcomer

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
