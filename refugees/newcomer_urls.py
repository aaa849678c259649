"""The newcomer's own pages (namespace "newcomer"), in the newcomer's language."""

from django.urls import path

from refugees.views import own

app_name = "newcomer"

urlpatterns = [
    path("", own.home, name="home"),
    path("contact/", own.contact, name="contact"),
    path("appointments/", own.appointments, name="appointments"),
    path("offers/", own.offers, name="offers"),
    path("help/", own.help_request, name="help"),
    path("help/sent/", own.help_sent, name="help_sent"),
    path("language/", own.language, name="language"),
]
