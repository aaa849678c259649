from django.urls import path

from ankommen.accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("invite/<str:code>/", views.invite, name="invite"),
]
