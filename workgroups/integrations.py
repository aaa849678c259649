"""Where working groups plug into the rest: menu, newsletter segment, card file, certificate."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ankommen.accounts.models import Role, User
from ankommen.accounts.permissions import has_role, is_coordinator
from ankommen.accounts.second_factor import SEES_NEWCOMERS_DATA
from ankommen.fragments import refresh_when_changed
from ankommen.messaging.models import Subscription
from ankommen.messaging.segments import SEGMENTS, Segment
from ankommen.messaging.services import REMINDERS, ReminderSource
from ankommen.navigation import NAVIGATION, NETWORK, NavItem
from ankommen.operations.demo import DEMO_SEEDERS
from ankommen.translated_content import for_reader
from refugees.hooks import APPOINTMENTS, Appointment
from refugees.models import Newcomer
from translations.hooks import TRANSLATABLE, Translatable
from volunteers.hooks import (
    BULK_ACTIONS,
    BUSY,
    CERTIFICATE_SECTIONS,
    DETAIL_PANELS,
    WITHDRAWAL,
    BulkAction,
    DetailPanel,
    Withdrawal,
)
from volunteers.models import Volunteer
from workgroups import demo, privacy
from workgroups.models import (
    Membership,
    NetworkEvent,
    Offer,
    Referral,
    Task,
    TaskSignup,
    WorkingGroup,
)
from workgroups.network import mediation_reminders, reopen_mediations_for_withdrawal
from workgroups.selectors import open_tasks
from workgroups.services import (
    add_members,
    end_groups_and_tasks_for_withdrawal,
    event_reminders,
)


def _network_people(user: User | AnonymousUser) -> bool:
    return has_role(user, Role.VOLUNTEER, Role.COORDINATOR)


def _group_members(value: str) -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        user__group_memberships__group_id=int(value) if value.isdigit() else 0,
        user__group_memberships__state=Membership.State.ACTIVE,
    ).distinct()


def _add_to_group(volunteers: Iterable[Any], by: User, data: dict[str, Any]) -> str:
    target = data.get("target") or ""
    group = WorkingGroup.objects.filter(pk=int(target) if target.isdigit() else 0).first()
    if group is None:
        return _("Please choose a working group.")
    added = add_members(group=group, users=[v.user for v in volunteers], by=by)
    return _("%(count)d volunteers added to %(group)s.") % {"count": added, "group": group.name}


def _panel(volunteer: Volunteer, request: Any) -> str:
    return render_to_string(
        "workgroups/partials/_volunteer_panel.html",
        {
            "memberships": Membership.objects.filter(
                user_id=volunteer.user_id, state=Membership.State.ACTIVE
            ).select_related("group"),
            "signups": TaskSignup.objects.filter(
                user_id=volunteer.user_id, cancelled_at__isnull=True
            ).select_related("task")[:20],
        },
        request=request,
    )


def _certificate(volunteer: Volunteer) -> tuple[str, list[str]]:
    groups = (
        Membership.objects.filter(
            user_id=volunteer.user_id, state__in=[Membership.State.ACTIVE, Membership.State.LEFT]
        )
        .exclude(decided_at__isnull=True)
        .select_related("group")
    )
    tasks = TaskSignup.objects.filter(
        user_id=volunteer.user_id, cancelled_at__isnull=True
    ).select_related("task")
    lines = [membership.group.name for membership in groups]
    lines += [signup.task.title for signup in tasks]
    return _("Working groups and tasks"), lines


def _leads_a_group(user: User) -> bool:
    """Leads see their members' data, so they need a second factor like coordinators."""
    return Membership.objects.filter(
        user=user, role=Membership.Role.LEAD, state=Membership.State.ACTIVE
    ).exists()


def _end_for_withdrawal(withdrawal: Withdrawal) -> None:
    user = withdrawal.volunteer.user
    end_groups_and_tasks_for_withdrawal(user=user)
    reopen_mediations_for_withdrawal(mediator=user)


def _busy_in_tasks(starts_at: datetime, ends_at: datetime) -> QuerySet[TaskSignup]:
    """Sign-ups, not cancelled, for tasks overlapping the time."""
    return TaskSignup.objects.filter(
        cancelled_at__isnull=True, task__starts_at__lt=ends_at, task__ends_at__gt=starts_at
    )


def _tasks_still_read() -> QuerySet[Task]:
    return open_tasks()


def _offers_still_read() -> QuerySet[Offer]:
    return Offer.objects.filter(is_active=True, partner__is_active=True)


def _events_still_read() -> QuerySet[NetworkEvent]:
    return NetworkEvent.objects.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now())


def _referral_appointments(newcomer: Newcomer) -> list[Appointment]:
    """Appointments partners gave when accepting a referral, still to come, in one query."""
    accepted = Referral.objects.filter(
        newcomer=newcomer,
        outcome=Referral.Outcome.ACCEPTED,
        consent_withdrawn_at__isnull=True,
        appointment_at__gt=timezone.now(),
    ).select_related("offer__partner")
    return [
        Appointment(
            title=for_reader(referral.offer, "title"),
            starts_at=referral.appointment_at,
            place=", ".join(
                filter(None, [referral.offer.partner.name, referral.appointment_place])
            ),
        )
        for referral in accepted
        if referral.appointment_at is not None
    ]


def register() -> None:
    WITHDRAWAL.register(_end_for_withdrawal)
    APPOINTMENTS.register(_referral_appointments)
    TRANSLATABLE.register(Translatable(Task, Task._meta.verbose_name, _tasks_still_read))
    TRANSLATABLE.register(Translatable(Offer, Offer._meta.verbose_name, _offers_still_read))
    TRANSLATABLE.register(
        Translatable(NetworkEvent, NetworkEvent._meta.verbose_name, _events_still_read)
    )
    BUSY.register(_busy_in_tasks)
    refresh_when_changed(WorkingGroup)  # the card file's bulk chooser lists every group
    SEES_NEWCOMERS_DATA.register(_leads_a_group)
    NAVIGATION.register(
        NavItem(
            gettext_lazy("Working groups"), "workgroups:group_list", _network_people, 400, NETWORK
        )
    )
    NAVIGATION.register(
        NavItem(gettext_lazy("Tasks"), "workgroups:task_list", _network_people, 410, NETWORK)
    )
    NAVIGATION.register(
        NavItem(
            gettext_lazy("Partner organisations"),
            "workgroups:partner_list",
            _network_people,
            420,
            NETWORK,
        )
    )
    NAVIGATION.register(
        NavItem(gettext_lazy("Gaps"), "workgroups:gaps", is_coordinator, 430, NETWORK)
    )
    NAVIGATION.register(
        NavItem(gettext_lazy("Network events"), "workgroups:events", is_coordinator, 440, NETWORK)
    )
    REMINDERS.register(ReminderSource("mediation", mediation_reminders))
    REMINDERS.register(ReminderSource("network-event", event_reminders))
    SEGMENTS.register(
        Segment(
            "group",
            gettext_lazy("Members of a working group"),
            _group_members,
            values=lambda: [(str(g.pk), g.name) for g in WorkingGroup.objects.all()],
        )
    )
    BULK_ACTIONS.register(
        BulkAction(
            "add_to_group",
            gettext_lazy("Add to working group"),
            _add_to_group,
            targets=lambda: [(str(g.pk), g.name) for g in WorkingGroup.objects.all()],
        )
    )
    DETAIL_PANELS.register(DetailPanel(gettext_lazy("Working groups and tasks"), 400, _panel))
    CERTIFICATE_SECTIONS.register(_certificate)
    privacy.register()
    DEMO_SEEDERS.register(demo.seed_network)
