"""The personal calendar feed, at the root: calendar apps cannot sign in and do not follow
language prefixes, so the address is a secret and stable."""

from django.urls import path

from trainings.views.public import calendar_feed

urlpatterns = [path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed")]
