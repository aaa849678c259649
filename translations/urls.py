from django.urls import path

from translations import views

app_name = "translations"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.task_page, name="task"),
    path("join/", views.join, name="join"),
    path("leave/", views.leave, name="leave"),
    path("ask/<int:content_type_id>/<int:object_id>/", views.ask, name="ask"),
]
