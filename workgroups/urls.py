from django.urls import path

from workgroups.views import groups, network, tasks

app_name = "workgroups"

urlpatterns = [
    path("groups/", groups.group_list, name="group_list"),
    path("groups/<int:pk>/", groups.group_detail, name="group_detail"),
    path("groups/<int:pk>/join/", groups.group_join, name="group_join"),
    path("groups/<int:pk>/leave/", groups.group_leave, name="group_leave"),
    path(
        "groups/<int:pk>/requests/<int:membership_pk>/",
        groups.request_decide,
        name="request_decide",
    ),
    path("groups/<int:pk>/meetings/", groups.meeting_add, name="meeting_add"),
    path("groups/<int:pk>/message/", groups.group_message, name="group_message"),
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/sign-up/", tasks.task_sign_up, name="task_sign_up"),
    path("tasks/<int:pk>/cancel/", tasks.task_cancel, name="task_cancel"),
    path("gaps/", network.gaps, name="gaps"),
    path("gaps.csv", network.gaps_csv, name="gaps_csv"),
    path("gaps/<slug:theme>/<slug:district>/", network.gap_cell, name="gap_cell"),
    path("partners/", network.partner_list, name="partner_list"),
    path("partners/<int:pk>/", network.partner_detail, name="partner_detail"),
    path("referrals/", network.referrals, name="referrals"),
    path("referrals/<int:pk>/outcome/", network.referral_outcome, name="referral_outcome"),
    path("events/", network.events, name="events"),
    path("events/<int:pk>/reply/", network.event_reply, name="event_reply"),
    path("mediators/", network.mediator_requests, name="mediator_requests"),
    path("mediators/<int:pk>/accept/", network.mediator_accept, name="mediator_accept"),
]
