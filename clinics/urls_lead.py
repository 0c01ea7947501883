from __future__ import annotations

from django.urls import path

from clinics.views import lead, programme

# Routes for the practice-lead screens (see clinics/urls.py).
urlpatterns: list = [
    path("lead/", lead.lead_clinics, name="lead_clinics"),
    path("lead/triage/", lead.triage, name="triage"),
    path("lead/triage/<int:pk>/accept/", lead.triage_accept, name="triage_accept"),
    path("lead/triage/<int:pk>/decline/", lead.triage_decline, name="triage_decline"),
    path("lead/clinic/<int:pk>/", lead.clinic_agenda, name="clinic_agenda"),
    path("lead/request/<int:pk>/attendance/", lead.attendance, name="attendance"),
    path("lead/request/<int:pk>/outcome/", lead.outcome, name="outcome"),
    path("lead/reflective/", lead.reflective_list, name="reflective_list"),
    path("lead/reflective/<int:pk>/", lead.reflective_session, name="reflective_session"),
    path("lead/reflective/<int:pk>/book/", lead.reflective_book, name="reflective_book"),
    path("lead/reflective/<int:pk>/accept/", lead.reflective_accept, name="reflective_accept"),
    path("lead/reflective/<int:pk>/decline/", lead.reflective_decline, name="reflective_decline"),
    path("lead/reflective/<int:pk>/apologies/", lead.reflective_apologies, name="reflective_apologies"),
    path("lead/reflective/<int:pk>/register/", lead.reflective_register, name="reflective_register"),
    path("lead/reflective/<int:pk>/notes/", lead.reflective_notes, name="reflective_notes"),
    path("lead/cpd/", programme.my_cpd, name="my_cpd"),
    path("cpd/<int:pk>/", programme.cpd, name="cpd"),
    path("cpd/<int:pk>/download/", programme.cpd_csv, name="cpd_csv"),
    path("lead/reflective/<int:pk>/wellbeing/", lead.reflective_wellbeing, name="reflective_wellbeing"),
]
