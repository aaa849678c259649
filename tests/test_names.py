"""Bidi controls never reach a stored name, whichever way the name arrives; the zero-width
non-joiner that Farsi spelling needs is kept."""

import pytest
from django.urls import reverse

from ankommen.accounts.models import User
from ankommen.names import without_bidi_controls
from refugees.models import HouseholdMember, Newcomer
from tests.factories import HouseholdMemberFactory, NewcomerFactory, UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
RLO, LRI, PDI = "\u202e", "\u2066", "\u2069"
ZWNJ = "\u200c"


def test_every_embedding_override_and_isolate_goes_and_joiners_stay():
    controls = "".join(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

    assert without_bidi_controls(f"Ahmad{controls} Karimi") == "Ahmad Karimi"
    assert without_bidi_controls(f"می{ZWNJ}خواهم") == f"می{ZWNJ}خواهم"


def test_saving_strips_them_from_every_name_field():
    user = UserFactory(full_name=f"Ahmad{RLO} 3", preferred_name=f"{LRI}Ahmad{PDI}")
    newcomer = NewcomerFactory(full_name=f"Zainab{RLO}")
    member = HouseholdMemberFactory(
        newcomer=newcomer, relation="child", age_group="6-13", first_name=f"Sara{RLO}"
    )

    user.refresh_from_db()
    assert (user.full_name, user.preferred_name) == ("Ahmad 3", "Ahmad")
    assert Newcomer.objects.get(pk=newcomer.pk).full_name == "Zainab"
    assert HouseholdMember.objects.get(pk=member.pk).first_name == "Sara"


def test_bulk_created_names_lose_them_too():
    User.objects.bulk_create([User(email="bulk@example.org", full_name=f"Omid{RLO}")])

    assert User.objects.get(email="bulk@example.org").full_name == "Omid"


def test_a_volunteer_typing_one_into_the_profile_form_gets_it_stripped(client):
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)

    client.post(
        reverse("accounts:account_settings"),
        {
            "full_name": f"Mina{RLO} Rahimi",
            "preferred_name": "",
            "preferred_language": "de",
        },
    )

    volunteer.user.refresh_from_db()
    assert volunteer.user.full_name == "Mina Rahimi"


def test_the_migrations_clean_names_stored_before():
    import importlib

    from django.apps import apps

    user = UserFactory()
    newcomer = NewcomerFactory()
    User.objects.filter(pk=user.pk).update(full_name=f"Ahmad{RLO}", preferred_name=f"{LRI}A")
    Newcomer.objects.filter(pk=newcomer.pk).update(full_name=f"Zainab{RLO}")

    for module in (
        "ankommen.accounts.migrations.0005_names_without_bidi_controls",
        "refugees.migrations.0003_names_without_bidi_controls",
    ):
        importlib.import_module(module).strip_existing(apps, None)

    user.refresh_from_db()
    assert (user.full_name, user.preferred_name) == ("Ahmad", "A")
    assert Newcomer.objects.get(pk=newcomer.pk).full_name == "Zainab"
