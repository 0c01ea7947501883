"""Transactional outbox: events become Message rows, rows are claimed and sent exactly once.

- ``record_event`` runs inside the caller's transaction: the rows exist if and only if the
  change committed. After commit we publish one ``send_message`` task per row, waiting at most
  half a second for the broker; if it is down the row simply waits for ``sweep``.
- ``deliver`` claims a row with a conditional UPDATE (PENDING -> SENDING). A task delivered
  twice (acks_late redelivery, the sweep racing the after-commit task) finds the row already
  claimed and does nothing.
- ``sweep`` sends rows nobody dispatched (broker outage), retries failed sends with backoff, and
  frees rows left SENDING by a worker that died mid-send.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import emails
from notifications.calendar import build_ics
from notifications.models import Message

logger = logging.getLogger(__name__)
Status = Message.Status

MAX_ATTEMPTS = 8


def stale_claim() -> timedelta:
    """Longer than EMAIL_TIMEOUT plus the task time limit: a row SENDING for longer than this
    belongs to a worker that died, so the sweep may hand it out again."""
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_STALE_CLAIM_SECONDS", 600))


def sweep_grace() -> timedelta:
    """Fresh rows are left to their after-commit task for this long before the sweep steps in."""
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_SWEEP_GRACE_SECONDS", 20))

# After a failed publish, stop trying the broker for a while: one slow failure per process,
# not one per message, so a dead broker cannot stall bookings.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0
_executor: ThreadPoolExecutor | None = None


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes, capped at an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


# --- writing rows ---------------------------------------------------------------------------

# Events whose recipients and copies the worker works out when it delivers the row (see
# notifications/models.py): the practice leads' notice of a new request, the one message of a
# booking that is neither about the person booking nor a calendar invite (the SEQUENCE rules
# read the invites already written, so invites are always written at once). Reading the leads
# and rendering a copy for each was a third of the booking's messaging work, inside the clinic lock.
WRITTEN_AT_DELIVERY = frozenset({"new_request"})


def record_event(event: str, **ids: int | str) -> list[Message]:
    """Turn an event into Message rows (one per recipient) in the current transaction; an event
    written at delivery becomes one row holding the event and its ids."""
    from notifications.events import drafts_for

    if event in WRITTEN_AT_DELIVERY:
        now = timezone.now()
        row = Message.objects.create(
            kind=event, to_email="", request_id=ids.get("request_id"), subject="", body_text="", event=event,
            event_ids=ids, created_at=now, next_attempt_at=now,
        )
        transaction.on_commit(lambda: dispatch([row.pk]))
        return [row]
    rows = store(drafts_for(event, **ids))
    logger.info("event %s recorded as %d message(s)", event, len(rows))
    return rows


def write_out(message: Message) -> Message | None:
    """Render a row recorded as an event: this row becomes the first recipient's copy, the others
    get rows of their own (sent by their own tasks); with nobody to tell, the row is removed.
    The caller has claimed the row, so no other worker writes it out at the same time."""
    from notifications.events import drafts_for

    with transaction.atomic():
        drafts = drafts_for(message.event, **message.event_ids)
        if not drafts:
            message.delete()
            logger.info("event %s had nobody to tell", message.kind)
            return None
        first, *others = drafts
        invite = first.invite
        message.to_email, message.user, message.request = first.to_email, first.user, first.request
        message.subject, message.body_text, message.body_html = first.subject[:250], first.body_text, first.body_html
        message.headers = first.headers
        message.ics = build_ics(invite, now=message.created_at) if invite else ""
        message.calendar_uid = invite.uid if invite else ""
        message.calendar_method = invite.method if invite else ""
        message.calendar_sequence = invite.sequence if invite else None
        message.event, message.event_ids = "", {}
        message.save()
        store(others)
    return message


def store(drafts: Iterable[emails.Draft], *, now: datetime | None = None) -> list[Message]:
    now = now or timezone.now()
    rows = []
    for draft in drafts:
        invite = draft.invite
        rows.append(
            Message.objects.create(
                kind=draft.kind,
                to_email=draft.to_email,
                user=draft.user,
                request=draft.request,
                subject=draft.subject[:250],
                body_text=draft.body_text,
                body_html=draft.body_html,
                headers=draft.headers,
                ics=build_ics(invite, now=now) if invite else "",
                calendar_uid=invite.uid if invite else "",
                calendar_method=invite.method if invite else "",
                calendar_sequence=invite.sequence if invite else None,
                created_at=now,
                next_attempt_at=now,
            )
        )
    if rows:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: dispatch(ids))
    return rows


def store_batch(drafts: list[emails.Draft], *, now: datetime | None = None) -> list[Message]:
    """Many rows in one INSERT (the bulletin's copies), dispatched after commit as one
    ``send_messages`` task per batch instead of one task per row."""
    now = now or timezone.now()
    rows = Message.objects.bulk_create(
        Message(
            kind=draft.kind, to_email=draft.to_email, user=draft.user, request=draft.request,
            subject=draft.subject[:250], body_text=draft.body_text, body_html=draft.body_html, headers=draft.headers,
            ics=build_ics(draft.invite, now=now) if draft.invite else "",
            calendar_uid=draft.invite.uid if draft.invite else "",
            calendar_method=draft.invite.method if draft.invite else "",
            calendar_sequence=draft.invite.sequence if draft.invite else None,
            created_at=now, next_attempt_at=now,
        )
        for draft in drafts
    )
    if rows:
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: dispatch(ids, batch=True))
    return rows


def dispatch(message_ids: list[int], *, batch: bool = False) -> None:
    """Publish one send task per row, waiting at most a moment. Never raises.

    A refused or unreachable broker costs kombu/redis-py a couple of seconds of retries, which
    must not land on the person booking, so publishing runs on a background thread and we wait
    only briefly for it: the usual sub-millisecond publish completes before we return, a dead
    broker does not hold the booking. The rows are committed either way; the sweep sends what
    does not reach the broker.
    """
    future = _publisher().submit(_publish, list(message_ids), batch)
    try:
        future.result(timeout=getattr(settings, "NOTIFICATIONS_PUBLISH_WAIT_SECONDS", 0.5))
    except FutureTimeout:
        logger.warning("broker slow to accept %d message(s); carrying on, the sweep will follow up", len(message_ids))


def _publisher() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notifications-publish")
    return _executor


def _publish(message_ids: list[int], batch: bool = False) -> int:
    global _broker_down_until
    from notifications.tasks import send_message, send_messages

    if time.monotonic() < _broker_down_until:
        return 0
    published = 0
    for pk in [message_ids] if batch else message_ids:
        try:
            if batch:
                send_messages.apply_async(args=[pk], retry=False)
            else:
                send_message.apply_async(args=[pk], retry=False)
        except Exception as exc:  # noqa: BLE001 - any broker failure must leave the booking intact
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning("broker unavailable (%s); %d message(s) left for the sweep", type(exc).__name__,
                           len(message_ids) - published)
            break
        published += 1
    return published


def warm_up() -> None:
    """Connect to the broker in the background now, at process start, so that the first booking
    of a fresh web process does not spend its publish wait connecting (it waited the whole
    half second before). Never raises; a broker that is down is found out by the first publish."""

    def connect() -> None:
        from notifications.tasks import send_message

        try:
            with send_message.app.producer_or_acquire() as producer:
                producer.connection.ensure_connection(max_retries=1)
        except Exception as exc:  # noqa: BLE001 - warming up is best effort
            logger.info("broker not reachable at start (%s)", type(exc).__name__)

    _publisher().submit(connect)


def broker_reset() -> None:
    """Forget a recorded broker failure (after a configuration change, and in tests)."""
    global _broker_down_until
    _broker_down_until = 0.0


# --- sending rows ---------------------------------------------------------------------------

def claim(message_id: int, now: datetime) -> bool:
    claimed = Message.objects.filter(pk=message_id, status=Status.PENDING, next_attempt_at__lte=now).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def to_email_message(message: Message) -> EmailMultiAlternatives:
    # The row's own Message-ID, the same on every attempt (see Message.message_id).
    headers = {**message.headers, "Message-ID": message.message_id}
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.ics:
        method = message.calendar_method or "REQUEST"
        # Outlook reads the inline text/calendar part with its method parameter; other clients
        # and people saving the file use the .ics attachment. Both carry the same invite.
        email.attach_alternative(message.ics, f"text/calendar; method={method}")
        email.attach("invite.ics" if method == "REQUEST" else "cancel.ics", message.ics, f"text/calendar; method={method}")
    return email


def deliver(message_id: int, *, now: datetime | None = None) -> bool:
    """Send one row if it is still pending. True when this call sent it."""
    now = now or timezone.now()
    if not claim(message_id, now):
        return False
    message = Message.objects.get(pk=message_id)
    if message.event:
        try:
            written = write_out(message)
        except Exception as exc:  # noqa: BLE001 - a failed write-out is retried like a failed send
            _send_failed(message, exc)
            return False
        if written is None:
            return False
        message = written
    try:
        to_email_message(message).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - SMTP and socket errors vary; all mean "try again later"
        _send_failed(message, exc)
        return False
    Message.objects.filter(pk=message_id).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    logger.info("message %s (%s) sent", message_id, message.kind)
    return True


def _send_failed(message: Message, exc: Exception) -> None:
    """Back to PENDING with a backoff (FAILED after MAX_ATTEMPTS) for the sweep to retry."""
    failed = message.attempts >= MAX_ATTEMPTS
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.FAILED if failed else Status.PENDING,
        next_attempt_at=timezone.now() + backoff(message.attempts),
        last_error=type(exc).__name__[:200],
    )
    logger.warning("message %s attempt %s failed: %s", message.pk, message.attempts, type(exc).__name__)


def deliver_many(message_ids: list[int], *, now: datetime | None = None) -> int:
    """Send the rows of a batch that are still pending, over one connection to the mail server.

    The claim is one transaction: the pending rows are locked (rows another worker is claiming
    are skipped, not waited for) and marked SENDING together, so a batch delivered twice, or a
    sweep running beside it, sends each row once. Returns how many this call sent."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            # Batches are bulletin copies, rendered when written; a row still to be written out
            # (there is none in a batch) is left to its own task and the sweep.
            Message.objects.select_for_update(skip_locked=True).filter(
                pk__in=message_ids, status=Status.PENDING, next_attempt_at__lte=now, event=""
            ).order_by("pk")
        )
        Message.objects.filter(pk__in=[m.pk for m in claimed]).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    sent = []
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - mail server unreachable: the whole batch waits for the sweep
        for message in claimed:
            message.attempts += 1
            _send_failed(message, exc)
        return 0
    try:
        for message in claimed:
            message.attempts += 1
            email = to_email_message(message)
            email.connection = connection
            try:
                email.send(fail_silently=False)
            except Exception as exc:  # noqa: BLE001 - as in deliver: every failure means "try again later"
                _send_failed(message, exc)
                continue
            sent.append(message.pk)
    finally:
        connection.close()
    Message.objects.filter(pk__in=sent).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    logger.info("%d of %d message(s) of a batch sent", len(sent), len(message_ids))
    return len(sent)


def sweep(*, now: datetime | None = None, limit: int = 200) -> int:
    """Send what is due and free stale claims. Safe to run twice or concurrently."""
    now = now or timezone.now()
    Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - stale_claim()).update(
        status=Status.PENDING, next_attempt_at=now
    )
    due = list(
        Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=now, created_at__lte=now - sweep_grace())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk, now=now) for pk in due)
