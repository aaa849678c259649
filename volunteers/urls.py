from django.urls import path

from volunteers.views import coordinators, me

app_name = "volunteers"

urlpatterns = [
    path("me/", me.my_profile, name="my_profile"),
    path("me/start/", me.start, name="start"),
    path("me/profile/<int:step>/", me.wizard, name="wizard"),
    path("me/pause/", me.pause, name="pause"),
    path("me/resume/", me.resume, name="resume"),
    path("me/withdraw/", me.withdraw, name="withdraw"),
    path("me/hours/", me.my_hours, name="my_hours"),
    path("me/hours/<int:pk>/delete/", me.delete_hours, name="delete_hours"),
    path("me/certificate.pdf", me.my_certificate, name="my_certificate"),
    path("", coordinators.card_file, name="card_file"),
    path("export.<str:file_format>", coordinators.card_file_export, name="card_file_export"),
    path("bulk/", coordinators.card_file_bulk, name="card_file_bulk"),
    path("bulk/move/", coordinators.card_file_bulk_move, name="card_file_bulk_move"),
    path("search/", coordinators.volunteer_search, name="volunteer_search"),
    path("hours/", coordinators.hours_review, name="hours_review"),
    path("hours/<int:pk>/decide/", coordinators.hours_decide, name="hours_decide"),
    path("hours/selected/", coordinators.hours_bulk, name="hours_bulk"),
    path("referrals/", coordinators.referrals, name="referrals"),
    path("<int:pk>/", coordinators.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/stage/", coordinators.volunteer_move_stage, name="volunteer_move_stage"),
    path("<int:pk>/notes/", coordinators.volunteer_add_note, name="volunteer_add_note"),
    path(
        "<int:pk>/clearance/",
        coordinators.volunteer_record_clearance,
        name="volunteer_record_clearance",
    ),
]
