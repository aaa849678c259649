from django.urls import path

from refugees.views import coordinators

app_name = "refugees"

urlpatterns = [
    path("", coordinators.newcomer_list, name="newcomer_list"),
    path("new/", coordinators.newcomer_create, name="newcomer_create"),
    path("search/", coordinators.newcomer_search, name="newcomer_search"),
    path("<int:pk>/", coordinators.newcomer_detail, name="newcomer_detail"),
    path("<int:pk>/edit/", coordinators.newcomer_edit, name="newcomer_edit"),
    path("<int:pk>/needs/", coordinators.need_add, name="need_add"),
    path("<int:pk>/needs/<int:need_pk>/status/", coordinators.need_status, name="need_status"),
    path("<int:pk>/consents/", coordinators.consent_add, name="consent_add"),
    path("<int:pk>/card/", coordinators.access_card, name="access_card"),
    path("<int:pk>/links/<int:link_pk>/revoke/", coordinators.access_revoke, name="access_revoke"),
]
