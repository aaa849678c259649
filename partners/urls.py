from django.urls import path

from partners.views import desk, staff

app_name = "partners"

urlpatterns = [
    path("", desk.home, name="home"),
    path("welcome/<str:token>/", staff.welcome, name="welcome"),
    path("organisations/<int:pk>/people/", staff.staff_list, name="staff_list"),
    path("people/<int:pk>/end/", staff.staff_end, name="staff_end"),
    path("people/<int:pk>/resend/", staff.staff_resend, name="staff_resend"),
]
