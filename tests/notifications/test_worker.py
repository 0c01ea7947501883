"""A real Celery worker on real Redis sends the confirmation and the cancellation, and a broker
outage loses nothing: the booking succeeds fast and the sweep delivers the message later."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from clinics.booking import cancel_request
from config.celery import app
from notifications import outbox
from notifications.models import Message
from tests.factories import book

# PostgreSQL too: the worker runs in a thread, and the in-memory SQLite test database shares
# table locks between threads ("database table is locked") where a real database would wait.
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


def _use_broker(url: str) -> None:
    """Point the app (and its cached connection pools) at ``url``."""
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    outbox.broker_reset()


@pytest.fixture
def queue():
    """A queue of our own, so another test run sharing this Redis cannot take our tasks."""
    import notifications.tasks  # noqa: F401 - registers the tasks with the app

    name = f"notifications-test-{uuid.uuid4().hex[:10]}"
    routes, broker = app.conf.task_routes, app.conf.broker_url
    app.conf.task_routes = {"notifications.tasks.*": {"queue": name}}
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    yield name
    app.conf.task_routes = routes
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    _use_broker(broker)


@pytest.fixture
def worker(queue):
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20) as w:
        yield w


def wait_for_mail(count: int, timeout: float = 15.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(mail.outbox) >= count:
            return mail.outbox
        time.sleep(0.1)
    raise AssertionError(f"expected {count} email(s), got {len(mail.outbox)}")


def calendar_of(email) -> Calendar:
    files = [content for name, content, mimetype in email.attachments if name.endswith(".ics")]
    assert len(files) == 1
    return Calendar.from_ical(files[0])


def calendar_methods(email) -> list[str]:
    """The method parameter of every text/calendar MIME part."""
    return [part.get_param("method") for part in email.message().walk() if part.get_content_type() == "text/calendar"]


def event_of(cal: Calendar):
    return next(iter(cal.walk("VEVENT")))


def test_booking_makes_the_worker_send_a_confirmation_with_a_calendar_invite(worker, practitioner, clinic):
    request = book(practitioner, clinic).request

    [email] = [m for m in wait_for_mail(1) if m.to == [practitioner.email]]
    cal = calendar_of(email)
    event = event_of(cal)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == request.calendar_uid
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == request.slot.starts_at
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == [f"mailto:{practitioner.email}"]
    assert calendar_methods(email) == ["REQUEST", "REQUEST"]  # inline part for Outlook + .ics attachment
    assert Message.objects.get(kind="booking_confirmed").status == Message.Status.SENT


def test_cancellation_sends_a_cancel_for_the_same_invite_with_a_higher_sequence(worker, practitioner, clinic):
    request = book(practitioner, clinic).request
    wait_for_mail(1)
    confirmation = event_of(calendar_of(mail.outbox[0]))

    cancel_request(request, by=practitioner)

    wait_for_mail(3)  # confirmation, the lead's new-request message, cancellation
    emails = [m for m in mail.outbox if m.to == [practitioner.email]]
    assert len(emails) == 2
    cal = calendar_of(emails[1])
    event = event_of(cal)
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(confirmation["UID"]) == request.calendar_uid
    assert int(event["SEQUENCE"]) > int(confirmation["SEQUENCE"])
    assert calendar_methods(emails[1]) == ["CANCEL", "CANCEL"]


def test_booking_succeeds_fast_while_the_broker_is_down_and_the_sweep_delivers_later(queue, practitioner, clinic,
                                                                                      settings):
    live_broker = _live_url()
    _use_broker(CLOSED_PORT_URL)

    started = time.monotonic()
    placement = book(practitioner, clinic)
    elapsed = time.monotonic() - started

    assert placement.booked
    assert elapsed < 2.0, f"booking took {elapsed:.2f}s with the broker down"
    waiting = Message.objects.get(kind="booking_confirmed")
    assert waiting.status == Message.Status.PENDING
    assert mail.outbox == []

    _use_broker(live_broker)
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    from notifications.tasks import sweep_outbox

    with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20):
        sweep_outbox.delay()
        sweep_outbox.delay()  # beat firing twice must not double-send
        wait_for_mail(2)  # the confirmation and the leads' new-request message
        time.sleep(1)
    confirmations = [m for m in mail.outbox if m.to == [practitioner.email]]
    assert len(confirmations) == 1
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    assert len(mail.outbox) == Message.objects.count()


def test_sweep_delivers_a_row_whose_after_commit_dispatch_never_ran(queue, practitioner, clinic, settings):
    """The process could die between commit and publish: the sweep alone must be enough."""
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0
    _use_broker(CLOSED_PORT_URL)
    book(practitioner, clinic)
    _use_broker(_live_url())

    assert outbox.sweep(now=timezone.now() + timedelta(seconds=1)) == Message.objects.count()
    assert outbox.sweep(now=timezone.now() + timedelta(seconds=1)) == 0
    assert len(mail.outbox) == Message.objects.count()


def _live_url() -> str:
    from django.conf import settings as django_settings

    return django_settings.CELERY_BROKER_URL
