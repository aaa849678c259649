"""Working groups: everyone can ask to join; members see the group; leads run their own."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ankommen.accounts.models import Role, User
from ankommen.accounts.permissions import access_or_404, role_required
from ankommen.http import AuthenticatedHttpRequest
from workgroups import selectors, services
from workgroups.forms import GroupMessageForm, JoinForm, MeetingForm
from workgroups.models import Membership, WorkingGroup
from workgroups.permissions import can_manage_group, can_see_members

people_of_the_network = role_required(Role.VOLUNTEER, Role.COORDINATOR)


def _members(group: WorkingGroup) -> QuerySet[User]:
    return User.objects.filter(
        group_memberships__group=group, group_memberships__state=Membership.State.ACTIVE
    ).order_by("full_name")


def _manageable(request: AuthenticatedHttpRequest, pk: int) -> WorkingGroup:
    group = access_or_404(WorkingGroup.objects.all(), pk=pk)
    if not can_manage_group(request.user, group):
        raise PermissionDenied
    return group


@people_of_the_network
def group_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = list(selectors.group_list())
    mine = dict(
        Membership.objects.filter(
            user=request.user,
            state__in=[Membership.State.REQUESTED, Membership.State.ACTIVE],
        ).values_list("group_id", "state")
    )
    return render(request, "workgroups/group_list.html", {"groups": groups, "mine": mine})


@people_of_the_network
def group_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access_or_404(selectors.group_list(), pk=pk)
    manages = can_manage_group(request.user, group)
    sees_members = can_see_members(request.user, group)
    memberships = group.memberships.select_related("user")
    context: dict[str, object] = {
        "group": group,
        "membership": selectors.membership_of(request.user, group),
        "manages": manages,
        "sees_members": sees_members,
        "leads": [
            m.user
            for m in memberships.filter(role=Membership.Role.LEAD, state=Membership.State.ACTIVE)
        ],
        "join_form": JoinForm(),
    }
    if sees_members:
        context["members"] = memberships.filter(state=Membership.State.ACTIVE)
        context["meetings"] = group.meetings.prefetch_related("attendees")[:20]
        context["tasks"] = group.tasks.filter(is_open=True)[:20]
    if manages:
        context["requests"] = memberships.filter(state=Membership.State.REQUESTED)
        context["meeting_form"] = MeetingForm(members=_members(group))
        context["message_form"] = GroupMessageForm()
    return render(request, "workgroups/group_detail.html", context)


@role_required(Role.VOLUNTEER)
@require_POST
def group_join(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access_or_404(WorkingGroup.objects.all(), pk=pk)
    form = JoinForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.request_to_join(group=group, user=request.user, note=note)
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request has been sent to the group's leads."))
    return redirect(group)


@people_of_the_network
@require_POST
def group_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = access_or_404(WorkingGroup.objects.all(), pk=pk)
    membership = selectors.membership_of(request.user, group)
    if membership is not None:
        services.leave_group(membership=membership)
        messages.success(request, _("You have left the group."))
    return redirect(group)


@people_of_the_network
@require_POST
def request_decide(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    group = _manageable(request, pk)
    membership = access_or_404(group.memberships.all(), pk=membership_pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_join_request(membership=membership, approve=approve, by=request.user)
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        name = membership.user.display_name
        done = _("%(name)s is now a member.") if approve else _("%(name)s's request is declined.")
        messages.success(request, done % {"name": name})
    return redirect(group)


@people_of_the_network
@require_POST
def meeting_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = _manageable(request, pk)
    form = MeetingForm(request.POST, members=_members(group))
    if not form.is_valid():
        messages.error(request, _("Please give the date and time of the meeting."))
        return redirect(group)
    attendees = list(form.cleaned_data.pop("attendees"))
    try:
        services.record_meeting(
            group=group, by=request.user, attendees=attendees, **form.cleaned_data
        )
    except services.WorkgroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The meeting has been recorded."))
    return redirect(group)


@people_of_the_network
@require_POST
def group_message(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = _manageable(request, pk)
    form = GroupMessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a subject and a message."))
        return redirect(group)
    count = services.message_members(group=group, by=request.user, **form.cleaned_data)
    messages.success(
        request, _("The message is on its way to %(count)d members.") % {"count": count}
    )
    return redirect(group)
