"""Places under contention, on PostgreSQL: row locks plus the database constraint."""

import pytest

from tests.concurrency import all_at_once
from tests.factories import SessionFactory, UserFactory
from trainings.models import Registration, Session
from trainings.services import cancel_registration, sign_up

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_many_sign_ups_for_the_last_places_confirm_exactly_that_many_and_queue_the_rest():
    session = SessionFactory(capacity=8)
    early = [UserFactory() for _ in range(5)]
    for user in early:
        sign_up(session=session, user=user, by=user)
    rushing = [UserFactory() for _ in range(15)]  # 15 people for the last 3 places

    errors = all_at_once(
        [lambda user=user: sign_up(session=session, user=user, by=user) for user in rushing]
    )

    assert errors == []
    session.refresh_from_db()
    confirmed = session.registrations.filter(state=Registration.State.CONFIRMED)
    waiting = session.registrations.filter(state=Registration.State.WAITLISTED)
    assert session.confirmed_count == confirmed.count() == 8
    assert waiting.count() == 12
    # The waiting list is in the order the sign-ups got the lock: after every confirmation.
    last_confirmed = confirmed.order_by("-pk").first()
    assert all(entry.pk > last_confirmed.pk for entry in waiting)
    assert list(waiting.order_by("created_at", "pk")) == list(waiting.order_by("pk"))


def test_a_cancellation_and_new_sign_ups_at_the_same_moment_never_overbook():
    session = SessionFactory(capacity=3)
    participants = [UserFactory() for _ in range(5)]  # 3 confirmed, 2 waiting
    registrations = [sign_up(session=session, user=u, by=u) for u in participants]
    newcomers = [UserFactory() for _ in range(6)]

    errors = all_at_once(
        [lambda: cancel_registration(registration=registrations[0], by=participants[0])]
        + [lambda user=user: sign_up(session=session, user=user, by=user) for user in newcomers]
    )

    assert errors == []
    session.refresh_from_db()
    confirmed = session.registrations.filter(state=Registration.State.CONFIRMED)
    assert session.confirmed_count == confirmed.count() == 3
    # The place freed by the cancellation went to the first person already waiting.
    assert confirmed.filter(user=participants[3]).exists()
    assert Session.objects.get(pk=session.pk).confirmed_count <= session.capacity
