"""Clinic URLs, one module per audience so each area can grow without touching the others."""

from clinics.urls_coordinator import urlpatterns as coordinator
from clinics.urls_lead import urlpatterns as lead
from clinics.urls_manager import urlpatterns as manager
from clinics.urls_practitioner import urlpatterns as practitioner
from clinics.urls_wording import urlpatterns as wording

app_name = "clinics"

urlpatterns = [*practitioner, *lead, *coordinator, *manager, *wording]
