from django.urls import path

from partners.views import desk, referrals, staff

app_name = "partners"

urlpatterns = [
    path("", desk.home, name="home"),
    path("welcome/<str:token>/", staff.welcome, name="welcome"),
    path("organisations/<int:pk>/people/", staff.staff_list, name="staff_list"),
    path("people/<int:pk>/end/", staff.staff_end, name="staff_end"),
    path("people/<int:pk>/resend/", staff.staff_resend, name="staff_resend"),
    path("referrals/", referrals.referral_inbox, name="referral_inbox"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/accept/", referrals.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", referrals.referral_decline, name="referral_decline"),
    path("referrals/<int:pk>/report/", referrals.referral_report, name="referral_report"),
]
