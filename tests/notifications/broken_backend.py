"""An email backend whose SMTP server refuses the connection, for retry tests."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unavailable")
