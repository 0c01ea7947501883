"""The fair path when the anonymity guard is wrong: send anyway with a reason, held until a
practice lead confirms the wording or asks for it to be reworded (clinics/wording.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anonymity.forms import DIGEST_FIELD, HOLD_FIELD, HOLD_REASON_FIELD, findings_digest
from anonymity.models import FalseAlarm
from clinics.booking import cancel_request, waitlist_position
from clinics.models import ConsultationRequest, WaitlistOffer, WordingCheck
from clinics.wording import WordingError, ask_to_reword, confirm_wording, held_findings, reword_request
from notifications.models import Message
from tests.clinics.test_practitioner_request import form_data
from tests.factories import book, make_clinic, make_user

pytestmark = pytest.mark.django_db
State = WordingCheck.State

FLAGGED = "Amelia Hartley"
HELD_QUESTION = f"Child A keeps talking about {FLAGGED} from a story book. How do we use that in direct work with her?"
REASON = "A character in a book, not a real person"


def send_anyway(client, clinic, question: str = HELD_QUESTION, reason: str = REASON):
    """Through the real screens: flagged, then sent anyway with a reason, then confirmed."""
    first = client.post(reverse("clinics:request_new"), form_data(clinic, question=question))
    assert first.status_code == 200
    form = first.context["form"]
    assert form.anonymity_findings["question"]
    data = form_data(clinic, question=question) | {
        HOLD_FIELD: "on", HOLD_REASON_FIELD: reason, DIGEST_FIELD: form.data[DIGEST_FIELD]
    }
    second = client.post(reverse("clinics:request_new"), data)
    assert second.status_code == 302, second.context["form"].errors
    return client.post(reverse("clinics:request_check"))


def held(practitioner, clinic, **kwargs) -> ConsultationRequest:
    return book(practitioner, clinic, question=HELD_QUESTION, hold_reason=REASON, **kwargs).request


# --- sending anyway ----------------------------------------------------------------------------

def test_a_flagged_request_offers_send_anyway_with_a_reason(client, practitioner, clinic):
    client.force_login(practitioner)
    response = client.post(reverse("clinics:request_new"), form_data(clinic, question=HELD_QUESTION))
    html = response.content.decode()
    assert ConsultationRequest.objects.count() == 0
    assert "Send it anyway" in html and 'name="send_anyway_reason"' in html
    assert 'class="app-anonymity-mark' in html


def test_sent_anyway_the_request_is_booked_and_held_with_its_reason(client, practitioner, clinic, lead):
    client.force_login(practitioner)
    check_page = client.post(reverse("clinics:request_new"), form_data(clinic, question=HELD_QUESTION))
    assert check_page.status_code == 200
    response = send_anyway(client, clinic)
    consultation = ConsultationRequest.objects.get()
    assert response.status_code == 302
    assert consultation.status == ConsultationRequest.Status.BOOKED and consultation.slot_id
    assert consultation.wording_held_at is not None
    check = consultation.wording_checks.get()
    assert (check.state, check.reason, check.sent_by) == (State.WAITING, REASON, practitioner)
    detail = client.get(reverse("clinics:request_detail", args=[consultation.pk])).content.decode()
    assert "Held: check wording" in detail and FLAGGED in detail  # the author still reads their text


def test_the_check_page_says_the_request_will_be_held(client, practitioner, clinic):
    client.force_login(practitioner)
    first = client.post(reverse("clinics:request_new"), form_data(clinic, question=HELD_QUESTION))
    data = form_data(clinic, question=HELD_QUESTION) | {
        HOLD_FIELD: "on", HOLD_REASON_FIELD: REASON, DIGEST_FIELD: first.context["form"].data[DIGEST_FIELD]
    }
    client.post(reverse("clinics:request_new"), data)
    html = client.get(reverse("clinics:request_check")).content.decode()
    assert "Held: check wording" in html and REASON in html


@pytest.mark.parametrize(
    ("reason", "error"),
    [("", "Say why the highlighted words are safe"), (f"{FLAGGED} is a character", "without repeating")],
)
def test_send_anyway_needs_a_reason_that_does_not_repeat_the_words(client, practitioner, clinic, reason, error):
    client.force_login(practitioner)
    first = client.post(reverse("clinics:request_new"), form_data(clinic, question=HELD_QUESTION))
    data = form_data(clinic, question=HELD_QUESTION) | {
        HOLD_FIELD: "on", HOLD_REASON_FIELD: reason, DIGEST_FIELD: first.context["form"].data[DIGEST_FIELD]
    }
    response = client.post(reverse("clinics:request_new"), data)
    assert response.status_code == 200
    assert error in response.content.decode()


def test_send_anyway_ticked_before_the_findings_were_shown_holds_nothing(client, practitioner, clinic):
    client.force_login(practitioner)
    data = form_data(clinic, question=HELD_QUESTION) | {HOLD_FIELD: "on", HOLD_REASON_FIELD: REASON, DIGEST_FIELD: "forged"}
    response = client.post(reverse("clinics:request_new"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["question"]


# --- keeping its place -------------------------------------------------------------------------

def test_a_held_request_keeps_its_waiting_list_place_and_gets_the_freed_slot(practitioner, lead):
    clinic = make_clinic(capacity=1, facilitators=[lead])
    holder = book(make_user("holder@council.gov.uk", "Practitioner 8"), clinic).request
    first = held(practitioner, clinic)
    later = book(make_user("later@council.gov.uk", "Practitioner 9"), clinic).request
    assert (waitlist_position(first), waitlist_position(later)) == (1, 2)
    cancel_request(holder, by=holder.requester)
    offer = WaitlistOffer.objects.get(outcome=WaitlistOffer.Outcome.PENDING)
    assert offer.request_id == first.pk
    first.refresh_from_db()
    assert first.wording_held_at is not None  # still held: only the text waits


def test_sending_back_and_rewording_keep_the_slot(practitioner, clinic, lead):
    consultation = held(practitioner, clinic)
    slot = consultation.slot_id
    ask_to_reword(consultation, by=lead)
    reword_request(consultation, by=practitioner, question="Child A keeps talking about a story book.", support_other="")
    consultation.refresh_from_db()
    assert consultation.slot_id == slot and consultation.status == ConsultationRequest.Status.BOOKED


# --- the lead's decision -----------------------------------------------------------------------

def test_held_requests_come_first_in_triage_tagged_with_their_text_marked(client, practitioner, clinic, lead):
    earlier = book(practitioner, clinic).request
    consultation = held(practitioner, clinic)
    client.force_login(lead)
    response = client.get(reverse("clinics:triage"))
    html = response.content.decode()
    assert [c.pk for c in response.context["queue"]] == [consultation.pk, earlier.pk]
    assert "Held: check wording" in html and REASON in html
    assert '<mark class="app-anonymity-mark' in html and FLAGGED in html


def test_a_lead_reading_held_text_is_in_the_access_log(client, practitioner, clinic, lead):
    from clinics.models import AccessLog

    consultation = held(practitioner, clinic)
    client.force_login(lead)
    client.get(reverse("clinics:triage"))
    assert AccessLog.objects.filter(user=lead, request=consultation, action="viewed triage").exists()


def test_a_lead_confirms_and_the_false_alarms_are_recorded(client, practitioner, clinic, lead):
    consultation = held(practitioner, clinic)
    client.force_login(lead)
    digest = client.get(reverse("clinics:triage")).context["queue"][0].held_digest
    response = client.post(reverse("clinics:wording_confirm", args=[consultation.pk]), {"digest": digest})
    assert response.status_code == 302
    consultation.refresh_from_db()
    check = consultation.wording_checks.get()
    assert consultation.wording_held_at is None
    assert (check.state, check.decided_by, check.confirmed_findings) == (State.CONFIRMED, lead, 1)
    alarm = FalseAlarm.objects.get()
    assert (alarm.user, alarm.flagged_text, alarm.context_label, alarm.field_name) == (
        lead, FLAGGED, f"request:{consultation.pk}", "question"
    )


def test_confirming_wording_that_changed_since_the_page_was_shown_is_refused(practitioner, clinic, lead):
    consultation = held(practitioner, clinic)
    shown = findings_digest(held_findings(consultation))
    ConsultationRequest.objects.filter(pk=consultation.pk).update(question=HELD_QUESTION + " Ask Grace Carter.")
    with pytest.raises(WordingError):
        confirm_wording(consultation, by=lead, shown_digest=shown)
    assert FalseAlarm.objects.count() == 0
    assert ConsultationRequest.objects.get(pk=consultation.pk).wording_held_at is not None


def test_a_coordinator_who_runs_no_clinic_cannot_read_or_confirm_held_text(client, practitioner, clinic, coordinator):
    consultation = held(practitioner, clinic)
    client.force_login(coordinator)
    assert FLAGGED not in client.get(reverse("clinics:triage")).content.decode()
    assert FLAGGED not in client.get(reverse("clinics:coordinator_request", args=[consultation.pk])).content.decode()
    response = client.post(reverse("clinics:wording_confirm", args=[consultation.pk]), {"digest": "0" * 64})
    assert response.status_code == 403


def test_asking_to_reword_emails_the_author_one_link_and_no_text(client, practitioner, clinic, lead):
    consultation = held(practitioner, clinic)
    client.force_login(lead)
    client.post(reverse("clinics:wording_send_back", args=[consultation.pk]))
    assert consultation.wording_checks.get().state == State.REWORD
    message = Message.objects.get(kind="reword_requested")
    link = reverse("clinics:request_reword", args=[consultation.pk])
    assert message.to_email == practitioner.email
    assert message.body_text.count(link) == 1 and link in message.body_html
    assert FLAGGED not in message.body_text + message.body_html + message.subject


def test_reworded_clean_text_releases_the_request(client, practitioner, clinic, lead):
    consultation = held(practitioner, clinic)
    ask_to_reword(consultation, by=lead)
    client.force_login(practitioner)
    page = client.get(reverse("clinics:request_reword", args=[consultation.pk]))
    assert page.status_code == 200 and '<mark class="app-anonymity-mark' in page.content.decode()
    response = client.post(
        reverse("clinics:request_reword", args=[consultation.pk]),
        {"question": "Child A keeps talking about a character from a story book. How do we use that?", "support_other": ""},
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.wording_held_at is None and FLAGGED not in consultation.question
    assert consultation.wording_checks.get().state == State.REWORDED


def test_reworded_text_still_flagged_can_be_sent_again_with_a_reason(client, practitioner, clinic, lead):
    consultation = held(practitioner, clinic)
    ask_to_reword(consultation, by=lead)
    client.force_login(practitioner)
    url = reverse("clinics:request_reword", args=[consultation.pk])
    still = f"{HELD_QUESTION} Still the book."
    first = client.post(url, {"question": still, "support_other": ""})
    assert first.status_code == 400
    assert ConsultationRequest.objects.get(pk=consultation.pk).question == HELD_QUESTION  # nothing saved
    data = {"question": still, "support_other": "", HOLD_FIELD: "on", HOLD_REASON_FIELD: "Still the storybook character",
            DIGEST_FIELD: first.context["form"].data[DIGEST_FIELD]}
    assert client.post(url, data).status_code == 302
    states = list(consultation.wording_checks.order_by("pk").values_list("state", flat=True))
    assert states == [State.REWORDED, State.WAITING]
    assert ConsultationRequest.objects.get(pk=consultation.pk).wording_held_at is not None


def test_only_the_author_can_reword(practitioner, other_practitioner, clinic, lead):
    consultation = held(practitioner, clinic)
    with pytest.raises(WordingError):
        reword_request(consultation, by=other_practitioner, question="Child A", support_other="")


# --- nothing from the held text reaches anyone else -------------------------------------------

def test_the_agenda_shows_held_text_only_after_a_lead_confirms(client, practitioner, clinic, lead):
    consultation = held(practitioner, clinic, support_other=f"Advice about {FLAGGED}")
    client.force_login(lead)
    agenda = reverse("clinics:clinic_agenda", args=[clinic.pk])
    html = client.get(agenda).content.decode()
    assert FLAGGED not in html and "Held: check wording" in html
    confirm_wording(consultation, by=lead, shown_digest=findings_digest(held_findings(consultation)))
    assert FLAGGED in client.get(agenda).content.decode()


def test_held_text_stays_out_of_the_waiting_list_on_the_agenda(client, practitioner, lead):
    clinic = make_clinic(capacity=1, facilitators=[lead])
    book(make_user("holder@council.gov.uk", "Practitioner 8"), clinic)
    held(practitioner, clinic)
    client.force_login(lead)
    assert FLAGGED not in client.get(reverse("clinics:clinic_agenda", args=[clinic.pk])).content.decode()


def test_held_text_reaches_no_email(practitioner, clinic, lead):
    consultation = held(practitioner, clinic, support_other=f"Advice about {FLAGGED}")
    ask_to_reword(consultation, by=lead)
    messages = Message.objects.all()
    assert {m.kind for m in messages} >= {"booking_confirmed", "new_request", "reword_requested"}
    for m in messages:
        assert FLAGGED not in m.subject + m.body_text + m.body_html + m.ics


def test_held_text_reaches_neither_the_bulletin_nor_the_themes_nor_their_exports(client, practitioner, clinic, lead,
                                                                                  coordinator, manager):
    from notifications import bulletins

    held(practitioner, clinic, support_other=f"Advice about {FLAGGED}")
    bulletin = bulletins.create_bulletin(title="CSA bulletin", month=timezone.localdate(), by=coordinator)
    assert FLAGGED not in bulletins.preview_html(bulletin, practitioner)
    assert FLAGGED not in bulletins.preview_html(bulletin, practitioner, now=timezone.now() + timedelta(days=40))
    client.force_login(manager)
    assert FLAGGED not in client.get(reverse("clinics:themes")).content.decode()
    from clinics.themes import Dashboard, ThemesFilter

    for table in Dashboard(ThemesFilter.default()).tables():
        response = client.get(reverse("clinics:themes_csv"), {"table": table.key})
        assert response.status_code == 200
        assert FLAGGED not in response.content.decode()
