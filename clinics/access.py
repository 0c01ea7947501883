"""Object-level access: each helper returns the object or raises (404 / PermissionDenied).

Views never test roles inline; they call one of these. Reads of a case question by anyone
but its author go through ``log_case_access`` so coordinators can see who read what.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Role
from clinics.models import AccessLog, Clinic, ConsultationRequest, WaitlistOffer


def requests_visible_to(user) -> QuerySet[ConsultationRequest]:
    """Requests whose case question ``user`` may read: their own; as a practice lead, those
    in clinics they facilitate; as a coordinator, all. Managers get no free text at all."""
    if user.has_role(Role.COORDINATOR):
        return ConsultationRequest.objects.all()
    if user.has_role(Role.PRACTICE_LEAD):
        return ConsultationRequest.objects.filter(requester=user) | ConsultationRequest.objects.filter(
            clinic__facilitators=user
        )
    return ConsultationRequest.objects.filter(requester=user)


def get_own_request(user, pk: int) -> ConsultationRequest:
    """A practitioner's own request (404 for anyone else's: we do not confirm it exists)."""
    try:
        return ConsultationRequest.objects.select_related("clinic", "slot").get(pk=pk, requester=user)
    except ConsultationRequest.DoesNotExist:
        raise Http404("No such request") from None


def get_request_for_lead(user, pk: int) -> ConsultationRequest:
    """A request in a clinic ``user`` facilitates (or any, for a coordinator)."""
    request = ConsultationRequest.objects.select_related("clinic", "slot", "requester").filter(pk=pk).first()
    if request is None:
        raise Http404("No such request")
    if user.has_role(Role.COORDINATOR):
        return request
    if user.has_role(Role.PRACTICE_LEAD) and request.clinic_id and request.clinic.facilitators.filter(pk=user.pk).exists():
        return request
    raise PermissionDenied("You can only see requests for clinics you run.")


def get_clinic_for_lead(user, pk: int) -> Clinic:
    clinic = Clinic.objects.filter(pk=pk).select_related("series").first()
    if clinic is None:
        raise Http404("No such clinic")
    if user.has_role(Role.COORDINATOR):
        return clinic
    if user.has_role(Role.PRACTICE_LEAD) and clinic.facilitators.filter(pk=user.pk).exists():
        return clinic
    raise PermissionDenied("You can only see clinics you run.")


def get_offer_for(user, pk: int) -> WaitlistOffer:
    offer = WaitlistOffer.objects.select_related("request", "slot__clinic").filter(pk=pk, request__requester=user).first()
    if offer is None:
        raise Http404("No such offer")
    return offer


def log_case_access(user, requests, action: str) -> None:
    """Record that ``user`` read the case question of each request (skipping their own)."""
    rows = [AccessLog(user=user, request=r, action=action) for r in requests if r.requester_id != user.pk]
    if rows:
        AccessLog.objects.bulk_create(rows)
