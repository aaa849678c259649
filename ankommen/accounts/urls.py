from django.urls import path

from ankommen.accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("invite/<str:code>/", views.invite, name="invite"),
    path("sign-in-link/", views.sign_in_link_request, name="sign_in_link_request"),
    path("sign-in-link/<str:token>/", views.sign_in_link, name="sign_in_link"),
]
