"""Reflective sessions: an invitation with a calendar request, and apologies that withdraw it."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from clinics.models import ReflectiveSession
from clinics.reflective import book_place, send_apologies
from notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    starts = timezone.now() + timedelta(days=10)
    return ReflectiveSession.objects.create(
        original_date=starts.date(), title="Practice leads reflective session", starts_at=starts,
        ends_at=starts + timedelta(hours=2), capacity=6, online_link="https://meet.example.org/leads",
    )


def test_apologies_after_booking_send_a_calendar_cancel_with_the_same_uid(lead, session):
    entry = book_place(session, lead)
    send_apologies(session, lead)
    invite, cancel = Message.objects.filter(to_email=lead.email).order_by("pk")
    assert (invite.kind, cancel.kind) == ("reflective_invitation", "reflective_cancelled")
    assert invite.calendar_uid == cancel.calendar_uid == entry.calendar_uid
    assert (invite.calendar_method, cancel.calendar_method) == ("REQUEST", "CANCEL")
    assert cancel.calendar_sequence > invite.calendar_sequence
    event = icalendar.Calendar.from_ical(cancel.ics)
    assert str(event["METHOD"]) == "CANCEL"
    vevent = next(iter(event.walk("VEVENT")))
    assert str(vevent["UID"]) == entry.calendar_uid


def test_apologies_without_a_booking_send_nothing(lead, session):
    send_apologies(session, lead)
    assert not Message.objects.filter(to_email=lead.email).exists()


def test_cancellation_emails_leave_out_the_meeting_link(practitioner, clinic):
    from clinics.booking import cancel_request
    from tests.factories import book

    request = book(practitioner, clinic).request
    cancel_request(request, by=practitioner)
    confirmed = Message.objects.get(to_email=practitioner.email, kind="booking_confirmed")
    cancelled = Message.objects.get(to_email=practitioner.email, kind="booking_cancelled")
    assert clinic.online_link in confirmed.body_text
    assert clinic.online_link not in cancelled.body_text and clinic.online_link not in cancelled.body_html
    assert "Cancelled" in cancelled.body_text


def test_a_booked_lead_gets_one_reflective_reminder_the_day_before(lead, other_lead):
    import time_machine

    from notifications.tasks import send_due_reminders

    starts = timezone.now().replace(microsecond=0) + timedelta(days=3)
    session = ReflectiveSession.objects.create(
        original_date=starts.date(), title="Practice leads reflective session", starts_at=starts,
        ends_at=starts + timedelta(hours=2), capacity=6, online_link="https://meet.example.org/leads",
    )
    book_place(session, lead)
    book_place(session, other_lead)
    send_apologies(session, other_lead)
    with time_machine.travel(starts - timedelta(hours=24, minutes=1), tick=False):
        send_due_reminders.apply().get()
    assert not Message.objects.filter(kind="reflective_reminder").exists()
    with time_machine.travel(starts - timedelta(hours=23, minutes=59), tick=False):
        send_due_reminders.apply().get()
        send_due_reminders.apply().get()
    reminders = Message.objects.filter(kind="reflective_reminder")
    assert [m.to_email for m in reminders] == [lead.email]
