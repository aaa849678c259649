from django.urls import path

from matching import views

app_name = "matching"

urlpatterns = [
    path("", views.runs, name="runs"),
    path("weights/", views.weights, name="weights"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", views.proposal_reject, name="proposal_reject"),
    path("mine/", views.my_mentorships, name="my_mentorships"),
    path("mine/<int:pk>/", views.my_mentorship, name="my_mentorship"),
    path("mine/<int:pk>/agreement/", views.my_mentorship_agreement, name="my_mentorship_agreement"),
    path("mine/<int:pk>/feedback/", views.my_mentorship_feedback, name="my_mentorship_feedback"),
    path("mentorships/", views.mentorships, name="mentorships"),
    path("mentorships/<int:pk>/", views.mentorship_detail, name="mentorship_detail"),
    path("mentorships/<int:pk>/note/", views.mentorship_note, name="mentorship_note"),
    path("newcomers/<int:pk>/match/", views.manual_match, name="manual_match"),
    path("feedback/<int:pk>/", views.newcomer_feedback, name="newcomer_feedback"),
    path("mentorships/<int:pk>/move/", views.mentorship_move, name="mentorship_move"),
    path("mentorships/<int:pk>/end/", views.mentorship_end, name="mentorship_end"),
    path(
        "mentorships/<int:pk>/clear-flag/",
        views.mentorship_clear_flag,
        name="mentorship_clear_flag",
    ),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
]
