"""Practice-lead screens: my clinics, triage, the clinic-day agenda, attendance, outcomes and
reflective sessions.

Each view parses input, calls one operation and renders. Object access goes through
clinics/access.py (or clinics/reflective.py for sessions), and every page that shows a case
question writes the read to the access log.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from clinics.access import get_clinic_for_lead, get_request_for_lead, log_case_access
from clinics.booking import waiting_list
from clinics.forms_lead import AttendanceForm, DeclineForm, OutcomeForm, RegisterForm, SessionNotesForm, WellbeingForm
from clinics.history import changes_of
from clinics.intake import accept_request, decline_request, record_attendance
from clinics.models import Clinic, CoAttendee, ConsultationRequest, Outcome, ReflectiveAttendance, ReflectiveSession
from clinics.outcomes import OutcomeError, can_record_outcome, record_outcome
from clinics.reflective import (
    book_place,
    get_session_for_lead,
    record_register,
    record_session_notes,
    register_for,
    send_apologies,
    upcoming_sessions,
    with_places,
)
from clinics.reflective_waitlist import accept_place, decline_place, waitlist_position
from clinics.refusal import Refused
from clinics.services import with_availability
from clinics.wellbeing import my_check_in, write_check_in
from clinics.wording import show_held_text

LEAD_ROLES = (Role.PRACTICE_LEAD, Role.COORDINATOR)
# What a second "Book a place" for the same session shows instead of an error.
_Place = ReflectiveAttendance.Status
SHOWN_AS_DONE = (_Place.BOOKED, _Place.OFFERED, _Place.WAITLISTED)
# How far back "My clinics" looks for clinics still waiting for attendance or outcomes.
RECENT_DAYS = 60
Status = ConsultationRequest.Status


# --- querysets ------------------------------------------------------------------------------

def _clinics_for(user) -> QuerySet[Clinic]:
    """Clinics whose case questions ``user`` may read: the ones they run; all for a coordinator."""
    if user.has_role(Role.COORDINATOR):
        return Clinic.objects.all()
    return Clinic.objects.facilitated_by(user)


def _with_context(requests: QuerySet[ConsultationRequest]) -> QuerySet[ConsultationRequest]:
    """Everything a case card shows, in a fixed number of queries."""
    return requests.select_related(
        "clinic", "slot", "pathway_stage", "age_band", "gender", "plan_status", "requester_agency_type", "redirect_route"
    ).prefetch_related(
        "forms",
        "context_factors",
        "support_needs",
        Prefetch("co_attendees", queryset=CoAttendee.objects.select_related("role", "agency_type")),
    )


def _problem(request: HttpRequest, reason: str, back: str, back_pk: int | None = None, *, status: int = 409) -> HttpResponse:
    """A refused action: nothing changed, and the person is told why and where to go back to."""
    return render(request, "clinics/lead/problem.html", {"reason": reason, "back": back, "back_pk": back_pk}, status=status)


# --- my clinics and triage ------------------------------------------------------------------

@role_required(*LEAD_ROLES)
def lead_clinics(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    mine = _clinics_for(request.user).scheduled()
    upcoming = with_availability(mine.filter(starts_at__gt=now).order_by("starts_at"))
    to_record = (
        mine.filter(starts_at__lte=now, starts_at__gte=now - timedelta(days=RECENT_DAYS))
        .annotate(
            awaiting_attendance=Count("requests", filter=Q(requests__status=Status.BOOKED), distinct=True),
            awaiting_outcome=Count(
                "requests", filter=Q(requests__status=Status.ATTENDED, requests__outcome__isnull=True), distinct=True
            ),
        )
        .filter(Q(awaiting_attendance__gt=0) | Q(awaiting_outcome__gt=0))
        .order_by("-starts_at")
    )
    new_count = ConsultationRequest.objects.filter(
        clinic__in=mine.filter(starts_at__gt=now), triage=ConsultationRequest.Triage.NEW, status__in=ConsultationRequest.ACTIVE
    ).count()
    return render(
        request, "clinics/lead/my_clinics.html", {"upcoming": upcoming, "to_record": to_record, "new_count": new_count}
    )


@role_required(*LEAD_ROLES)
def triage(request: HttpRequest) -> HttpResponse:
    queue = list(
        _with_context(
            ConsultationRequest.objects.filter(
                # Once a clinic has started, triage is moot: the agenda takes over.
                clinic__in=_clinics_for(request.user).upcoming(),
                status__in=ConsultationRequest.ACTIVE,
            ).filter(Q(triage=ConsultationRequest.Triage.NEW) | Q(wording_held_at__isnull=False))
        ).order_by(F("wording_held_at").asc(nulls_last=True), "clinic__starts_at", "created_at")  # held first
    )
    show_held_text(request.user, queue)
    log_case_access(request.user, queue, "viewed triage")
    return render(request, "clinics/lead/triage.html", {"queue": queue})


@role_required(*LEAD_ROLES)
@require_POST
def triage_accept(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_request_for_lead(request.user, pk)
    try:
        accept_request(consultation, by=request.user)
    except Refused as exc:
        return _problem(request, str(exc), "clinics:triage")
    messages.success(request, f"{consultation.reference} accepted for the clinic.")
    return redirect("clinics:triage")


@role_required(*LEAD_ROLES)
@require_http_methods(["GET", "POST"])
def triage_decline(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_request_for_lead(request.user, pk)
    if consultation.status not in ConsultationRequest.ACTIVE:
        return _problem(request, "Only an active request can be declined.", "clinics:triage")
    form = DeclineForm(request.POST or None, allow_false_alarm=True)
    if request.method == "POST" and form.is_valid():
        try:
            decline_request(
                consultation,
                by=request.user,
                reason=form.cleaned_data["reason"],
                redirect_route=form.cleaned_data["redirect_route"],
            )
        except Refused as exc:
            return _problem(request, str(exc), "clinics:triage")
        form.record_false_alarms(request.user, f"decline:{consultation.pk}")
        messages.success(request, f"{consultation.reference} declined. The practitioner has been told why.")
        return redirect("clinics:triage")
    consultation = _with_context(ConsultationRequest.objects.filter(pk=consultation.pk)).get()
    log_case_access(request.user, [consultation], "viewed request")
    status = 400 if form.errors else 200
    return render(request, "clinics/lead/decline.html", {"consultation": consultation, "form": form}, status=status)


# --- clinic day -----------------------------------------------------------------------------

@role_required(*LEAD_ROLES)
def clinic_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = get_clinic_for_lead(request.user, pk)
    now = timezone.now()
    holders = {
        r.slot_id: r
        for r in _with_context(ConsultationRequest.objects.filter(clinic=clinic, status__in=ConsultationRequest.HOLDS_SLOT))
    }
    outcomes = set(Outcome.objects.filter(request__in=holders.values()).values_list("request_id", flat=True))
    rows = []
    for slot in clinic.slots.all():
        consultation = holders.get(slot.pk)
        rows.append(
            {
                "slot": slot,
                "consultation": consultation,
                "started": now >= slot.starts_at,
                "has_outcome": consultation is not None and consultation.pk in outcomes,
            }
        )
    waiting = list(_with_context(waiting_list(clinic)))
    log_case_access(request.user, [*holders.values(), *waiting], "viewed agenda")
    return render(
        request,
        "clinics/lead/agenda.html",
        {
            "clinic": clinic,
            "rows": rows,
            "waiting": waiting,
            "attendance_form": AttendanceForm(),
            # Who changed the clinic is for coordinators, who manage clinics (DOMAIN.md roles).
            "history": changes_of(clinic, noun="clinic") if request.user.is_coordinator else None,
        },
    )


@role_required(*LEAD_ROLES)
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_request_for_lead(request.user, pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        return _problem(
            request, "Select whether the practitioner attended.", "clinics:clinic_agenda", consultation.clinic_id, status=400
        )
    try:
        record_attendance(consultation, attended=form.cleaned_data["attended"], by=request.user)
    except Refused as exc:
        return _problem(request, str(exc), "clinics:clinic_agenda", consultation.clinic_id)
    said = "attended" if form.cleaned_data["attended"] else "did not attend"
    messages.success(request, f"Recorded: {consultation.reference} {said}.")
    return redirect("clinics:clinic_agenda", pk=consultation.clinic_id)


@role_required(*LEAD_ROLES)
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_request_for_lead(request.user, pk)
    reason = can_record_outcome(consultation)
    if reason:
        return _problem(request, reason, "clinics:clinic_agenda", consultation.clinic_id)
    existing = Outcome.objects.filter(request=consultation).first()
    initial = {}
    if existing is not None:
        initial = {
            "advice": existing.advice,
            "actions": existing.actions,
            "resources": list(existing.resources.all()),
            "follow_up_needed": "yes" if existing.follow_up_needed else "no",
            "follow_up": existing.follow_up,
        }
    form = OutcomeForm(request.POST or None, initial=initial, allow_false_alarm=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_outcome(
                consultation,
                by=request.user,
                advice=data["advice"],
                actions=data["actions"],
                resources=data["resources"],
                follow_up_needed=data["follow_up_needed"],
                follow_up=data["follow_up"],
            )
        except OutcomeError as exc:
            form.add_error(None, str(exc))
        else:
            form.record_false_alarms(request.user, f"outcome:{consultation.pk}")
            messages.success(request, f"Outcome recorded for {consultation.reference}. The practitioner can now see it.")
            return redirect("clinics:clinic_agenda", pk=consultation.clinic_id)
    consultation = _with_context(ConsultationRequest.objects.filter(pk=consultation.pk)).get()
    log_case_access(request.user, [consultation], "viewed request for outcome")
    return render(
        request,
        "clinics/lead/outcome.html",
        {"consultation": consultation, "form": form, "existing": existing},
        status=400 if form.errors else 200,
    )


# --- reflective sessions --------------------------------------------------------------------

@role_required(*LEAD_ROLES)
def reflective_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    recent = ReflectiveSession.objects.filter(
        status=ReflectiveSession.Status.SCHEDULED, starts_at__lte=now, starts_at__gte=now - timedelta(days=RECENT_DAYS)
    ).order_by("-starts_at")
    return render(
        request,
        "clinics/lead/reflective_list.html",
        {
            "upcoming": with_places(upcoming_sessions(now), request.user),
            "recent": with_places(recent, request.user),
            "can_book": request.user.has_role(Role.PRACTICE_LEAD),
        },
    )


@role_required(Role.PRACTICE_LEAD)
@require_POST
def reflective_book(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_lead(request.user, pk)
    try:
        entry = book_place(session, request.user)
    except Refused as exc:
        # The session lock and the one-entry-per-lead constraint let only one booking through;
        # the same POST sent twice is shown what the first one did.
        entry = session.register.filter(lead=request.user, status__in=SHOWN_AS_DONE).first()
        if entry is None:
            return _problem(request, str(exc), "clinics:reflective_list")
    if entry.status == entry.Status.WAITLISTED:
        messages.success(request, f"{session} is full. You are number {waitlist_position(entry)} on the waiting list: "
                                  "we will email you if a place becomes free.")
    else:
        messages.success(request, f"You have a place at {session}. An invitation is on its way to your inbox.")
    return redirect("clinics:reflective_list")


@role_required(Role.PRACTICE_LEAD)
@require_POST
def reflective_accept(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_lead(request.user, pk)
    try:
        accept_place(session, request.user, by=request.user)
    except Refused as exc:
        return _problem(request, str(exc), "clinics:reflective_session", session.pk)
    messages.success(request, f"You have a place at {session}. An invitation is on its way to your inbox.")
    return redirect("clinics:reflective_session", pk=session.pk)


@role_required(Role.PRACTICE_LEAD)
@require_POST
def reflective_decline(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_lead(request.user, pk)
    try:
        decline_place(session, request.user, by=request.user)
    except Refused as exc:
        return _problem(request, str(exc), "clinics:reflective_session", session.pk)
    messages.success(request, f"You turned down the place at {session}. It goes to the next person waiting.")
    return redirect("clinics:reflective_list")


@role_required(Role.PRACTICE_LEAD)
@require_POST
def reflective_apologies(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_lead(request.user, pk)
    try:
        send_apologies(session, request.user)
    except Refused as exc:
        return _problem(request, str(exc), "clinics:reflective_list")
    messages.success(request, f"Your apologies for {session} are recorded.")
    return redirect("clinics:reflective_list")


@role_required(*LEAD_ROLES)
def reflective_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_lead(request.user, pk)
    places = with_places(ReflectiveSession.objects.filter(pk=session.pk), request.user)[0]
    return render(
        request,
        "clinics/lead/reflective_session.html",
        {
            "session": session,
            "places": places,
            "register": register_for(session),
            "started": timezone.now() >= session.starts_at,
            "can_book": request.user.has_role(Role.PRACTICE_LEAD),
            "has_check_in": my_check_in(request.user, session) is not None,
        },
    )


@role_required(*LEAD_ROLES)
@require_http_methods(["GET", "POST"])
def reflective_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_lead(request.user, pk)
    register = register_for(session)
    initial = {"attended": [e.pk for e in register if e.status == e.Status.ATTENDED]}
    form = RegisterForm(request.POST or None, register=register, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_register(session, by=request.user, attended=[e.pk for e in form.cleaned_data["attended"]])
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Register saved.")
            return redirect("clinics:reflective_session", pk=session.pk)
    return render(
        request,
        "clinics/lead/reflective_register.html",
        {"session": session, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(*LEAD_ROLES)
@require_http_methods(["GET", "POST"])
def reflective_notes(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_lead(request.user, pk)
    initial = {"themes": list(session.themes.all()), "stages": list(session.stages.all()), "notes": session.notes,
               "resources": list(session.resources.all())}
    form = SessionNotesForm(request.POST or None, initial=initial, allow_false_alarm=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_session_notes(
                session, by=request.user, themes=data["themes"], notes=data["notes"], resources=data["resources"],
                stages=data["stages"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            form.record_false_alarms(request.user, f"reflective:{session.pk}")
            messages.success(request, "Themes and notes saved.")
            return redirect("clinics:reflective_session", pk=session.pk)
    return render(
        request,
        "clinics/lead/reflective_notes.html",
        {"session": session, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(Role.PRACTICE_LEAD)
@require_http_methods(["GET", "POST"])
def reflective_wellbeing(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in lead's own check-in: the only page that ever shows one."""
    session = get_session_for_lead(request.user, pk)
    mine = my_check_in(request.user, session)
    # No false-alarm override: its record would keep flagged words where others can read them.
    form = WellbeingForm(request.POST or None, initial={"text": mine.text if mine else ""})
    if request.method == "POST" and form.is_valid():
        try:
            write_check_in(session, by=request.user, text=form.cleaned_data["text"])
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your check-in is saved. Only you can read it.")
            return redirect("clinics:reflective_session", pk=session.pk)
    context = {"session": session, "form": form, "mine": mine, "started": timezone.now() >= session.starts_at}
    return render(request, "clinics/lead/reflective_wellbeing.html", context, status=400 if form.errors else 200)
