from django.urls import path

from ankommen.search import views

app_name = "search"

urlpatterns = [
    path("", views.people, name="people"),
]
