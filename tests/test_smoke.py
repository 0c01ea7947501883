from __future__ import annotations

from tests.factories import book


def test_booking_a_free_slot_books_it(practitioner, clinic):
    placement = book(practitioner, clinic)
    assert placement.booked
    assert placement.request.slot.clinic == clinic
