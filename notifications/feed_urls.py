from __future__ import annotations

from django.urls import path

from notifications import feed_views

app_name = "calendar"

urlpatterns = [
    path("accounts/calendar/", feed_views.subscription, name="subscription"),
    path("accounts/calendar/reset/", feed_views.reset, name="reset"),
    path("calendar/<str:token>.ics", feed_views.feed, name="feed"),
]
