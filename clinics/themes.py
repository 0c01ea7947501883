"""Aggregates of the structured context of requests, for managers and the bulletin.

Only counts leave this module, never free text. Any count below the disclosure threshold
(settings.DISCLOSURE_THRESHOLD, default 5) is shown as "fewer than N", never exactly, and
zero is shown as 0 only because it discloses nothing about a child.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q

from clinics.models import ConsultationRequest, FormOfAbuse

COUNTED_STATUSES = (
    ConsultationRequest.Status.BOOKED,
    ConsultationRequest.Status.WAITLISTED,
    ConsultationRequest.Status.OFFERED,
    ConsultationRequest.Status.ATTENDED,
    ConsultationRequest.Status.DID_NOT_ATTEND,
    ConsultationRequest.Status.DECLINED,
)


@dataclass(frozen=True)
class SafeCount:
    value: int
    threshold: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.value < self.threshold

    def __str__(self) -> str:
        return f"fewer than {self.threshold}" if self.suppressed else str(self.value)


def safe(value: int, threshold: int | None = None) -> SafeCount:
    return SafeCount(value, threshold or settings.DISCLOSURE_THRESHOLD)


def requests_between(start: datetime, end: datetime):
    return ConsultationRequest.objects.filter(created_at__gte=start, created_at__lt=end, status__in=COUNTED_STATUSES)


def themes_summary(start: datetime, end: datetime) -> list[tuple[str, SafeCount]]:
    """Requests per form of CSA in [start, end): (label, SafeCount), largest first."""
    ids = requests_between(start, end).values("pk")
    rows = FormOfAbuse.objects.annotate(n=Count("requests", filter=Q(requests__in=ids))).order_by("-n", "position")
    return [(row.label, safe(row.n)) for row in rows if row.n]
