"""Retention: a weekly job proposes who is due for erasure; a coordinator confirms the list;
only then, and only for people on the list who are still due, is anything erased.

Automatic clean-ups that delete on their own have destroyed records nobody meant to lose
(hitobito); here no code path erases more than a person confirmed.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from ankommen.accounts.models import User
from ankommen.privacy.models import RetentionReview
from ankommen.privacy.registry import (
    NEWCOMER,
    VOLUNTEER,
    erase_person,
    person_model,
    retention_rules,
)


def due_people(today: date) -> list[dict]:
    items = []
    for kind, rules in retention_rules().items():
        ids: set[int] = set()
        for rule in rules:
            ids |= set(rule(today).values_list("pk", flat=True))
        items += [{"kind": kind, "id": pk} for pk in sorted(ids)]
    return items


def propose_review(today: date | None = None) -> RetentionReview | None:
    """At most one open proposal at a time: a new one replaces an unconfirmed old one."""
    items = due_people(today or timezone.localdate())
    if not items:
        return None
    RetentionReview.objects.filter(state=RetentionReview.State.PROPOSED).update(
        state=RetentionReview.State.DISCARDED
    )
    return RetentionReview.objects.create(items=items)


def _still_due(kind: str, pk: int, today: date) -> bool:
    return any(rule(today).filter(pk=pk).exists() for rule in retention_rules()[kind])


@transaction.atomic
def confirm_review(review: RetentionReview, by: User, today: date | None = None) -> RetentionReview:
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.state != RetentionReview.State.PROPOSED:
        return review
    today = today or timezone.localdate()
    erased = skipped = 0
    for item in review.items:
        person = person_model(item["kind"]).objects.filter(pk=item["id"]).first()
        if person is None or not _still_due(item["kind"], item["id"], today):
            skipped += 1
            continue
        erase_person(item["kind"], person, by=by)
        erased += 1
    review.state = RetentionReview.State.DONE
    review.confirmed_by = by
    review.confirmed_at = timezone.now()
    review.erased_count, review.skipped_count = erased, skipped
    review.save()
    return review


def labelled_items(review: RetentionReview) -> list[dict]:
    """The list with names, for the coordinator who decides (two queries)."""
    names = {}
    for kind in (NEWCOMER, VOLUNTEER):
        ids = [item["id"] for item in review.items if item["kind"] == kind]
        model = person_model(kind)
        people = model.objects.filter(pk__in=ids)
        if kind == VOLUNTEER:
            people = people.select_related("user")
        names[kind] = {person.pk: person for person in people}
    return [{**item, "person": names[item["kind"]].get(item["id"])} for item in review.items]
