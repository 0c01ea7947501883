from __future__ import annotations

from django.urls import path

from clinics.views import manager as views

# Routes for the manager screens (see clinics/urls.py).
urlpatterns: list = [
    path("themes/", views.themes, name="themes"),
    path("themes/download/", views.themes_csv, name="themes_csv"),
    path("themes/reflective/", views.reflective_themes, name="reflective_themes"),
    path("themes/reflective/download/", views.reflective_themes_csv, name="reflective_themes_csv"),
    path("themes/report/", views.themes_report, name="themes_report"),
]
