"""The change history: who (person and role then), when, what changed from what to what, and why;
never a word of case text."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleGrant
from accounts.roles import grant_role, remove_role
from anonymity.freetext import free_text_fields
from clinics.booking import accept_offer, cancel_request, decline_offer, move_request
from clinics.intake import decline_request, record_attendance
from clinics.models import Clinic, ClinicSeries, ConsultationRequest, ReflectiveAttendance, WaitlistOffer
from clinics.recurrence import LONDON
from clinics.reflective import book_place, record_register, record_session_notes
from clinics.scheduling import cancel_clinic, move_clinic
from config.history import tracked_models
from tests.clinics.test_coordinator_series import series_post
from tests.clinics.test_lead_reflective import make_session
from tests.factories import book, make_clinic, make_series, make_user

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
CANARY = "CANARY-7f3a Child Z lives at 1 Canary Road"


def _last(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_cancelling_a_clinic_records_who_in_which_role_and_why(coordinator, practitioner, clinic):
    mine = book(practitioner, clinic).request
    cancel_clinic(clinic, by=coordinator, reason="Venue closed")
    row = _last(clinic)
    assert (row.history_user, row.history_role, row.status) == (coordinator, "coordinator", Clinic.Status.CANCELLED)
    assert row.history_change_reason == "cancelled the clinic: Venue closed"
    request_row = _last(mine)
    assert (request_row.history_user, request_row.status) == (coordinator, Status.CANCELLED)


def test_the_role_is_the_one_held_at_the_time(coordinator, lead, practitioner):
    grant_role(practitioner, "practice_lead", by=coordinator)
    remove_role(practitioner, "practice_lead", by=coordinator)
    rows = list(RoleGrant.history.filter(user_id=practitioner.pk).order_by("history_date", "history_id"))
    assert [(r.history_type, r.history_user, r.history_role) for r in rows] == [
        ("+", coordinator, "coordinator"),
        ("-", coordinator, "coordinator"),
    ]
    assert rows[1].history_change_reason == "removed the practice lead role"


def test_every_operation_that_takes_by_records_it(coordinator, lead, practitioner, other_practitioner):
    """The nine operations that used to drop ``by``: each change they make names the person."""
    clinic = make_clinic(capacity=1, facilitators=[lead])
    later = make_clinic(starts_at=clinic.starts_at + timedelta(days=28), facilitators=[lead])
    held = book(practitioner, clinic).request
    waiting = book(other_practitioner, clinic).request

    move_request(held, later, by=practitioner)
    assert _last(held).history_user == practitioner and _last(held).history_role == "requester"
    offer = WaitlistOffer.objects.get(request=waiting)
    accept_offer(offer, by=other_practitioner)
    assert _last(waiting).history_user == other_practitioner
    cancel_request(held, by=coordinator)
    assert (_last(held).history_user, _last(held).history_role) == (coordinator, "coordinator")

    third = book(make_user("p3@council.gov.uk", "Practitioner 3"), clinic).request  # waitlisted
    fourth = book(make_user("p4@council.gov.uk", "Practitioner 4"), later).request
    cancel_request(waiting, by=other_practitioner)  # offers the place to third
    offered = _last(third)
    assert (offered.history_user, offered.history_change_reason) == (None, "offered a freed place")  # the service
    decline_offer(WaitlistOffer.objects.get(request=third), by=third.requester)
    assert _last(third).history_user == third.requester

    move_clinic(later, later.starts_at + timedelta(days=1), by=coordinator)
    assert (_last(later).history_user, _last(fourth).history_user) == (coordinator, coordinator)
    with time_machine.travel(later.slots.first().starts_at + timedelta(minutes=5)):
        record_attendance(fourth, attended=True, by=lead)
    assert (_last(fourth).history_user, _last(fourth).history_role) == (lead, "practice lead")
    cancel_clinic(clinic, by=coordinator, reason="Lead unwell")
    assert _last(clinic).history_user == coordinator

    session = make_session()
    entry = book_place(session, lead)
    with time_machine.travel(session.starts_at + timedelta(minutes=5)):
        record_register(session, by=coordinator, attended=[entry.pk])
        record_session_notes(session, by=lead, themes=[], notes="Themes only.", resources=[])
    assert _last(ReflectiveAttendance.objects.get(pk=entry.pk)).history_user == coordinator
    assert _last(session).history_user == lead


def _plant(canary: str, *, coordinator, lead, practitioner) -> None:
    series = make_series(facilitators=[lead], created_by=coordinator, description=canary)
    series.title = "Renamed series"
    series.save()
    clinic = make_clinic(facilitators=[lead], series=series)
    asked = book(practitioner, clinic, question=f"{canary} question", support_other=f"{canary} support").request
    decline_request(asked, by=lead, reason=f"{canary} declined")
    other = book(practitioner, clinic, question=canary).request
    cancel_request(other, by=practitioner, reason="cancelled")
    cancel_clinic(clinic, by=coordinator, reason="Venue closed")
    session = make_session()
    with time_machine.travel(session.starts_at + timedelta(minutes=5)):
        record_session_notes(session, by=lead, themes=[], notes=canary, resources=[])


def test_no_history_row_holds_case_text(coordinator, lead, practitioner):
    _plant(CANARY, coordinator=coordinator, lead=lead, practitioner=practitioner)
    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert len(historical) == len(tracked_models()) == 7
    rows = 0
    for model in historical:
        for values in model.objects.values_list():
            rows += 1
            assert not any(CANARY.split()[0] in str(v) for v in values), (model.__name__, values)
    assert rows >= 10
    # The canary really was stored where it was planted.
    assert ConsultationRequest.objects.filter(question__contains="CANARY").count() == 2


def test_no_declared_free_text_or_other_long_text_is_copied_into_a_history():
    """The history leaves out what ``anonymity.freetext`` declares (so a field declared tomorrow
    stays out with no other change); the only other text field left out is the series'
    description, which is about the clinic, not a case, but has no place in a history."""
    for model in tracked_models():
        history_fields = {f.name for f in model.history.model._meta.fields}
        declared = set(free_text_fields(model))
        assert not declared & history_fields, model._meta.label
        text_fields = {f.name for f in model._meta.fields if isinstance(f, models.TextField)}
        assert text_fields - declared - history_fields <= {"description"}, model._meta.label
        assert not (text_fields - declared) & history_fields, (model._meta.label, "undeclared text in the history")
    assert free_text_fields(Clinic) == ("status_reason",) and "status_reason" not in {
        f.name for f in Clinic.history.model._meta.fields
    }


def test_coordinator_reads_the_history_on_the_request_and_clinic_pages(client, coordinator, lead, practitioner, clinic):
    mine = book(practitioner, clinic).request
    cancel_clinic(clinic, by=coordinator, reason="Venue closed")
    client.force_login(coordinator)
    request_page = client.get(reverse("clinics:coordinator_request", args=[mine.pk])).content.decode()
    clinic_page = client.get(reverse("clinics:clinic_agenda", args=[clinic.pk])).content.decode()
    when = timezone.localtime(_last(clinic).history_date)
    line = f"{when:%-d %b %Y %H:%M}</time> — <strong>Coordinator 1</strong> (coordinator) cancelled the clinic: Venue closed"
    assert line in clinic_page
    assert "Status: Scheduled → Cancelled" in clinic_page
    assert "<strong>Coordinator 1</strong> (coordinator) cancelled the clinic: Venue closed" in request_page
    assert "<strong>Practitioner 1</strong> (requester) asked for a consultation" in request_page
    assert "(requester) booked a place" in request_page and "Status: Requested → Booked" in request_page


def test_practice_leads_do_not_see_the_clinic_history(client, lead, clinic):
    client.force_login(lead)
    page = client.get(reverse("clinics:clinic_agenda", args=[clinic.pk])).content.decode()
    assert "Change history" not in page


def test_series_set_up_and_changed_through_the_screens_name_the_coordinator(client, coordinator, lead):
    client.force_login(coordinator)
    with time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False):
        assert client.post(reverse("clinics:series_new"), series_post(lead)).status_code == 302
        series = ClinicSeries.objects.get()
        data = series_post(lead, title="Renamed clinic", active="on", starts_on_month="12", starts_on_year="2025")
        assert client.post(reverse("clinics:series_edit", args=[series.pk]), data).status_code == 302
        page = client.get(reverse("clinics:series_detail", args=[series.pk])).content.decode()
    rows = list(series.history.order_by("history_date", "history_id"))
    assert [(r.history_user, r.history_role) for r in rows] == [(coordinator, "coordinator")] * len(rows)
    assert rows[0].history_change_reason == "set up the series"
    assert rows[-1].history_change_reason == "changed the series" and rows[-1].title == "Renamed clinic"
    assert "<strong>Coordinator 1</strong> (coordinator) changed the series" in page
    assert "Title: Monthly CSA consultation clinic → Renamed clinic" in page


def test_a_change_made_through_a_page_names_the_signed_in_person_even_without_a_by(client, lead):
    session = make_session()
    client.force_login(lead)
    client.post(reverse("clinics:reflective_book", args=[session.pk]))
    row = _last(ReflectiveAttendance.objects.get(session=session, lead=lead))
    assert (row.history_user, row.history_role) == (lead, "practice lead")
