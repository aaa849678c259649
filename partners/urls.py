from django.urls import path

from partners.views import (
    desk,
    events,
    needs,
    network,
    offers,
    privacy,
    profile,
    referrals,
    review,
    staff,
    tasks,
)

app_name = "partners"

urlpatterns = [
    path("", desk.home, name="home"),
    path("welcome/<str:token>/", staff.welcome, name="welcome"),
    path("organisations/<int:pk>/people/", staff.staff_list, name="staff_list"),
    path("people/<int:pk>/end/", staff.staff_end, name="staff_end"),
    path("people/<int:pk>/resend/", staff.staff_resend, name="staff_resend"),
    path("my-data.json", privacy.my_data, name="my_data"),
    path("accounts/<int:pk>/export.json", privacy.account_export, name="account_export"),
    path("accounts/<int:pk>/erase/", privacy.account_erase, name="account_erase"),
    # The desk: what partner staff keep for the organisations they act for.
    path("organisations/<int:pk>/profile/", profile.profile_edit, name="profile_edit"),
    path("organisations/<int:pk>/offers/new/", offers.offer_create, name="offer_create"),
    path("offers/<int:pk>/edit/", offers.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/retire/", offers.offer_retire, name="offer_retire"),
    path("offers/<int:pk>/reactivate/", offers.offer_reactivate, name="offer_reactivate"),
    path("organisations/<int:pk>/needs/new/", needs.need_create, name="need_create"),
    path("needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/close/", needs.need_close, name="need_close"),
    path("needs/<int:pk>/reopen/", needs.need_reopen, name="need_reopen"),
    path("organisations/<int:pk>/tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/close/", tasks.task_close, name="task_close"),
    path("tasks/<int:pk>/reopen/", tasks.task_reopen, name="task_reopen"),
    path("events/", events.events, name="events"),
    path(
        "organisations/<int:pk>/events/<int:event_pk>/reply/",
        events.event_reply,
        name="event_reply",
    ),
    path("network/", network.network, name="network"),
    # Coordinators review the tasks partners post.
    path("review/tasks/", review.task_review, name="task_review"),
    path("review/tasks/<int:pk>/approve/", review.task_approve, name="task_approve"),
    path("review/tasks/<int:pk>/decline/", review.task_decline, name="task_decline"),
    path("referrals/", referrals.referral_inbox, name="referral_inbox"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/accept/", referrals.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", referrals.referral_decline, name="referral_decline"),
    path("referrals/<int:pk>/report/", referrals.referral_report, name="referral_report"),
]
