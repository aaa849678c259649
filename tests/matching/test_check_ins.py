"""Check-ins: asked every four weeks, answered by a one-click link, trouble flagged."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ankommen.tokens import hash_token
from matching import checkins
from matching.models import CheckIn, Mentorship
from tests.factories import CheckInFactory, MentorshipFactory, NewcomerFactory, VolunteerFactory
from volunteers.services import withdraw

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def active_since(days):
    return MentorshipFactory(
        volunteer=VolunteerFactory(stage="active"),
        newcomer=NewcomerFactory(full_name="Amal Haddad"),
        state=Mentorship.State.ACTIVE,
        state_changed_at=timezone.now() - timedelta(days=days),
    )


def send(today, mailoutbox, capture):
    with capture(execute=True):
        checkins.send_check_ins(today)
    return mailoutbox


def link_for(mail, answer):
    return re.search(rf"https?://\S+/check-in/(\S+)/\?answer={answer}", mail.body)


def test_a_volunteer_is_asked_four_weeks_after_the_start_and_then_every_four_weeks(
    mailoutbox, django_capture_on_commit_callbacks
):
    mentorship = active_since(days=28)
    active_since(days=0)

    send(TODAY, mailoutbox, django_capture_on_commit_callbacks)
    send(TODAY + timedelta(days=27), mailoutbox, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [mentorship.volunteer.user.email]
    assert "Amal" in mailoutbox[0].subject
    assert "Haddad" not in mailoutbox[0].body

    send(TODAY + timedelta(days=28), mailoutbox, django_capture_on_commit_callbacks)
    assert CheckIn.objects.filter(mentorship=mentorship).count() == 2


def test_one_click_answers_without_signing_in_and_need_help_flags(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    mentorship = active_since(days=30)
    [mail] = send(TODAY, mailoutbox, django_capture_on_commit_callbacks)
    url = reverse("matching:check_in", args=[link_for(mail, "help").group(1)])

    page = client.get(url, {"answer": "help"})
    assert page.status_code == 200
    assert re.search(r'<input[^>]*value="help"[^>]*checked', page.content.decode())
    assert not CheckIn.objects.get().answered_at  # opening the link alone changes nothing

    done = client.post(url, {"answer": "help", "note": "Housing letter we cannot read"})
    assert done.status_code == 200
    mentorship.refresh_from_db()
    assert mentorship.flag == Mentorship.Flag.NEEDS_HELP
    assert CheckIn.objects.get().note == "Housing letter we cannot read"

    again = client.post(url, {"answer": "good"})
    assert again.status_code == 400
    assert CheckIn.objects.get().answer == "help"


def test_a_check_in_link_of_a_mentorship_ended_since_records_nothing(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    mentorship = active_since(days=30)
    [mail] = send(TODAY, mailoutbox, django_capture_on_commit_callbacks)
    url = reverse("matching:check_in", args=[link_for(mail, "help").group(1)])
    volunteer = mentorship.volunteer
    withdraw(volunteer=volunteer, by=volunteer.user, reason="Moving away")

    opened = client.get(url, {"answer": "help"})
    answered = client.post(url, {"answer": "help", "note": "Still there?"})

    assert (opened.status_code, answered.status_code) == (400, 400)
    with translation.override(opened.headers["Content-Language"]):
        closed = gettext("This mentorship has ended, so this check-in is closed. Thank you!")
    assert closed in answered.text
    check_in = CheckIn.objects.get()
    assert (check_in.answered_at, check_in.note) == (None, "")
    mentorship.refresh_from_db()
    assert mentorship.flag == ""


def test_a_forged_link_or_missing_answer_is_explained_not_an_error(client):
    assert client.get(reverse("matching:check_in", args=["forged"])).status_code == 400
    mentorship = active_since(days=30)
    CheckInFactory(mentorship=mentorship, due_on=TODAY, token_hash=hash_token("t0k"))

    response = client.post(reverse("matching:check_in", args=["t0k"]), {"answer": "maybe"})

    assert response.status_code == 200
    assert CheckIn.objects.get().answered_at is None


def test_two_missed_check_ins_flag_the_mentorship_and_an_answer_clears_it():
    mentorship = active_since(days=90)
    for weeks in (2, 6):
        CheckInFactory(
            mentorship=mentorship,
            due_on=TODAY - timedelta(weeks=weeks),
            token_hash=hash_token(f"token-{weeks}"),
        )
    other = active_since(days=90)
    CheckInFactory(mentorship=other, due_on=TODAY - timedelta(weeks=6), token_hash=hash_token("o1"))
    CheckInFactory(
        mentorship=other,
        due_on=TODAY - timedelta(weeks=2),
        token_hash=hash_token("o2"),
        answer="good",
        answered_at=timezone.now(),
    )

    assert checkins.flag_missed(TODAY) == 1
    mentorship.refresh_from_db()
    assert mentorship.flag == Mentorship.Flag.CHECK_INS_MISSED

    checkins.answer_check_in("token-2", "good", "")
    mentorship.refresh_from_db()
    assert mentorship.flag == ""


def test_flagged_mentorships_come_first_and_coordinators_clear_them(client, coordinator):
    calm = active_since(days=5)
    troubled = active_since(days=5)
    troubled.flag = Mentorship.Flag.NEEDS_HELP
    troubled.save()
    client.force_login(coordinator)

    flagged = client.get(reverse("matching:mentorships"), {"state": "flagged"})
    assert [m.pk for m, _ in flagged.context["rows"]] == [troubled.pk]
    everyone = client.get(reverse("matching:mentorships"))
    assert [m.pk for m, _ in everyone.context["rows"]] == [troubled.pk, calm.pk]

    client.post(reverse("matching:mentorship_clear_flag", args=[troubled.pk]))
    troubled.refresh_from_db()
    assert troubled.flag == ""
