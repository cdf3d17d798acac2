"""URL routes. Every route needs sign-in except those named in config/public.py."""

from django.urls import include, path, re_path

from accounts import session_views
from accounts import views as account_views
from config import views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", views.health, name="health"),
    path("session/", session_views.session_status, name="session_status"),
    path("session/extend/", session_views.session_extend, name="session_extend"),
    path("signed-out/", session_views.signed_out_inactive, name="signed_out_inactive"),
    path("accessibility/", views.accessibility, name="accessibility"),
    # allauth pages Convene does not offer (self sign-up, self-service email changes, passwordless
    # codes) are answered with 404 before allauth's own routes can serve them.
    *[re_path(rf"^accounts/{route}", views.not_offered) for route in views.NOT_OFFERED],
    path("accounts/", include("allauth.urls")),
    path("staff/", include("accounts.urls")),
    path("", include("conferences.urls")),
    path("reporting/", include("reporting.urls")),
    path("advocacy/", include("advocacy.urls")),
    path("complaints/", include("complaints.urls")),
    path("feedback/", include("conferences.questionnaires.urls")),
]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
