"""The access-card link, at the root: short, and the same in every language."""

from django.urls import path

from refugees.views.access import newcomer_access

urlpatterns = [path("n/<str:token>/", newcomer_access, name="newcomer_access")]
