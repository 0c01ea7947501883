"""Mail over real SMTP: a message sent twice carries one Message-ID, so mail systems can drop
the second copy; and with the SMTP server down, bookings still succeed and their messages wait.

At-least-once SMTP: if the worker dies (or the connection drops) after the SMTP server took the
message but before the worker heard "250 OK", the row is still not marked sent and the sweep
sends it again. These tests run a real SMTP server (aiosmtpd) that records each message and then
hangs up, or stays silent while we kill the worker process, and check both received copies.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from notifications import outbox
from notifications.models import Message
from tests.factories import book

ROOT = Path(__file__).resolve().parent.parent.parent


class RecordingServer:
    """An aiosmtpd handler that records every message, then misbehaves on the first ``faults``.

    ``mode`` is "hang up" (drop the connection instead of answering) or "silent" (never
    answer, as if the worker died waiting).
    """

    def __init__(self, mode: str, faults: int = 1) -> None:
        self.mode, self.faults = mode, faults
        self.received: list[email.message.Message] = []
        self.took_one = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received.append(email.message_from_bytes(envelope.original_content))
        self.took_one.set()
        if self.faults:
            self.faults -= 1
            if self.mode == "hang up":
                server.transport.abort()
            else:
                await asyncio.sleep(60)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(request, settings):
    handler = RecordingServer(request.param)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 2
    yield handler
    controller.stop()


def a_message() -> Message:
    return Message.objects.create(
        kind="booking_confirmed", to_email="practitioner@council.gov.uk", subject="Booked", body_text="Booked."
    )


def message_ids(received: list[email.message.Message]) -> list[str]:
    return [copy["Message-ID"] for copy in received]


def test_every_row_gets_its_own_message_id_when_written(db):
    first, second = a_message(), a_message()
    assert first.message_id.startswith("<") and first.message_id.endswith(">")
    assert first.message_id != second.message_id
    assert outbox.to_email_message(first).message()["Message-ID"] == first.message_id


@pytest.mark.parametrize("smtp_server", ["hang up"], indirect=True)
def test_a_send_cut_off_after_the_server_took_it_is_resent_with_the_same_message_id(db, smtp_server):
    message = a_message()
    assert outbox.deliver(message.pk) is False  # the server kept a copy, the worker heard nothing
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.PENDING, 1)

    assert outbox.sweep(now=message.next_attempt_at + timedelta(seconds=1)) == 1
    assert len(smtp_server.received) == 2
    assert message_ids(smtp_server.received) == [message.message_id, message.message_id]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("smtp_server", ["silent"], indirect=True)
def test_a_worker_killed_between_receipt_and_reply_is_resent_with_the_same_message_id(smtp_server, settings):
    message = a_message()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "EMAIL_TIMEOUT": "60",
    }
    code = f"import django; django.setup(); from notifications.outbox import deliver; deliver({message.pk})"
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)
    try:
        assert smtp_server.took_one.wait(60), "the worker never reached the SMTP server"
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    message.refresh_from_db()
    assert message.status == Message.Status.SENDING  # claimed by the dead worker

    later = timezone.now() + outbox.stale_claim() + timedelta(seconds=1)
    assert outbox.sweep(now=later) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert len(smtp_server.received) == 2
    assert message_ids(smtp_server.received) == [message.message_id, message.message_id]


@pytest.mark.parametrize("smtp_server", ["hang up"], indirect=True)
def test_with_smtp_down_a_booking_succeeds_and_its_messages_wait_for_the_server(
    smtp_server, settings, practitioner, clinic
):
    smtp_server.faults = 0
    working_port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nothing listens there
    placement = book(practitioner, clinic)
    assert placement.request.pk
    later = timezone.now() + outbox.sweep_grace() + timedelta(seconds=1)
    assert outbox.sweep(now=later) == 0
    waiting = Message.objects.filter(status=Message.Status.PENDING)
    assert waiting.exists()
    assert set(waiting.values_list("last_error", flat=True)) == {"ConnectionRefusedError"}

    settings.EMAIL_PORT = working_port  # the server is back
    retry_at = max(waiting.values_list("next_attempt_at", flat=True))
    assert outbox.sweep(now=retry_at) == len(smtp_server.received) > 0
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()
