"""Every send and sweep task run twice sends each message once; reminders come once, at the right
London time across the October clock change, and never stale."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from clinics.booking import move_request
from notifications import outbox, reminders
from notifications.models import Message, Reminder
from notifications.preferences import set_preferences
from notifications.tasks import send_due_reminders, send_message, sweep_outbox
from tests.factories import book, make_clinic

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _no_grace(settings):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0


def sent_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_send_task_run_twice_sends_once(practitioner, clinic):
    book(practitioner, clinic)
    message = Message.objects.get(kind="booking_confirmed")

    assert send_message.apply(args=[message.pk]).get() is True
    assert send_message.apply(args=[message.pk]).get() is False

    assert len(sent_to(practitioner)) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)


def test_sweep_run_twice_sends_each_waiting_message_once(practitioner, other_practitioner, lead, clinic):
    book(practitioner, clinic)
    book(other_practitioner, clinic)
    waiting = Message.objects.count()
    assert waiting == 4  # two confirmations, two new-request messages to the lead

    sweep_outbox.apply()
    sweep_outbox.apply()
    send_message.apply(args=[Message.objects.first().pk])

    assert len(mail.outbox) == waiting
    assert len(sent_to(lead)) == 2
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()


def test_failed_send_is_retried_later_with_backoff(practitioner, clinic, settings):
    book(practitioner, clinic)
    settings.EMAIL_BACKEND = "tests.notifications.broken_backend.BrokenBackend"
    outbox.sweep()
    message = Message.objects.get(kind="booking_confirmed")
    assert (message.status, message.attempts, message.last_error) == (Message.Status.PENDING, 1, "ConnectionRefusedError")
    assert message.next_attempt_at > timezone.now()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.sweep() == 0  # not yet: backing off
    assert outbox.sweep(now=message.next_attempt_at) >= 1
    assert len(sent_to(practitioner)) == 1


def test_a_row_left_sending_by_a_dead_worker_is_sent_by_a_later_sweep(practitioner, clinic):
    book(practitioner, clinic)
    message = Message.objects.get(kind="booking_confirmed")
    assert outbox.claim(message.pk, timezone.now())  # a worker claimed it, then died

    assert outbox.sweep() == 1  # the other message only
    assert outbox.sweep(now=timezone.now() + timedelta(minutes=11)) == 1
    assert len(sent_to(practitioner)) == 1


# --- reminders ------------------------------------------------------------------------------

def booked_at(when: datetime, user, clinic):
    with time_machine.travel(when, tick=False):
        return book(user, clinic).request


def run_reminders_at(when: datetime) -> int:
    with time_machine.travel(when, tick=False):
        first = send_due_reminders.apply().get()
        second = send_due_reminders.apply().get()
        outbox.sweep()
        outbox.sweep()
    assert second == 0
    return first


def reminder_mails(user) -> list:
    return [m for m in sent_to(user) if m.subject.startswith("Reminder")]


def test_reminders_after_the_october_clock_change_come_at_the_same_london_hour(practitioner, settings):
    settings.REMINDER_OFFSETS_HOURS = [168, 24]
    # Monday 27 October 2025, 10:00 London = 10:00 GMT; the clocks went back on Sunday 26th.
    starts = datetime(2025, 10, 27, 10, 0, tzinfo=LONDON)
    with time_machine.travel(datetime(2025, 10, 1, 9, 0, tzinfo=LONDON), tick=False):
        clinic = make_clinic(starts_at=starts)
    booked_at(datetime(2025, 10, 1, 9, 0, tzinfo=LONDON), practitioner, clinic)

    # 7 days before on the wall clock: Monday 20 October 10:00 BST, which is 09:00 UTC.
    assert run_reminders_at(datetime(2025, 10, 20, 8, 59, 59, tzinfo=UTC)) == 0
    assert run_reminders_at(datetime(2025, 10, 20, 9, 0, tzinfo=UTC)) == 1
    [week] = reminder_mails(practitioner)
    assert "in 7 days" in week.subject and "10:00" in week.subject

    # 1 day before: Sunday 26 October 10:00 GMT (= 10:00 UTC), not 09:00 UTC as plain
    # "minus 24 hours" in BST terms would give.
    assert run_reminders_at(datetime(2025, 10, 26, 9, 59, 59, tzinfo=UTC)) == 0
    assert run_reminders_at(datetime(2025, 10, 26, 10, 0, tzinfo=UTC)) == 1
    assert run_reminders_at(datetime(2025, 10, 26, 12, 0, tzinfo=UTC)) == 0
    assert [m.subject.split(":")[1].split(",")[0].strip() for m in reminder_mails(practitioner)] == [
        "your consultation is in 7 days", "your consultation is tomorrow"]
    assert Reminder.objects.count() == 2


def test_a_booking_made_inside_the_week_gets_only_the_day_before_reminder(practitioner):
    # The seed_demo case: booked now for a slot 24 h + 1 min ahead.
    now = timezone.now().replace(microsecond=0)
    clinic = make_clinic(starts_at=now + timedelta(hours=24, minutes=1), closes_before=timedelta(minutes=0))
    booked_at(now, practitioner, clinic)

    assert run_reminders_at(now + timedelta(seconds=30)) == 0
    assert run_reminders_at(now + timedelta(minutes=1, seconds=5)) == 1
    assert run_reminders_at(now + timedelta(hours=2)) == 0
    [reminder] = reminder_mails(practitioner)
    assert "tomorrow" in reminder.subject
    assert list(Reminder.objects.values_list("offset_hours", flat=True)) == [24]


def test_when_both_reminders_are_due_only_the_nearer_one_is_sent(practitioner):
    start = timezone.now() + timedelta(days=14)
    clinic = make_clinic(starts_at=start)
    booked_at(timezone.now(), practitioner, clinic)

    # The service was down for a week: on restart only the 1-day reminder goes.
    assert run_reminders_at(start - timedelta(hours=20)) == 1
    assert list(Reminder.objects.values_list("offset_hours", flat=True)) == [24]


def test_a_moved_booking_is_reminded_for_its_new_time(practitioner, coordinator):
    now = timezone.now()
    first = make_clinic(starts_at=now + timedelta(days=10))
    second = make_clinic(starts_at=now + timedelta(days=20))
    request = booked_at(now, practitioner, first)
    assert run_reminders_at(first.starts_at - timedelta(days=7)) == 1

    with time_machine.travel(first.starts_at - timedelta(days=6), tick=False):
        move_request(request, second, by=practitioner)
    assert run_reminders_at(second.starts_at - timedelta(days=7)) == 1
    assert run_reminders_at(second.starts_at - timedelta(hours=23)) == 1
    assert Reminder.objects.filter(request=request).count() == 3


def test_reminders_respect_the_persons_choice(practitioner):
    set_preferences(practitioner, reminders=False)
    start = timezone.now() + timedelta(days=3)
    booked_at(timezone.now(), practitioner, make_clinic(starts_at=start))

    assert run_reminders_at(start - timedelta(hours=23)) == 0
    assert reminder_mails(practitioner) == []


def test_due_at_keeps_the_wall_clock_hour_across_the_spring_change():
    start = datetime(2026, 3, 30, 10, 0, tzinfo=LONDON)  # Monday after the clocks go forward
    assert reminders.due_at(start, 168).astimezone(LONDON).hour == 10
    assert reminders.due_at(start, 24).astimezone(LONDON) == datetime(2026, 3, 29, 10, 0, tzinfo=LONDON)
