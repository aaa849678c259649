from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from ankommen import views
from ankommen.operations.views import healthz

# The administration signs people in through allauth: the same rate limits, the second factor.
# Set before admin.site.urls is read, which binds the login view.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # The project names its apps' URL modules, never imports them (import-linter checks it).
    path("", include("refugees.access_urls")),
    path("", include("trainings.feed_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("ankommen.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("messages/", include("ankommen.messaging.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("newcomers/", include("refugees.urls")),
    path("me/", include("refugees.newcomer_urls")),
    path("trainings/", include("trainings.urls")),
    path("network/", include("workgroups.urls")),
    path("matching/", include("matching.urls")),
    path("cockpit/", include("cockpit.urls")),
    path("privacy/", include("ankommen.privacy.urls")),
    path("vocabulary/", include("ankommen.vocabulary.urls")),
    path("search/", include("ankommen.search.urls")),
    path("translations/", include("translations.urls")),
    path("partner/", include("partners.urls")),
    path("help/", include("board.urls")),
    prefix_default_language=True,
)

# A dropped database connection answers 503 "please try again" instead of the 500 page.
handler500 = "ankommen.operations.database_blips.server_error"

admin.site.site_header = settings.PORTAL_NAME
# The sidebar repeats the index on every page and costs a permission check per model.
admin.site.enable_nav_sidebar = False
admin.site.site_title = settings.PORTAL_NAME
