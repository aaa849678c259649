from django.urls import path

from partners.views import desk, privacy, staff

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
]
