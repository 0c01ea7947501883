from __future__ import annotations

from django.urls import path  # noqa: F401

# Routes for the lead screens (see clinics/urls.py).
urlpatterns: list = []
