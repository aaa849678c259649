from django.urls import path

from ankommen.privacy import views
from ankommen.privacy.registry import NEWCOMER, VOLUNTEER

app_name = "privacy"

urlpatterns = [
    path("me/export.json", views.my_export, name="my_export"),
    path("retention/", views.retention, name="retention"),
    path("processing/", views.processing, name="processing"),
    path("retention/<int:pk>/confirm/", views.retention_confirm, name="retention_confirm"),
]
for kind, segment in ((NEWCOMER, "newcomers"), (VOLUNTEER, "volunteers")):
    urlpatterns += [
        path(f"{segment}/<int:pk>/export/", views.export, {"kind": kind}, name=f"{kind}_export"),
        path(
            f"{segment}/<int:pk>/export.json",
            views.export,
            {"kind": kind, "file_format": "json"},
            name=f"{kind}_export_json",
        ),
        path(f"{segment}/<int:pk>/erase/", views.erase, {"kind": kind}, name=f"{kind}_erase"),
    ]
