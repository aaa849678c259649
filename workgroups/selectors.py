from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from ankommen.accounts.models import User
from workgroups.models import Membership, Task, WorkingGroup

ACTIVE = Membership.State.ACTIVE


def group_list() -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.select_related("theme").annotate(
        member_count=Count("memberships", filter=Q(memberships__state=ACTIVE))
    )


def membership_of(user: User, group: WorkingGroup) -> Membership | None:
    return group.memberships.filter(
        user=user, state__in=[Membership.State.REQUESTED, ACTIVE]
    ).first()


def open_tasks_for(user: User) -> QuerySet[Task]:
    """Open, upcoming tasks; those that fit the volunteer's themes, district and languages first."""
    tasks = (
        Task.objects.filter(is_open=True)
        .filter(Q(starts_at__isnull=True) | Q(starts_at__gt=timezone.now()))
        .select_related("theme", "district", "group")
        .prefetch_related("languages")
    )
    volunteer = getattr(user, "volunteer", None) if getattr(user, "is_volunteer", False) else None
    if volunteer is None:
        return tasks.order_by("starts_at", "pk")
    themes = list(volunteer.themes.values_list("pk", flat=True))
    languages = list(volunteer.languages.values_list("language_id", flat=True))
    fits = (
        Case(
            When(theme_id__in=themes, then=Value(2)), default=Value(0), output_field=IntegerField()
        )
        + Case(
            When(district_id=volunteer.district_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        + Case(
            When(Q(languages__isnull=True) | Q(languages__in=languages), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    return tasks.annotate(fit=fits).order_by("-fit", "starts_at", "pk").distinct()
