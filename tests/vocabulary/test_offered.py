"""A retired entry is no longer offered in new forms and filters, yet every record that holds it
keeps it, shows it marked, and can be edited without losing it."""

import pytest
from django.urls import reverse
from django.utils import translation

from ankommen.messaging.forms import NewsletterForm
from ankommen.vocabulary import services
from ankommen.vocabulary.forms import language_formset
from ankommen.vocabulary.models import District, Language, Theme
from cockpit.imports.kinds import Lookups
from refugees.forms import HelpForm, NeedForm, NewcomerForm
from tests.factories import (
    LanguageSkillFactory,
    NewcomerFactory,
    NewsletterFactory,
    UserFactory,
    VolunteerFactory,
)
from volunteers.forms import AboutYouForm, OfferForm
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def retired_district(coordinator):
    district = District.objects.get(slug="mitte")
    services.retire_entry(entry=district, by=coordinator)
    return district


def _choices(field):
    return {choice.pk for choice in field.queryset}


def test_a_retired_district_is_not_offered_in_the_volunteer_wizard(client, retired_district):
    volunteer = VolunteerFactory(district=None, wizard_step=0, profile_completed_at=None)
    client.force_login(volunteer.user)

    response = client.get(reverse("volunteers:wizard", args=[1]))

    offered = _choices(response.context["form"].fields["district"])
    assert retired_district.pk not in offered
    assert District.objects.get(slug="linden-limmer").pk in offered
    assert "Mitte" not in response.content.decode()


def test_a_new_volunteer_cannot_post_a_retired_district(client, retired_district):
    volunteer = VolunteerFactory(district=None, wizard_step=0, profile_completed_at=None)
    client.force_login(volunteer.user)

    client.post(
        reverse("volunteers:wizard", args=[1]),
        {"full_name": "Lea Brandt", "district": retired_district.pk, "gender": ""},
    )

    volunteer.refresh_from_db()
    assert volunteer.district is None


def test_a_volunteer_who_has_the_retired_district_keeps_it_and_sees_it_marked(
    client, retired_district
):
    volunteer = VolunteerFactory(district=retired_district)
    client.force_login(volunteer.user)

    with translation.override("en"):
        profile = client.get(reverse("volunteers:my_profile")).content.decode()
        step = client.get(reverse("volunteers:wizard", args=[1]))
        client.post(
            reverse("volunteers:wizard", args=[1]),
            {"full_name": "Lea Brandt", "district": retired_district.pk, "gender": ""},
        )

    volunteer.refresh_from_db()
    assert "Mitte (no longer offered)" in profile
    assert retired_district.pk in _choices(step.context["form"].fields["district"])
    assert volunteer.district == retired_district
    assert volunteer.user.full_name == "Lea Brandt"


def test_coordinators_see_the_retired_district_marked_on_the_volunteer(
    client, coordinator, retired_district
):
    volunteer = VolunteerFactory(district=retired_district)
    client.force_login(coordinator)

    with translation.override("en"):
        page = client.get(reverse("volunteers:volunteer_detail", args=[volunteer.pk]))

    assert "Mitte (no longer offered)" in page.content.decode()


def test_every_form_choosing_vocabulary_offers_only_what_is_offered(coordinator):
    theme = Theme.objects.get(slug="housing")
    services.retire_entry(entry=theme, by=coordinator)
    district = District.objects.get(slug="mitte")
    services.retire_entry(entry=district, by=coordinator)
    volunteer = Volunteer.objects.get(pk=VolunteerFactory(district=None).pk)

    assert district.pk not in _choices(NewcomerForm().fields["district"])
    assert theme.pk not in _choices(NeedForm().fields["theme"])
    assert theme.pk not in _choices(HelpForm().fields["theme"])
    assert theme.pk not in _choices(OfferForm(instance=volunteer).fields["themes"])
    assert district.pk not in _choices(AboutYouForm(instance=volunteer).fields["district"])


def test_a_newcomer_record_with_a_retired_district_and_theme_is_edited_without_losing_them(
    coordinator,
):
    district = District.objects.get(slug="mitte")
    newcomer = NewcomerFactory(district=district)
    theme = Theme.objects.get(slug="housing")
    volunteer = VolunteerFactory()
    volunteer.themes.add(theme)
    services.retire_entry(entry=district, by=coordinator)
    services.retire_entry(entry=theme, by=coordinator)

    assert district.pk in _choices(NewcomerForm(instance=newcomer).fields["district"])
    assert theme.pk in _choices(OfferForm(instance=volunteer).fields["themes"])


def test_a_retired_language_stays_on_a_volunteer_but_is_not_offered_in_new_rows(coordinator):
    tigrinya = Language.objects.get(code="ti")
    volunteer = VolunteerFactory()
    LanguageSkillFactory(volunteer=volunteer, language=tigrinya)
    services.retire_entry(entry=tigrinya, by=coordinator)

    formset = language_formset(volunteer.languages)

    held, *new_rows = formset.forms
    assert tigrinya.pk in _choices(held.fields["language"])
    assert all(tigrinya.pk not in _choices(row.fields["language"]) for row in new_rows)


def test_the_card_file_filter_leaves_retired_districts_out_but_a_link_still_finds_them(
    client, coordinator, retired_district
):
    VolunteerFactory(district=retired_district, user=UserFactory(full_name="Lea Brandt"))
    VolunteerFactory(district=District.objects.get(slug="linden-limmer"))
    client.force_login(coordinator)

    plain = client.get(reverse("volunteers:card_file"))
    linked = client.get(reverse("volunteers:card_file"), {"district": retired_district.pk})

    assert retired_district.pk not in _choices(plain.context["filter"].form.fields["district"])
    assert [volunteer.user.full_name for volunteer in linked.context["page"]] == ["Lea Brandt"]


def test_an_import_refuses_a_retired_district_with_a_message(retired_district):
    lookups = Lookups()

    with translation.override("en"), pytest.raises(Exception, match="mitte is retired"):
        lookups.district("mitte")
    assert lookups.district("linden-limmer").slug == "linden-limmer"


def test_a_newsletter_draft_to_a_retired_district_keeps_its_audience(retired_district):
    draft = NewsletterFactory(segment_kind="district", segment_value="mitte")

    new = NewsletterForm()
    edited = NewsletterForm(
        {"subject": "Hallo", "language": "de", "body": "Text", "audience": "district:mitte"},
        instance=draft,
    )

    assert "district:mitte" not in str(new.fields["audience"].choices)
    assert edited.is_valid(), edited.errors
    assert edited.save().segment_value == "mitte"
