from __future__ import annotations

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("bulletins/archive/", views.archive, name="archive"),
    path("bulletins/archive/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("bulletins/", views.bulletin_list, name="bulletin_list"),
    path("bulletins/new/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("bulletins/<int:pk>/items/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("bulletins/<int:pk>/items/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path("bulletins/<int:pk>/preview/", views.bulletin_preview, name="bulletin_preview"),
    path("bulletins/<int:pk>/preview/email/", views.bulletin_preview_email, name="bulletin_preview_email"),
    path("bulletins/<int:pk>/schedule/", views.bulletin_schedule, name="bulletin_schedule"),
    path("bulletins/<int:pk>/unschedule/", views.bulletin_unschedule, name="bulletin_unschedule"),
]
