from django.urls import path

from ankommen.messaging.views import delivery_log, newsletters, subscriptions

app_name = "messaging"

urlpatterns = [
    path("newsletter/subscribe/", subscriptions.subscribe, name="subscribe"),
    path(
        "newsletter/confirm/<str:token>/",
        subscriptions.subscription_confirm,
        name="subscription_confirm",
    ),
    path("newsletter/unsubscribe/<str:token>/", subscriptions.unsubscribe, name="unsubscribe"),
    path("newsletter/", subscriptions.my_subscription, name="my_subscription"),
    path("newsletter/archive/", newsletters.newsletter_archive, name="newsletter_archive"),
    path(
        "newsletter/archive/<int:pk>/",
        newsletters.newsletter_archive_detail,
        name="newsletter_archive_detail",
    ),
    path("newsletters/", newsletters.newsletter_list, name="newsletter_list"),
    path("newsletters/new/", newsletters.newsletter_create, name="newsletter_create"),
    path("newsletters/<int:pk>/", newsletters.newsletter_detail, name="newsletter_detail"),
    path("newsletters/<int:pk>/edit/", newsletters.newsletter_edit, name="newsletter_edit"),
    path(
        "newsletters/<int:pk>/progress/",
        newsletters.newsletter_progress,
        name="newsletter_progress",
    ),
    path("newsletters/<int:pk>/test/", newsletters.newsletter_test, name="newsletter_test"),
    path(
        "newsletters/<int:pk>/schedule/",
        newsletters.newsletter_schedule,
        name="newsletter_schedule",
    ),
    path("newsletters/<int:pk>/cancel/", newsletters.newsletter_cancel, name="newsletter_cancel"),
    path("newsletters/<int:pk>/send/", newsletters.newsletter_send, name="newsletter_send"),
    path(
        "newsletters/<int:pk>/translations/new/",
        newsletters.translation_edit,
        name="translation_create",
    ),
    path(
        "newsletters/<int:pk>/translations/<str:language>/",
        newsletters.translation_edit,
        name="translation_edit",
    ),
    path(
        "newsletters/<int:pk>/translations/<str:language>/delete/",
        newsletters.translation_delete,
        name="translation_delete",
    ),
    path("delivery-log/", delivery_log.delivery_log, name="delivery_log"),
]
