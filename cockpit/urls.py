from django.urls import path

from cockpit import views

app_name = "cockpit"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("targets/", views.targets, name="targets"),
    path("targets/add/", views.target_add, name="target_add"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("import/", views.import_start, name="import_start"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/template/<slug:kind>.csv", views.import_template, name="import_template"),
]
