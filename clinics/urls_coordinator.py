from __future__ import annotations

from django.urls import path

from clinics.views import coordinator as views
from clinics.views import programme
from clinics.views import reflective_coordinator as reflective

# Routes for the coordinator screens (see clinics/urls.py).
urlpatterns: list = [
    path("series/", views.series_list, name="series_list"),
    path("series/new/", views.series_new, name="series_new"),
    path("series/<int:pk>/", views.series_detail, name="series_detail"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("dates/<int:pk>/move/", views.clinic_move, name="clinic_move"),
    path("dates/<int:pk>/cancel/", views.clinic_cancel, name="clinic_cancel"),
    path("all-requests/", views.requests_all, name="requests_all"),
    path("all-requests/<int:pk>/", views.request_read, name="coordinator_request"),
    path("access-log/", views.access_log, name="access_log"),
    path("waitlist-offers/", views.offers_log, name="offers_log"),
    path("manage/resources/", views.resources_manage, name="resources_manage"),
    path("manage/resources/add/", views.resource_add, name="resource_add"),
    path("manage/resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("manage/resources/<int:pk>/retire/", views.resource_retire, name="resource_retire"),
    path("manage/resources/<int:pk>/restore/", views.resource_restore, name="resource_restore"),
    path("manage/lists/", views.taxonomy, name="taxonomy"),
    path("manage/lists/<slug:kind>/add/", views.taxonomy_add, name="taxonomy_add"),
    path("manage/lists/<slug:kind>/<int:pk>/", views.taxonomy_edit, name="taxonomy_edit"),
    path("reflective-series/", views.reflective_series_list, name="reflective_series_list"),
    path("reflective-series/new/", views.reflective_series_new, name="reflective_series_new"),
    path("reflective-series/<int:pk>/", reflective.reflective_series_detail, name="reflective_series_detail"),
    path("reflective-series/<int:pk>/edit/", reflective.reflective_series_edit, name="reflective_series_edit"),
    path("reflective-dates/<int:pk>/move/", reflective.reflective_session_move, name="reflective_session_move"),
    path("cohorts/", programme.cohort_list, name="cohort_list"),
    path("cohorts/new/", programme.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/", programme.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", programme.cohort_edit, name="cohort_edit"),
    path("reflective-dates/<int:pk>/cancel/", reflective.reflective_session_cancel, name="reflective_session_cancel"),
]
