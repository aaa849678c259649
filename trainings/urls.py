from django.urls import path

from trainings.views import manage, mine, planning, public

app_name = "trainings"

urlpatterns = [
    path("", public.catalogue, name="catalogue"),
    path("<int:pk>/", public.session_detail, name="session_detail"),
    path("<int:pk>/calendar.ics", public.session_calendar, name="session_calendar"),
    path("<int:pk>/sign-up/", public.session_sign_up, name="session_sign_up"),
    path("<int:pk>/newcomer-sign-up/", public.newcomer_sign_up, name="newcomer_sign_up"),
    path("registrations/<int:pk>/cancel/", public.registration_cancel, name="registration_cancel"),
    path("registrations/<int:pk>/certificate.pdf", mine.certificate, name="certificate"),
    path("me/", mine.my_trainings, name="my_trainings"),
    path("me/calendar/renew/", mine.feed_renew, name="feed_renew"),
    path("me/calendar/revoke/", mine.feed_revoke, name="feed_revoke"),
    path("needs-attendance/", manage.needs_attendance, name="needs_attendance"),
    path("manage/", manage.session_admin_list, name="session_admin_list"),
    path("manage/courses/", planning.course_list, name="course_list"),
    path("manage/courses/new/", planning.course_create, name="course_create"),
    path("manage/courses/<int:pk>/edit/", planning.course_edit, name="course_edit"),
    path("manage/courses/<int:pk>/copy/", planning.course_copy, name="course_copy"),
    path("manage/courses/<int:pk>/retire/", planning.course_retire, name="course_retire"),
    path("manage/sessions/new/", planning.session_create, name="session_create"),
    path("manage/sessions/series/", planning.series_create, name="series_create"),
    path("manage/<int:pk>/", manage.session_manage, name="session_manage"),
    path("manage/<int:pk>/edit/", planning.session_edit, name="session_edit"),
    path(
        "manage/<int:pk>/newcomers/",
        manage.session_sign_up_newcomer,
        name="session_sign_up_newcomer",
    ),
    path(
        "manage/<int:pk>/registrations/<int:registration_pk>/cancel/",
        manage.session_cancel_registration,
        name="session_cancel_registration",
    ),
    path("manage/<int:pk>/cancel/", manage.session_cancel, name="session_cancel"),
    path("manage/<int:pk>/move/", manage.session_move, name="session_move"),
    path("<int:pk>/attendance/", manage.attendance, name="attendance"),
]
