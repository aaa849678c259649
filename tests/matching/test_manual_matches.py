"""Manual matches: the engine's hard rules as warnings, overridden only with a recorded reason."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from ankommen.vocabulary.models import Language
from matching import pairs, services
from matching.engine import STUCK_AFTER, fail_stuck_runs
from matching.models import MatchingRun, Mentorship, Rejection
from refugees.services import issue_access_link
from tests.factories import (
    HouseholdMemberFactory,
    LanguageSkillFactory,
    MatchingRunFactory,
    MentorshipFactory,
    NewcomerFactory,
    NewcomerLanguageFactory,
    VolunteerFactory,
)
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def speaks(person, *codes, level="native"):
    for code in codes:
        language = Language.objects.get(code=code)
        if isinstance(person, Volunteer):
            LanguageSkillFactory(volunteer=person, language=language, level=level)
        else:
            NewcomerLanguageFactory(newcomer=person, language=language, level=level)
    return person


def ready_volunteer(*codes, **fields):
    return speaks(VolunteerFactory(stage="ready", max_mentorships=1, **fields), *codes)


def problems_of(newcomer, volunteer, mediator=None):
    with translation.override("en"):
        [check] = pairs.check_pairs(
            newcomer, [volunteer], services.current_weights(), TODAY, mediator=mediator
        )
        return [str(problem) for problem in check.problems]


def test_a_pair_that_keeps_every_rule_has_no_warning():
    assert problems_of(speaks(NewcomerFactory(), "ar"), ready_volunteer("ar")) == []


def test_each_broken_rule_is_named():
    newcomer = speaks(NewcomerFactory(gender="female", wants_same_gender_contact=True), "ti")
    newcomer.household = "family"
    newcomer.save()
    HouseholdMemberFactory(newcomer=newcomer, relation="child", age_group="6-13")
    busy = VolunteerFactory(stage="applied", gender="male", max_mentorships=1)
    speaks(busy, "de")
    MentorshipFactory(volunteer=busy, newcomer=NewcomerFactory())
    Rejection.objects.create(volunteer=busy, newcomer=newcomer, reason="earlier conflict")

    found = problems_of(newcomer, busy)

    assert len(found) == 8
    text = " ".join(found)
    for words in (
        "no language",
        "police clearance",
        "work with minors",
        "accompany families",
        "same gender",
        "not ready",
        "no free place (1 of 1 taken)",
        "rejected this pair",
    ):
        assert words in text


def test_a_mediator_who_speaks_both_sides_bridges_the_language_gap():
    newcomer = speaks(NewcomerFactory(), "ti")
    volunteer = ready_volunteer("de")
    mediator = speaks(VolunteerFactory(stage="ready", wants_language_mediator=True), "ti", "de")
    only_tigrinya = speaks(VolunteerFactory(stage="ready", wants_language_mediator=True), "ti")

    assert problems_of(newcomer, volunteer) != []
    assert problems_of(newcomer, volunteer, mediator=mediator) == []
    assert problems_of(newcomer, volunteer, mediator=only_tigrinya) != []
    assert set(pairs.mediators_for(newcomer)) == {mediator, only_tigrinya}


def test_a_rule_breaking_match_needs_a_reason_and_keeps_it(coordinator):
    newcomer = speaks(NewcomerFactory(), "ti")
    volunteer = ready_volunteer("de")

    with pytest.raises(services.OverrideNeededError) as refused:
        services.match_manually(
            newcomer=newcomer, volunteer=volunteer, by=coordinator, override_reason="   "
        )
    assert not Mentorship.objects.exists()
    assert len(refused.value.problems) == 1

    made = services.match_manually(
        newcomer=newcomer,
        volunteer=volunteer,
        by=coordinator,
        override_reason="Her son interprets.",
    )
    assert (made.matched_by, made.override_reason) == (coordinator, "Her son interprets.")


def test_a_clean_manual_match_records_no_override_and_a_second_one_is_refused(coordinator):
    newcomer = speaks(NewcomerFactory(), "ar")
    made = services.match_manually(
        newcomer=newcomer,
        volunteer=ready_volunteer("ar"),
        by=coordinator,
        override_reason="not needed",
    )

    assert made.override_reason == ""
    with pytest.raises(services.MatchRefusedError):
        services.match_manually(
            newcomer=newcomer, volunteer=ready_volunteer("ar"), by=coordinator, override_reason="x"
        )


def test_the_page_suggests_free_volunteers_and_warns_in_search_results(client, coordinator):
    newcomer = speaks(NewcomerFactory(), "fa")
    fits = ready_volunteer("fa")
    unfit = speaks(VolunteerFactory(stage="ready", user__full_name="Zora Unpassend"), "uk")
    client.force_login(coordinator)
    url = reverse("matching:manual_match", args=[newcomer.pk])

    suggested = client.get(url)
    searched = client.get(url, {"q": "Zora"})

    assert [check.volunteer for check in suggested.context["suggestions"]] == [fits]
    [check] = searched.context["checks"]
    assert check.volunteer == unfit
    assert check.problems
    assert 'name="override_reason"' in searched.content.decode()


def test_posting_without_a_reason_matches_nobody_and_with_one_records_it(client, coordinator):
    newcomer = speaks(NewcomerFactory(), "fa")
    unfit = ready_volunteer("uk")
    client.force_login(coordinator)
    url = reverse("matching:manual_match", args=[newcomer.pk])

    refused = client.post(url, {"volunteer": unfit.pk}, follow=True)
    made = client.post(url, {"volunteer": unfit.pk, "override_reason": "Speaks Russian too"})

    assert refused.status_code == 200
    assert [message.level_tag for message in refused.context["messages"]] == ["error"]
    mentorship = Mentorship.objects.get()
    assert made.url == reverse("matching:mentorship_detail", args=[mentorship.pk])
    assert mentorship.override_reason == "Speaks Russian too"


def test_a_bogus_volunteer_or_mediator_gets_a_message_not_an_error(client, coordinator):
    newcomer = speaks(NewcomerFactory(), "fa")
    stranger = ready_volunteer("fa")
    client.force_login(coordinator)
    url = reverse("matching:manual_match", args=[newcomer.pk])

    response = client.post(url, {"volunteer": "abc", "mediator": stranger.pk}, follow=True)
    odd_mediator = client.get(url, {"q": "x" * 500, "mediator": "1 OR 1=1"})

    assert response.status_code == 200
    assert not Mentorship.objects.exists()
    assert odd_mediator.status_code == 200
    assert odd_mediator.context["mediator"] is None


def test_the_manual_match_page_costs_the_same_whatever_the_number_of_volunteers(
    client, coordinator
):
    newcomer = speaks(NewcomerFactory(), "ar")
    client.force_login(coordinator)
    url = reverse("matching:manual_match", args=[newcomer.pk])

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as suggested:
            client.get(url)
        with CaptureQueriesContext(connection) as searched:
            client.get(url, {"q": "Sami"})
        return len(suggested), len(searched)

    ready_volunteer("ar", user__full_name="Sami Helfer 0")
    few = queries()
    for number in range(1, 12):
        ready_volunteer("ar", user__full_name=f"Sami Helfer {number}")

    assert queries() == few


def test_introducing_shows_the_newcomer_their_contact_person_and_a_printable_note(
    client, coordinator
):
    newcomer = speaks(NewcomerFactory(full_name="Amina Haddad", preferred_language="ar"), "ar")
    volunteer = ready_volunteer("ar", user__full_name="Lena Vogt")
    mentorship = services.match_manually(newcomer=newcomer, volunteer=volunteer, by=coordinator)
    meeting = TODAY + timedelta(days=3)
    services.move_mentorship(
        mentorship=mentorship,
        to_state=Mentorship.State.INTRODUCED,
        first_meeting_on=meeting,
        first_meeting_place="Stadtteilzentrum Linden",
    )
    client.force_login(coordinator)

    note = client.get(reverse("matching:mentorship_note", args=[mentorship.pk]))

    html = note.content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "Lena" in html
    assert "Vogt" not in html
    assert "Stadtteilzentrum Linden" in html
    assert newcomer.residence_status not in html


def test_ending_asks_the_volunteer_for_feedback_by_e_mail(
    coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    mentorship = services.match_manually(
        newcomer=speaks(NewcomerFactory(full_name="Omar Sayed"), "ar"),
        volunteer=ready_volunteer("ar"),
        by=coordinator,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.move_mentorship(
            mentorship=mentorship, to_state=Mentorship.State.ENDED, end_reason="goal_reached"
        )

    [mail] = mailoutbox
    assert "Omar" in mail.subject
    assert "Sayed" not in mail.body
    assert reverse("matching:my_mentorship", args=[mentorship.pk]) in mail.body


def test_a_volunteer_records_the_agreement_of_their_own_mentorship_only(client, coordinator):
    mine = services.match_manually(
        newcomer=speaks(NewcomerFactory(), "ar"), volunteer=ready_volunteer("ar"), by=coordinator
    )
    services.move_mentorship(
        mentorship=mine, to_state="introduced", first_meeting_on=date(2026, 11, 20)
    )
    other = services.match_manually(
        newcomer=speaks(NewcomerFactory(), "ar"), volunteer=ready_volunteer("ar"), by=coordinator
    )
    services.move_mentorship(
        mentorship=other, to_state="introduced", first_meeting_on=date(2026, 11, 20)
    )
    client.force_login(mine.volunteer.user)
    agreement = {"goals": "Find a flat", "meeting_frequency": "weekly", "agreed_on": "2026-11-21"}

    client.post(reverse("matching:my_mentorship_agreement", args=[mine.pk]), agreement)
    foreign = client.post(reverse("matching:my_mentorship_agreement", args=[other.pk]), agreement)
    empty = client.post(reverse("matching:my_mentorship_agreement", args=[mine.pk]), {})

    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.goals, mine.meeting_frequency, mine.agreed_on) == (
        "Find a flat",
        "weekly",
        date(2026, 11, 21),
    )
    assert foreign.status_code == 404
    assert other.goals == ""
    assert empty.status_code == 400
    assert mine.goals == "Find a flat"


def test_feedback_is_given_once_per_side_and_only_after_the_end(coordinator):
    mentorship = services.match_manually(
        newcomer=speaks(NewcomerFactory(), "ar"), volunteer=ready_volunteer("ar"), by=coordinator
    )
    with pytest.raises(services.MatchRefusedError):
        services.give_feedback(mentorship=mentorship, side="volunteer", rating="good")

    mentorship = services.move_mentorship(
        mentorship=mentorship, to_state=Mentorship.State.ENDED, end_reason="goal_reached"
    )
    services.give_feedback(mentorship=mentorship, side="volunteer", rating="good", comment="Lovely")
    services.give_feedback(mentorship=mentorship, side="newcomer", rating="mixed")

    with pytest.raises(services.MatchRefusedError):
        services.give_feedback(mentorship=mentorship, side="volunteer", rating="bad")
    assert sorted(mentorship.feedback.values_list("side", "rating")) == [
        ("newcomer", "mixed"),
        ("volunteer", "good"),
    ]


def test_a_stuck_run_is_failed_by_the_reaper_and_a_fresh_one_left_alone():
    stuck = MatchingRunFactory()
    fresh = MatchingRunFactory()
    MatchingRun.objects.filter(pk=stuck.pk).update(
        started_at=timezone.now() - STUCK_AFTER - timedelta(minutes=1)
    )

    assert fail_stuck_runs() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.state, fresh.state) == ("failed", "running")
    assert stuck.finished_at is not None


@pytest.fixture
def newcomer_browser(client, coordinator):
    """A newcomer who opened their card, and a mentorship introduced for them."""
    newcomer = speaks(NewcomerFactory(full_name="Amina Haddad", preferred_language="en"), "ar")
    card = issue_access_link(newcomer=newcomer, by=coordinator)
    mentorship = services.match_manually(
        newcomer=newcomer,
        volunteer=ready_volunteer("ar", user__full_name="Lena Vogt"),
        by=coordinator,
    )
    mentorship = services.move_mentorship(
        mentorship=mentorship,
        to_state=Mentorship.State.INTRODUCED,
        first_meeting_on=TODAY + timedelta(days=2),
        first_meeting_place="Café Kantine",
    )
    client.get(f"/n/{card.token}/")
    return client, mentorship


def test_the_newcomer_sees_the_new_contact_person_first_meeting_and_place(newcomer_browser):
    client, _mentorship = newcomer_browser

    with translation.override("en"):
        home = client.get(reverse("newcomer:home")).content.decode()
        contact = client.get(reverse("newcomer:contact")).content.decode()

    assert "You have a contact person: Lena." in home
    assert "Lena" in contact
    assert "Vogt" not in contact
    assert "Café Kantine" in contact


def test_after_the_end_the_newcomer_is_asked_once_how_it_went(newcomer_browser):
    client, mentorship = newcomer_browser
    services.move_mentorship(
        mentorship=mentorship, to_state=Mentorship.State.ENDED, end_reason="moved_away"
    )
    url = reverse("matching:newcomer_feedback", args=[mentorship.pk])

    assert url in client.get(reverse("newcomer:home")).content.decode()
    invalid = client.post(url, {"rating": "wonderful"})
    client.post(url, {"rating": "good", "comment": "Danke"})

    assert invalid.status_code == 400
    assert mentorship.feedback.get().comment == "Danke"
    assert url not in client.get(reverse("newcomer:home")).content.decode()
    assert client.get(url).context["given"] is True


def test_a_newcomer_cannot_open_someone_elses_feedback_page(newcomer_browser, coordinator):
    client, _mine = newcomer_browser
    other = services.match_manually(
        newcomer=speaks(NewcomerFactory(), "ar"), volunteer=ready_volunteer("ar"), by=coordinator
    )
    other = services.move_mentorship(
        mentorship=other, to_state=Mentorship.State.ENDED, end_reason="other"
    )

    assert client.get(reverse("matching:newcomer_feedback", args=[other.pk])).status_code == 404
    assert (
        client.post(
            reverse("matching:newcomer_feedback", args=[other.pk]), {"rating": "bad"}
        ).status_code
        == 404
    )
    assert not other.feedback.exists()


def test_the_coordinators_page_shows_agreement_check_ins_and_feedback(client, coordinator):
    mentorship = services.match_manually(
        newcomer=speaks(NewcomerFactory(), "ti"),
        volunteer=ready_volunteer("de"),
        by=coordinator,
        override_reason="Brother interprets",
    )
    services.record_agreement(
        mentorship=mentorship,
        goals="German course",
        meeting_frequency="fortnightly",
        agreed_on=TODAY,
    )
    mentorship = services.move_mentorship(
        mentorship=mentorship, to_state=Mentorship.State.ENDED, end_reason="other"
    )
    services.give_feedback(
        mentorship=mentorship, side="newcomer", rating="good", comment="Sehr nett"
    )
    client.force_login(coordinator)

    page = client.get(reverse("matching:mentorship_detail", args=[mentorship.pk]))

    html = page.content.decode()
    for shown in ("Brother interprets", "German course", "Sehr nett"):
        assert shown in html
