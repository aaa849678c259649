"""A volunteer who leaves ends every commitment in every app, whichever path they leave by:
their own page, a coordinator, erasure or retention. Pausing pauses their mentorships."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone, translation

from ankommen.messaging.models import OutboxMessage
from ankommen.privacy.registry import VOLUNTEER, erase_person
from ankommen.privacy.retention import confirm_review, propose_review
from ankommen.vocabulary.models import Language
from cockpit import dashboard
from matching.checkins import due_mentorships, send_check_ins
from matching.integrations import volunteer_left_notice
from matching.loader import Scope, available_volunteers, waiting_newcomers
from matching.models import Mentorship, Proposal
from refugees.services import issue_access_link
from tests.factories import (
    MatchingRunFactory,
    MediatorRequestFactory,
    MembershipFactory,
    MentorshipFactory,
    NewcomerFactory,
    ProposalFactory,
    SessionFactory,
    TaskFactory,
    UserFactory,
    VolunteerFactory,
    WorkingGroupFactory,
)
from trainings.models import Registration
from trainings.services import sign_up
from volunteers.models import Stage, StageChange
from volunteers.services import StageTransitionError, move_stage, resume
from workgroups.models import MediatorRequest, Membership, Task
from workgroups.services import sign_up_for_task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WITHDREW = "volunteer_withdrew"


@pytest.fixture
def coordinator(db):
    return UserFactory(role="coordinator", full_name="Petra Koordinatorin")


@pytest.fixture
def volunteer(db):
    # Leads a working group below, so has a second factor as leads must.
    return VolunteerFactory(
        stage=Stage.ACTIVE, user__full_name="Jonas Becker", user__second_factor=True
    )


@pytest.fixture
def newcomer(db):
    return NewcomerFactory(
        full_name="Amina Haddad",
        preferred_language="ar",
        email="amina@example.org",
        waiting_since=TODAY - timedelta(days=120),
    )


@pytest.fixture
def mentorship(volunteer, newcomer):
    """Active for ten weeks: a check-in is due."""
    return MentorshipFactory(
        volunteer=volunteer,
        newcomer=newcomer,
        state=Mentorship.State.ACTIVE,
        first_meeting_on=TODAY - timedelta(weeks=10),
        state_changed_at=timezone.now() - timedelta(weeks=10),
    )


@pytest.fixture
def commitments(volunteer, mentorship, coordinator):
    """A place in a full session with someone waiting, a group they lead, a task, a mediation
    they accepted, and a proposal for another newcomer."""
    user = volunteer.user
    session = SessionFactory(capacity=1)
    place = sign_up(session=session, by=user, user=user)
    waiting_person = UserFactory(full_name="Lena Wartend")
    waiting = sign_up(session=session, by=waiting_person, user=waiting_person)
    group = WorkingGroupFactory(name="Fahrradwerkstatt")
    membership = MembershipFactory(group=group, user=user, lead=True)
    task = TaskFactory(
        title="Umzugshilfe",
        helpers_needed=1,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
    )
    task_signup = sign_up_for_task(task=task, user=user)
    mediation = MediatorRequestFactory(
        language=Language.objects.get(code="ar"),
        other_language=Language.objects.get(code="de"),
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5, hours=1),
        place="Ausländerbehörde",
        topic="Termin",
        requested_by=coordinator,
        state=MediatorRequest.State.ACCEPTED,
        mediator=user,
    )
    proposal = ProposalFactory(
        run=MatchingRunFactory(), volunteer=volunteer, newcomer=NewcomerFactory(), score=60
    )
    assert (place.state, waiting.state) == ("confirmed", "waitlisted")
    assert Task.objects.get(pk=task.pk).is_open is False
    return {
        "session": session,
        "place": place,
        "waiting": waiting,
        "membership": membership,
        "task": task,
        "task_signup": task_signup,
        "mediation": mediation,
        "proposal": proposal,
    }


def _newcomer_browser(newcomer, coordinator):
    browser = Client()
    browser.get(f"/n/{issue_access_link(newcomer=newcomer, by=coordinator).token}/")
    return browser


def _reloaded(row):
    row.refresh_from_db()
    return row


def test_withdrawing_on_their_own_page_ends_every_commitment_in_every_app(
    client,
    volunteer,
    newcomer,
    mentorship,
    commitments,
    coordinator,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    newcomer_browser = _newcomer_browser(newcomer, coordinator)
    assert "Jonas" in newcomer_browser.get("/ar/me/contact/").content.decode()
    assert mentorship in due_mentorships(TODAY)
    assert newcomer not in waiting_newcomers(Scope(), TODAY)
    client.force_login(volunteer.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/de/volunteers/me/withdraw/", {"reason": "Umzug nach Leipzig"})

    assert response.status_code == 302, response
    assert response["Location"] == "/de/volunteers/me/", response["Location"]
    assert _reloaded(volunteer).stage == Stage.WITHDRAWN
    # Matching: the mentorship ended with its reason, no check-in is due, the proposal is gone.
    mentorship = _reloaded(mentorship)
    assert (mentorship.state, mentorship.end_reason) == ("ended", WITHDREW)
    assert mentorship not in due_mentorships(TODAY + timedelta(weeks=8))
    assert send_check_ins(TODAY + timedelta(weeks=8)) == 0
    assert _reloaded(commitments["proposal"]).state == Proposal.State.WITHDRAWN
    # The newcomer is back in the queue with the time they have already waited.
    queued = waiting_newcomers(Scope(), TODAY).get(pk=newcomer.pk)
    assert queued.waiting_since == TODAY - timedelta(days=120)
    # Trainings: the place went to the person waiting, who has the mail.
    place, waiting = _reloaded(commitments["place"]), _reloaded(commitments["waiting"])
    assert (place.state, place.cancel_reason) == ("cancelled", WITHDREW)
    assert waiting.state == Registration.State.CONFIRMED
    assert _reloaded(commitments["session"]).confirmed_count == 1
    assert OutboxMessage.objects.filter(
        template="trainings/email/promoted", to_email=waiting.user.email
    ).exists()
    # Working groups: no membership (nor lead role), no task, the mediation looks again.
    membership = _reloaded(commitments["membership"])
    assert (membership.state, membership.role, membership.end_reason) == (
        "left",
        "member",
        WITHDREW,
    )
    task_signup = _reloaded(commitments["task_signup"])
    assert task_signup.cancelled_at is not None
    assert task_signup.cancel_reason == WITHDREW
    task = _reloaded(commitments["task"])
    assert (task.signed_up_count, task.is_open) == (0, True)
    mediation = _reloaded(commitments["mediation"])
    assert (mediation.state, mediation.mediator, mediation.reopen_reason) == (
        "open",
        None,
        WITHDREW,
    )
    assert OutboxMessage.objects.filter(
        template="workgroups/email/mediator_withdrew", to_email=coordinator.email
    ).exists()
    # The newcomer: no name any more, told in Arabic on the page and by mail.
    contact = newcomer_browser.get("/ar/me/contact/").content.decode()
    home = newcomer_browser.get("/ar/me/").content.decode()
    with translation.override("ar"):
        notice = volunteer_left_notice()
        no_contact = translation.pgettext(
            "newcomer view",
            "You do not have a contact person yet. We are looking for someone for you and will "
            "tell you.",
        )
    assert "Jonas" not in contact
    assert "Jonas" not in home
    assert no_contact in contact
    assert notice in home
    assert 'lang="ar"' in home
    mail = OutboxMessage.objects.get(template="matching/email/volunteer_left")
    assert (mail.to_email, mail.language, mail.state) == ("amina@example.org", "ar", "sent")
    sent = next(message for message in mailoutbox if message.to == ["amina@example.org"])
    assert "Jonas" not in sent.body
    assert notice in sent.body
    assert "Jonas" not in str(mail.context)
    # Coordinators: a mail, and the dashboard.
    assert OutboxMessage.objects.filter(
        template="volunteers/email/withdrawn", to_email=coordinator.email
    ).exists()
    client.force_login(coordinator)
    cache.clear()
    page = client.get("/de/cockpit/")
    withdrawals = page.context["dashboard"].withdrawals
    assert (withdrawals.withdrew.value, withdrawals.back_in_queue.value) == (1, 1)
    row = withdrawals.recent[0]
    assert (row.mentorships, row.training_places, row.memberships, row.task_signups) == (1, 1, 1, 1)
    assert row.back_in_queue == [newcomer]
    assert "Amina Haddad" in page.content.decode()


def test_a_coordinator_moving_a_volunteer_to_withdrawn_ends_their_commitments(
    client, volunteer, mentorship, commitments, coordinator
):
    client.force_login(coordinator)

    client.post(
        f"/de/volunteers/{volunteer.pk}/stage/",
        {"to_stage": Stage.WITHDRAWN, "reason": "Nicht mehr erreichbar"},
    )

    change = StageChange.objects.get(volunteer=volunteer, to_stage=Stage.WITHDRAWN)
    assert change.changed_by == coordinator
    assert _reloaded(mentorship).end_reason == WITHDREW
    assert _reloaded(commitments["waiting"]).state == Registration.State.CONFIRMED
    assert _reloaded(commitments["membership"]).state == Membership.State.LEFT


def test_withdrawing_through_the_card_file_bulk_move_ends_commitments_too(
    client, volunteer, mentorship, coordinator
):
    client.force_login(coordinator)

    client.post(
        "/de/volunteers/bulk/",
        {"action": "move_stage", "to_stage": Stage.WITHDRAWN, "volunteers": [volunteer.pk]},
    )
    assert _reloaded(volunteer).stage != Stage.WITHDRAWN  # the summary comes first
    client.post(
        "/de/volunteers/bulk/move/", {"to_stage": Stage.WITHDRAWN, "volunteers": [volunteer.pk]}
    )

    assert _reloaded(volunteer).stage == Stage.WITHDRAWN
    assert _reloaded(mentorship).end_reason == WITHDREW


def test_withdrawal_ends_interpreting_in_other_pairs(volunteer, coordinator):
    pair = MentorshipFactory(
        volunteer=VolunteerFactory(stage=Stage.ACTIVE),
        newcomer=NewcomerFactory(),
        state=Mentorship.State.ACTIVE,
        language_mediator=volunteer,
    )

    move_stage(volunteer=volunteer, to_stage=Stage.WITHDRAWN, by=coordinator)

    pair = _reloaded(pair)
    assert pair.state == Mentorship.State.ACTIVE
    assert pair.language_mediator is None


def test_erasing_a_volunteer_who_has_not_withdrawn_ends_their_commitments_first(
    volunteer, mentorship, commitments, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(VOLUNTEER, volunteer, by=coordinator)

    assert _reloaded(volunteer).stage == Stage.WITHDRAWN
    assert volunteer not in available_volunteers()  # an erased account is proposed to nobody
    assert _reloaded(mentorship).end_reason == WITHDREW
    assert _reloaded(commitments["waiting"]).state == Registration.State.CONFIRMED
    assert _reloaded(commitments["task_signup"]).cancel_reason == WITHDREW
    # Nobody gets a mail naming the person being erased.
    assert not OutboxMessage.objects.filter(template="volunteers/email/withdrawn").exists()
    assert not any("Jonas" in str(mail.context) for mail in OutboxMessage.objects.all())


def test_retention_ends_what_an_earlier_withdrawal_left_open(
    volunteer, newcomer, coordinator, django_capture_on_commit_callbacks
):
    # Withdrawn before withdrawals ended anything: the mentorship is still open.
    volunteer.stage = Stage.WITHDRAWN
    volunteer.withdrawn_at = timezone.now() - timedelta(days=400)
    volunteer.retain_until = TODAY - timedelta(days=1)
    volunteer.save()
    mentorship = MentorshipFactory(
        volunteer=volunteer, newcomer=newcomer, state=Mentorship.State.ACTIVE
    )
    review = propose_review(TODAY)

    with django_capture_on_commit_callbacks(execute=True):
        confirm_review(review, coordinator, TODAY)

    assert _reloaded(review).erased_count == 1
    assert _reloaded(mentorship).end_reason == WITHDREW
    assert newcomer in waiting_newcomers(Scope(), TODAY)


def test_pausing_pauses_active_mentorships_and_their_check_ins_until_resumed(
    client, volunteer, mentorship, coordinator
):
    by_coordinator = MentorshipFactory(
        volunteer=volunteer, newcomer=NewcomerFactory(), state=Mentorship.State.PAUSED
    )
    client.force_login(volunteer.user)

    client.post("/de/volunteers/me/pause/")

    assert _reloaded(mentorship).state == Mentorship.State.PAUSED
    assert due_mentorships(TODAY) == []
    assert send_check_ins(TODAY) == 0
    # The newcomer keeps their contact person during the pause: it is not a withdrawal.
    assert mentorship.newcomer not in waiting_newcomers(Scope(), TODAY)

    client.post("/de/volunteers/me/resume/")

    assert _reloaded(mentorship).state == Mentorship.State.ACTIVE
    assert _reloaded(by_coordinator).state == Mentorship.State.PAUSED


def test_a_paused_volunteer_who_withdraws_ends_the_paused_mentorships_too(volunteer, mentorship):
    move_stage(volunteer=volunteer, to_stage=Stage.PAUSED, by=volunteer.user)

    move_stage(volunteer=volunteer, to_stage=Stage.WITHDRAWN, by=volunteer.user)

    mentorship = _reloaded(mentorship)
    assert (mentorship.state, mentorship.end_reason) == ("ended", WITHDREW)
    assert mentorship.paused_with_volunteer is False
    with pytest.raises(StageTransitionError):
        resume(volunteer=volunteer, by=volunteer.user)


def test_the_dashboard_counts_recent_withdrawals_and_only_newcomers_still_waiting(coordinator):
    old = VolunteerFactory(stage=Stage.ACTIVE)
    move_stage(volunteer=old, to_stage=Stage.WITHDRAWN, by=coordinator)
    type(old).objects.filter(pk=old.pk).update(withdrawn_at=timezone.now() - timedelta(days=40))
    recent = VolunteerFactory(stage=Stage.ACTIVE)
    still_waiting, rematched = NewcomerFactory(), NewcomerFactory()
    for newcomer in (still_waiting, rematched):
        MentorshipFactory(volunteer=recent, newcomer=newcomer, state="active")
    move_stage(volunteer=recent, to_stage=Stage.WITHDRAWN, by=coordinator)
    MentorshipFactory(volunteer=VolunteerFactory(), newcomer=rematched, state="introduced")

    board = dashboard.build(TODAY)

    assert board.withdrawals.withdrew.value == 1
    assert board.withdrawals.back_in_queue.value == 1
    [row] = board.withdrawals.recent
    assert (row.volunteer, row.mentorships, row.back_in_queue) == (recent, 2, [still_waiting])
