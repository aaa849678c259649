from django.urls import path

from board import views

app_name = "board"

urlpatterns = [
    path("", views.board, name="board"),
    path("continue/", views.carry_on, name="carry_on"),
    path("<slug:kind>/<int:pk>/", views.entry, name="entry"),
    path("<slug:kind>/<int:pk>/want/", views.want, name="want"),
]
