from __future__ import annotations

from django.urls import path

from clinics.views import practitioner as views

# Routes for the practitioner screens (see clinics/urls.py).
urlpatterns: list = [
    path("request/", views.request_new, name="request_new"),
    path("request/check/", views.request_check, name="request_check"),
    path("requests/", views.my_requests, name="my_requests"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/move/", views.request_move, name="request_move"),
    path("requests/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("offers/<int:pk>/accept/", views.offer_accept, name="offer_accept"),
    path("offers/<int:pk>/decline/", views.offer_decline, name="offer_decline"),
    path("resources/", views.resources, name="resources"),
]
