from __future__ import annotations

from django.urls import path

from clinics.views import wording as views

# Routes of the held-wording path (see clinics/wording.py).
urlpatterns: list = [
    path("requests/<int:pk>/wording/", views.request_reword, name="request_reword"),
    path("lead/wording/<int:pk>/confirm/", views.wording_confirm, name="wording_confirm"),
    path("lead/wording/<int:pk>/send-back/", views.wording_send_back, name="wording_send_back"),
]
