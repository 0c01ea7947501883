"""Calendar subscriptions: a secret per-person feed of bookings (and, for leads, the clinics they
facilitate) that stays in step with the email invites and never carries case text or anyone else."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import icalendar
import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from clinics.booking import cancel_request
from clinics.models import (
    Clinic,
    ClinicSeries,
    ConsultationRequest,
    Feedback,
    Outcome,
    ReflectiveAttendance,
    ReflectiveSeries,
    ReflectiveSession,
    WaitlistOffer,
)
from clinics.reflective import book_place
from clinics.scheduling import move_clinic
from notifications import feed_links, feeds
from notifications.feed_links import CalendarFeedLink
from notifications.models import Message
from tests.factories import book, make_clinic, make_series

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    return reverse("calendar:feed", args=[feed_links.link_for(user).token])


def fetch(client, user) -> icalendar.Calendar:
    response = client.get(feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def invite_sequence(uid: str) -> int:
    return Message.objects.filter(calendar_uid=uid).order_by("-pk").values_list("calendar_sequence", flat=True).first()


def test_the_feed_parses_and_holds_the_booking_under_its_invite_uid_and_sequence(client, practitioner, clinic):
    request = book(practitioner, clinic).request
    cal = fetch(client, practitioner)
    assert str(cal["VERSION"]) == "2.0"
    assert "METHOD" not in cal  # a published calendar, not an invitation
    (uid, event), = events(cal).items()
    assert uid == request.calendar_uid
    assert event["SEQUENCE"] == invite_sequence(uid) == 0
    assert event.decoded("DTSTART") == request.slot.starts_at
    assert event.decoded("DTEND") == request.slot.ends_at
    assert str(event["DTSTART"].params["TZID"]) == "Europe/London"
    assert str(event["LOCATION"]) == "https://meet.example.org/csa-clinic"
    assert str(event["URL"]).endswith(reverse("clinics:request_detail", args=[request.pk]))
    assert cal.walk("VTIMEZONE")
    # The same event as the invite emailed for this booking, word for word.
    invite = Message.objects.get(calendar_uid=uid)
    (invited,) = icalendar.Calendar.from_ical(invite.ics).walk("VEVENT")
    for name in ("UID", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION"):
        assert event.get(name) == invited.get(name), name


def test_a_moved_clinic_moves_the_event_and_raises_its_sequence_with_the_same_uid(client, practitioner, lead, clinic, coordinator):
    request = book(practitioner, clinic).request
    before, lead_before = events(fetch(client, practitioner)), events(fetch(client, lead))
    move_clinic(clinic, clinic.starts_at + timedelta(days=7), by=coordinator)
    after, lead_after = events(fetch(client, practitioner)), events(fetch(client, lead))
    uid = request.calendar_uid
    assert set(before) == set(after) == {uid}
    assert after[uid].decoded("DTSTART") == before[uid].decoded("DTSTART") + timedelta(days=7)
    assert after[uid]["SEQUENCE"] > before[uid]["SEQUENCE"]
    # In step with the updated invite the practitioner was emailed.
    assert after[uid]["SEQUENCE"] == invite_sequence(uid) == 1
    # The facilitating lead's entry for the clinic moves too, under the same UID.
    assert set(lead_before) == set(lead_after) and len(lead_after) == 1
    (lead_uid,) = lead_after
    assert lead_after[lead_uid].decoded("DTSTART") == lead_before[lead_uid].decoded("DTSTART") + timedelta(days=7)
    assert lead_after[lead_uid]["SEQUENCE"] > lead_before[lead_uid]["SEQUENCE"]


def test_the_sequence_never_falls_below_what_the_invites_already_sent(client, practitioner, clinic):
    request = book(practitioner, clinic).request
    Message.objects.filter(calendar_uid=request.calendar_uid).update(calendar_sequence=4)
    assert events(fetch(client, practitioner))[request.calendar_uid]["SEQUENCE"] == 4


def test_reflective_sessions_a_lead_booked_use_the_invite_uid(client, lead):
    begin = timezone.now() + timedelta(days=10)
    session = ReflectiveSession.objects.create(original_date=begin.date(), title="Practice leads reflective session",
                                               starts_at=begin, ends_at=begin + timedelta(hours=2), capacity=4)
    entry = book_place(session, lead)
    found = events(fetch(client, lead))
    assert entry.calendar_uid in found
    assert found[entry.calendar_uid]["SEQUENCE"] == invite_sequence(entry.calendar_uid)
    assert str(found[entry.calendar_uid]["SUMMARY"]) == "Practice leads reflective session"


def test_cancelled_bookings_and_clinics_are_left_out(client, practitioner, coordinator):
    from clinics.scheduling import cancel_clinic

    kept, dropped, called_off = make_clinic(), make_clinic(), make_clinic()
    kept_request = book(practitioner, kept).request
    cancel_request(book(practitioner, dropped).request, by=practitioner)
    book(practitioner, called_off)
    cancel_clinic(called_off, by=coordinator, reason="Room unavailable")
    assert set(events(fetch(client, practitioner))) == {kept_request.calendar_uid}


def test_another_persons_bookings_never_appear(client, practitioner, other_practitioner, lead, other_lead, clinic):
    mine = book(practitioner, clinic).request
    theirs = book(other_practitioner, clinic).request
    elsewhere = make_clinic(facilitators=[other_lead])
    book(other_practitioner, elsewhere)
    mine_feed = fetch(client, practitioner)
    assert set(events(mine_feed)) == {mine.calendar_uid}
    assert set(events(fetch(client, other_practitioner))) == {theirs.calendar_uid,
                                                               elsewhere.requests.get().calendar_uid}
    lead_feed = fetch(client, lead)
    text = lead_feed.to_ical().decode()
    # The lead sees the clinic they run, once, and none of the bookings in it.
    assert len(events(lead_feed)) == 1
    assert mine.calendar_uid not in text and theirs.calendar_uid not in text
    assert mine.reference not in text and theirs.reference not in text
    for person in (practitioner, other_practitioner, other_lead):
        assert person.full_name not in text and person.email not in text
    # Nor does a practitioner see who runs their clinic or who else comes.
    mine_text = mine_feed.to_ical().decode()
    for person in (other_practitioner, lead):
        assert person.full_name not in mine_text and person.email not in mine_text
    assert "ATTENDEE" not in mine_text and "ATTENDEE" not in text


def _plant_canaries(objects: list[models.Model], show: set[str]) -> list[str]:
    """Write a unique string into every free-text field of ``objects`` except those the feed is
    meant to show, whatever fields the models have by now; return the strings."""
    planted = []
    for obj in objects:
        changes = {}
        for field in obj._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices or field.name in show:
                continue
            if isinstance(field, models.URLField | models.EmailField):
                continue
            value = f"CANARY{len(planted)}{obj._meta.model_name[:4]}"[: field.max_length or 200]
            changes[field.name] = value
            planted.append(value)
        type(obj).objects.filter(pk=obj.pk).update(**changes)
    return planted


def test_no_case_text_reaches_any_feed(client, practitioner, lead, coordinator):
    series = make_series(facilitators=[lead], created_by=coordinator)
    clinic = make_clinic(facilitators=[lead], series=series)
    request = book(practitioner, clinic).request
    offered_clinic = make_clinic(capacity=1, facilitators=[lead])
    holder = book(coordinator, offered_clinic).request
    waiting = book(practitioner, offered_clinic).request
    cancel_request(holder, by=coordinator)
    offer = WaitlistOffer.objects.get(request=waiting)
    outcome = Outcome.objects.create(request=request, advice="x", recorded_by=lead)
    feedback = Feedback.objects.create(request=request, confidence_after=4)
    begin = timezone.now() + timedelta(days=9)
    reflective_series = ReflectiveSeries.objects.create(title="Leads", rrule="FREQ=MONTHLY", starts_on=begin.date(),
                                                        start_time=begin.time())
    session = ReflectiveSession.objects.create(series=reflective_series, original_date=begin.date(), title="Leads session",
                                               starts_at=begin, ends_at=begin + timedelta(hours=2), capacity=4)
    book_place(session, lead)
    book_place(session, practitioner)  # any lead-shaped person works for the register
    shown = {"title", "venue", "reference", "rrule", "key", "secret_hash", "calendar_uid"}
    canaries = _plant_canaries(
        [request, waiting, holder, clinic, offered_clinic, series, offer, outcome, feedback, session, reflective_series],
        shown,
    )
    assert len(canaries) >= 10, canaries  # question, support_other, decline reason, notes, comment, ...
    for canary in ("question", "notes", "comment", "advice", "status_reason", "description"):
        assert any(canary in f.name for m in (ConsultationRequest, ReflectiveSession, Feedback, Outcome, Clinic, ClinicSeries)
                   for f in m._meta.concrete_fields)
    for person in (practitioner, lead):
        text = client.get(feed_url(person)).content.decode()
        assert "BEGIN:VEVENT" in text
        leaked = [c for c in canaries if c in text.replace("\r\n ", "")]
        assert not leaked, f"{person}: {leaked}"
    assert ReflectiveAttendance.objects.count() == 2


def test_a_reset_link_stops_the_old_one(client, practitioner, clinic):
    book(practitioner, clinic)
    old = feed_url(practitioner)
    assert client.get(old).status_code == 200
    client.force_login(practitioner)
    key = feed_links.link_for(practitioner).key
    response = client.post(reverse("calendar:reset"), {"key": key})
    assert response.status_code == 302
    client.logout()
    assert client.get(old).status_code == 404
    new = feed_url(practitioner)
    assert new != old
    assert client.get(new).status_code == 200
    link = CalendarFeedLink.objects.get(user=practitioner)
    assert link.reset_by == practitioner and link.reset_at is not None


def test_resetting_twice_with_the_same_form_resets_once(client, practitioner):
    client.force_login(practitioner)
    key = feed_links.link_for(practitioner).key
    client.post(reverse("calendar:reset"), {"key": key})
    issued = feed_links.link_for(practitioner).token
    client.post(reverse("calendar:reset"), {"key": key})  # the same submission again
    assert feed_links.link_for(practitioner).token == issued
    assert client.get(reverse("calendar:feed", args=[issued])).status_code == 200


def test_only_a_hash_of_the_secret_is_stored(practitioner):
    link = feed_links.link_for(practitioner)
    secret = link.token[feed_links.KEY_LENGTH:]
    row = CalendarFeedLink.objects.filter(pk=link.pk).values().get()
    assert secret not in str(row)
    assert row["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()


@pytest.mark.parametrize("token", [
    "", "x", "0" * 80, "..%2F..%2Fetc", "A" * 80, "0" * 81, "é" * 80, "0" * 5000,
])
def test_bad_tokens_are_404(client, practitioner, token):
    feed_links.link_for(practitioner)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 404


@pytest.mark.parametrize("token", ["%00" * 10, "%00", "%ff%fe"])
def test_tokens_with_bad_bytes_are_refused_before_the_feed(client, practitioner, token):
    # NUL and invalid UTF-8 never reach the view: the bad-bytes middleware answers 400 first.
    feed_links.link_for(practitioner)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 400


def test_a_right_key_with_a_wrong_secret_is_404(client, practitioner):
    link = feed_links.link_for(practitioner)
    forged = link.key + ("0" if link.token[-1] != "0" else "1") * feed_links.SECRET_LENGTH
    assert client.get(reverse("calendar:feed", args=[forged])).status_code == 404
    assert client.get(reverse("calendar:feed", args=[link.token])).status_code == 200


def test_a_deactivated_person_has_no_feed(client, practitioner):
    url = feed_url(practitioner)
    practitioner.is_active = False
    practitioner.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_the_feed_needs_no_session_and_answers_polls_with_304_until_something_changes(client, practitioner, clinic,
                                                                                      coordinator):
    book(practitioner, clinic)
    url = feed_url(practitioner)
    first = client.get(url)
    assert first.status_code == 200
    assert not first.cookies  # nothing is stored for an anonymous calendar app
    assert "private" in first["Cache-Control"] and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert client.get(url).content == first.content  # the same bytes until something changes
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
    move_clinic(clinic, clinic.starts_at + timedelta(hours=2), by=coordinator)
    moved = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]
    assert moved.content != first.content


def test_the_subscription_page_shows_both_links_and_the_reset_button(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("calendar:subscription")).content.decode()
    link = feed_links.link_for(practitioner)
    assert link.https_url in page and link.webcal_url in page
    assert link.webcal_url.startswith("webcal://")
    assert "Subscribe from web" in page
    assert f'name="key" value="{link.key}"' in page


def test_the_feed_costs_the_same_queries_however_many_events(lead, practitioner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        person = type(lead).objects.get(pk=lead.pk)  # as the feed view finds them: nothing cached
        with CaptureQueriesContext(connection) as captured:
            text = feeds.feed_ics(person)
        assert "BEGIN:VEVENT" in text
        return len(captured)

    book(lead, make_clinic(facilitators=[lead]))
    one = queries()
    for days in (20, 21, 22):
        clinic = make_clinic(facilitators=[lead], starts_at=timezone.now() + timedelta(days=days))
        book(lead, clinic)
        book(practitioner, clinic)
    assert len(feeds.events_for(lead)) == 8
    assert queries() == one
