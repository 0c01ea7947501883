"""The one refusal error for people, shared by clinics and reflective sessions."""

from __future__ import annotations


class Refused(Exception):
    """An action that cannot be done now; ``str(exc)`` is safe to show to the person.

    Booking, scheduling and reflective-session operations all raise this (``BookingError`` in
    clinics/booking.py is the same class), so a view catches one error whatever the kind.
    """
