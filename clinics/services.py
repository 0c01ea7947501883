"""Read-side helpers shared by several screens (start page, bulletin, forms)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from clinics.models import Clinic, ConsultationRequest


@dataclass(frozen=True)
class ClinicAvailability:
    clinic: Clinic
    free: int
    waiting: int

    @property
    def starts_at(self) -> datetime:
        return self.clinic.starts_at


def with_availability(clinics, limit: int | None = None) -> list[ClinicAvailability]:
    """Free and waiting counts for each clinic in two aggregate columns (one query)."""
    held = Q(requests__status__in=ConsultationRequest.HOLDS_SLOT)
    waiting = Q(requests__status=ConsultationRequest.Status.WAITLISTED)
    rows = clinics.annotate(held=Count("requests", filter=held), waiting=Count("requests", filter=waiting))
    if limit is not None:
        rows = rows[:limit]
    return [ClinicAvailability(c, max(c.capacity - c.held, 0), c.waiting) for c in rows]


def upcoming_clinics_summary(limit: int = 3, now=None) -> list[ClinicAvailability]:
    now = now or timezone.now()
    return with_availability(Clinic.objects.upcoming(now).order_by("starts_at"), limit=limit)
