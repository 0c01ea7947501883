from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import views

# The Django admin is for superusers only and goes through allauth's sign-in, so it gets the
# same two-factor check and rate limits as the rest of the service.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "CSA consultation clinics administration"

urlpatterns = [
    path("", views.start, name="start"),
    path("home/", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("looking-after-yourself/", views.support, name="support"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says (and for non-HTML responses).
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("notifications.feed_urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("clinics/", include("clinics.urls")),
    path("notifications/", include("notifications.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"

if settings.BENCH:
    urlpatterns.append(path("bench/", include("config.bench")))

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
