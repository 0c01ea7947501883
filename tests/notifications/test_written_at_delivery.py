"""The practice leads' notice of a new request is written out by the worker when it delivers the
row the booking recorded: the same words as when it was rendered at booking, each lead once,
nobody told twice by tasks or sweeps running twice, and a retry sends the same bytes."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.models import User
from notifications import emails, outbox
from notifications.events import leads_for, request_for
from notifications.models import Message
from notifications.tasks import send_message, sweep_outbox
from tests.factories import book, make_clinic


@pytest.fixture(autouse=True)
def _no_grace(settings):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0


def notices() -> list[Message]:
    return list(Message.objects.filter(kind="new_request").order_by("pk"))


def test_the_booking_records_the_event_and_the_worker_renders_what_booking_time_rendering_said(practitioner, lead):
    clinic = make_clinic(facilitators=[lead])
    request = book(practitioner, clinic).request
    (row,) = notices()
    assert (row.event, row.event_ids, row.to_email, row.body_text) == ("new_request", {"request_id": request.pk}, "", "")

    # What the booking itself used to render, from the same state.
    (expected,) = emails.new_request(request_for(request.pk), leads_for(request_for(request.pk)))
    assert send_message.apply(args=[row.pk]).get() is True

    row.refresh_from_db()
    assert (row.event, row.status, row.to_email, row.user_id) == ("", Message.Status.SENT, lead.email, lead.pk)
    assert (row.subject, row.body_text, row.body_html) == (expected.subject, expected.body_text, expected.body_html)
    (sent,) = [m for m in mail.outbox if m.to == [lead.email]]
    assert (sent.subject, sent.body) == (expected.subject, expected.body_text)


def test_each_lead_gets_one_copy_however_often_tasks_and_sweeps_run(practitioner, lead, other_lead):
    clinic = make_clinic(facilitators=[lead, other_lead])
    book(practitioner, clinic)
    (row,) = notices()

    assert send_message.apply(args=[row.pk]).get() is True
    assert send_message.apply(args=[row.pk]).get() is False
    sweep_outbox.apply()
    sweep_outbox.apply()

    assert sorted(m.to_email for m in notices()) == sorted([lead.email, other_lead.email])
    for person in (lead, other_lead):
        assert len([m for m in mail.outbox if m.to == [person.email]]) == 1
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()


def test_with_no_practice_lead_to_tell_the_row_goes_and_nothing_is_sent(practitioner):
    assert not User.objects.filter(role_grants__role="practice_lead").exists()
    book(practitioner, make_clinic())
    (row,) = notices()

    assert outbox.deliver(row.pk) is False
    assert notices() == []
    assert [m for m in mail.outbox if m.subject.startswith("New")] == []


def test_a_failed_send_keeps_the_written_copy_and_the_retry_sends_the_same_words(practitioner, lead, settings):
    book(practitioner, make_clinic(facilitators=[lead]))
    (row,) = notices()
    settings.EMAIL_BACKEND = "tests.notifications.broken_backend.BrokenBackend"
    assert outbox.deliver(row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.event, row.to_email) == (Message.Status.PENDING, "", lead.email)
    written = (row.subject, row.body_text, row.body_html)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.deliver(row.pk, now=row.next_attempt_at) is True
    row.refresh_from_db()
    assert (row.subject, row.body_text, row.body_html) == written
    (sent,) = [m for m in mail.outbox if m.to == [lead.email]]
    assert sent.body == row.body_text
