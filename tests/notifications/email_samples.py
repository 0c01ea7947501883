"""One real email of every kind, built from objects in the state the email describes, so its
main link can be followed (a pending offer for "a place has come up", an attended consultation
for "how did it help"...). Shared by the email tests; a new kind of email needs a row here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.roles import invite
from clinics.booking import cancel_request
from clinics.intake import decline_request, record_attendance
from clinics.models import Mode, ReflectiveAttendance, ReflectiveSession, WaitlistOffer
from clinics.recurrence import LONDON
from clinics.reflective import book_place
from clinics.wording import ask_to_reword
from notifications import bulletins, emails
from notifications.models import BulletinItem
from tests.factories import book, make_clinic, make_user


@dataclass
class Sample:
    draft: emails.Draft
    recipient: object | None  # the person who signs in to follow the link; None: no account yet


def _clinic(days: int, **kwargs):
    starts = datetime.combine(timezone.localdate() + timedelta(days=days), time(10, 0), tzinfo=LONDON)
    return make_clinic(starts_at=starts, **kwargs)


def sample_emails(practitioner, lead, coordinator) -> dict[str, Sample]:
    other = make_user("holder@council.gov.uk", "Practitioner 9")
    # An in-person clinic with a long venue: the narrowest layout has to wrap it.
    clinic = _clinic(14, facilitators=[lead])
    clinic.mode, clinic.venue = Mode.IN_PERSON, "Conference Room 2, Northshire Civic Centre, Town Hall Square, Northshire"
    clinic.save(update_fields=["mode", "venue"])
    booked = book(practitioner, clinic).request

    full = _clinic(15, capacity=1, facilitators=[lead])
    holder = book(other, full).request
    waiting = book(practitioner, full).request
    waitlisted = emails.waitlisted(waiting, 1)
    cancel_request(holder, by=other)
    offer = WaitlistOffer.objects.get(request=waiting, outcome=WaitlistOffer.Outcome.PENDING)

    past = _clinic(-1, facilitators=[lead])
    attended = book(practitioner, past, now=past.starts_at - timedelta(days=3)).request
    attended = record_attendance(attended, attended=True, by=lead)

    declined = decline_request(book(practitioner, _clinic(16, facilitators=[lead])).request, by=lead,
                               reason="The front door is the right place for this.")
    cancelled = book(practitioner, _clinic(17, facilitators=[lead])).request
    cancel_request(cancelled, by=practitioner)
    cancelled.refresh_from_db()

    held = book(practitioner, _clinic(18, facilitators=[lead]), question="Child A talks about Tracy Beaker from a story book.",
                hold_reason="A character in a book, not a real person").request
    ask_to_reword(held, by=lead)

    begin = timezone.now() + timedelta(days=10)
    session = ReflectiveSession.objects.create(
        original_date=begin.date(), title="Practice leads reflective session", starts_at=begin,
        ends_at=begin + timedelta(hours=2), capacity=6, online_link="https://meet.example.org/leads",
    )
    entry = book_place(session, lead)

    # A full session: the lead waiting for a place, then offered one (the states those emails describe).
    later = begin + timedelta(days=7)
    full_session = ReflectiveSession.objects.create(
        original_date=later.date(), title="Practice leads reflective session", starts_at=later,
        ends_at=later + timedelta(hours=2), capacity=6, online_link="https://meet.example.org/leads",
    )
    waiting_entry = ReflectiveAttendance.objects.create(
        session=full_session, lead=lead, status=ReflectiveAttendance.Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    offered_entry = ReflectiveAttendance(
        session=full_session, lead=lead, status=ReflectiveAttendance.Status.OFFERED,
        offer_expires_at=timezone.now() + timedelta(days=2),
    )

    bulletin = bulletins.create_bulletin(title="December bulletin", month=date.today().replace(day=1),
                                         introduction="News from the clinics.", by=coordinator)
    BulletinItem.objects.create(
        bulletin=bulletin, section=BulletinItem.Section.GUIDANCE, title="Updated guidance",
        body="A new guide to talking with parents and carers.",
        link="https://www.csacentre.org.uk/resources/key-messages-from-research/supporting-parents-and-carers-guide/",
    )
    invitation = invite("new.practitioner@council.gov.uk", [], by=coordinator)

    samples = {
        "booking_confirmed": Sample(emails.booking_confirmed(booked, 0), practitioner),
        "booking_moved": Sample(emails.booking_moved(booked, 1), practitioner),
        "reminder": Sample(emails.consultation_reminder(booked, 24), practitioner),
        "new_request": Sample(emails.new_request(booked, [lead])[0], lead),
        "waitlisted": Sample(waitlisted, practitioner),
        "place_offered": Sample(emails.place_offered(offer), practitioner),
        "feedback_requested": Sample(emails.feedback_requested(attended), practitioner),
        "request_declined": Sample(emails.request_declined(declined, None), practitioner),
        "booking_cancelled": Sample(emails.booking_cancelled(cancelled, "cancelled", None), practitioner),
        "reflective_invitation": Sample(emails.reflective_invitation(entry, 0), lead),
        "reflective_reminder": Sample(emails.reflective_reminder(entry, 24), lead),
        "reflective_cancelled": Sample(emails.reflective_cancelled(entry, 1), lead),
        "reflective_changed": Sample(emails.reflective_changed(entry, 2), lead),
        "reflective_waitlisted": Sample(emails.reflective_waitlisted(waiting_entry, 1), lead),
        "reflective_offered": Sample(emails.reflective_offered(offered_entry), lead),
        "bulletin": Sample(bulletins.draft_for(bulletins.digest(bulletin), practitioner), practitioner),
        "invitation": Sample(emails.invitation(invitation), None),
        "reword_requested": Sample(emails.reword_requested(held), practitioner),
    }
    for kind, sample in samples.items():
        assert sample.draft.kind == kind, (kind, sample.draft.kind)
    return samples
