from django.urls import path

from ankommen.vocabulary import views

app_name = "vocabulary"

urlpatterns = [
    path("<slug:kind>/", views.entry_list, name="entry_list"),
    path("<slug:kind>/add/", views.entry_add, name="entry_add"),
    path("<slug:kind>/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("<slug:kind>/<int:pk>/retire/", views.entry_retire, name="entry_retire"),
    path("<slug:kind>/<int:pk>/reactivate/", views.entry_reactivate, name="entry_reactivate"),
]
