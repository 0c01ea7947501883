"""The monthly bulletin: written by a coordinator, sent once to each subscriber even with two
senders at once, with a one-click unsubscribe that mail scanners cannot trigger."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications import bulletins, outbox, preferences
from notifications.models import Bulletin, BulletinDelivery, BulletinItem, Message
from notifications.tasks import send_due_bulletins
from tests.factories import book


@pytest.fixture(autouse=True)
def _no_grace(settings):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0


def scheduled_bulletin(by) -> Bulletin:
    bulletin = bulletins.create_bulletin(title="CSA bulletin: December", month=timezone.localdate(), by=by)
    bulletins.save_item(BulletinItem(bulletin=bulletin, section=BulletinItem.Section.GUIDANCE,
                                     title="Sibling sexual abuse guide", body="A new guide for practitioners.",
                                     link="https://example.org/guide"))
    return bulletins.schedule(bulletin, timezone.now())


def test_bulletin_job_run_twice_sends_each_subscriber_one_copy(coordinator, practitioner, other_practitioner, lead):
    preferences.set_preferences(other_practitioner, bulletin=False)
    bulletin = scheduled_bulletin(coordinator)

    send_due_bulletins.apply()
    send_due_bulletins.apply()
    outbox.sweep()
    outbox.sweep()

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([coordinator.email, practitioner.email, lead.email])
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SENT


def test_bulletin_email_has_one_click_unsubscribe_headers_and_generated_sections(coordinator, practitioner, clinic):
    scheduled_bulletin(coordinator)
    bulletins.send_due_bulletins()
    outbox.sweep()
    [email] = [m for m in mail.outbox if m.to == [practitioner.email]]

    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url.startswith("http") and "/unsubscribe/" in url
    assert "Sibling sexual abuse guide" in email.body
    assert "Clinics with free places" in email.body and "3 free" in email.body
    assert "not an emergency service" in email.body and "0808 802 9999" in email.body


def test_last_months_themes_use_the_small_number_rule(coordinator, practitioner, clinic):
    book(practitioner, clinic)
    bulletin = bulletins.create_bulletin(title="Next month", month=date.today().replace(day=1) + timedelta(days=32),
                                         by=coordinator)
    body = bulletins.draft_for(bulletins.digest(bulletin), practitioner).body_text
    assert "Intra-familial" in body or "intra-familial" in body.lower()
    assert "fewer than 5" in body


def test_unsubscribe_get_only_asks_and_post_unsubscribes_without_a_session(client, practitioner):
    token = preferences.unsubscribe_token(practitioner)
    url = reverse("notifications:unsubscribe", args=[token])

    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert preferences.wants(practitioner, "bulletin")

    # RFC 8058: the mail provider POSTs with no cookies and no CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not preferences.wants(practitioner, "bulletin")


def test_a_tampered_unsubscribe_token_changes_nothing(client, practitioner):
    token = preferences.unsubscribe_token(practitioner)
    response = client.post(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    assert preferences.wants(practitioner, "bulletin")


def test_settings_page_saves_the_persons_choices(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200 and b"Notification settings" in page.content

    response = client.post(reverse("notifications:settings"), {"reminders": "on"})
    assert response.status_code == 302
    assert preferences.wants(practitioner, "reminders")
    assert not preferences.wants(practitioner, "bulletin")


def test_bulletin_screens_are_for_coordinators_only(client, practitioner, coordinator):
    bulletin = scheduled_bulletin(coordinator)
    client.force_login(practitioner)
    assert client.get(reverse("notifications:bulletin_list")).status_code == 403
    assert client.get(reverse("notifications:bulletin_preview", args=[bulletin.pk])).status_code == 403
    assert client.get(reverse("notifications:archive_detail", args=[bulletin.pk])).status_code == 404  # not sent yet


def test_coordinator_writes_previews_and_schedules_a_bulletin(client, coordinator):
    client.force_login(coordinator)
    month = timezone.localdate().replace(day=1).isoformat()
    response = client.post(reverse("notifications:bulletin_create"), {"title": "CSA bulletin", "month": month})
    bulletin = Bulletin.objects.get()
    assert response.url == reverse("notifications:bulletin_detail", args=[bulletin.pk])

    response = client.post(reverse("notifications:item_add", args=[bulletin.pk]), {
        "section": "research", "title": "New research summary", "body": "Findings on disclosure in schools.", "link": ""})
    assert response.status_code == 302
    preview = client.get(reverse("notifications:bulletin_preview_email", args=[bulletin.pk]))
    assert b"New research summary" in preview.content
    assert "unsafe-inline" in preview["Content-Security-Policy"] and "script" not in preview["Content-Security-Policy"]

    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("notifications:bulletin_schedule", args=[bulletin.pk]),
                           {"send_on": tomorrow.isoformat(), "send_at": "09:00"})
    assert b"Bulletin scheduled" in response.content
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SCHEDULED
    assert timezone.localtime(bulletin.send_at).hour == 9


def test_item_with_identifying_details_is_refused(client, coordinator):
    pytest.importorskip("anonymity.forms")
    client.force_login(coordinator)
    bulletin = bulletins.create_bulletin(title="B", month=timezone.localdate(), by=coordinator)
    response = client.post(reverse("notifications:item_add", args=[bulletin.pk]), {
        "section": "best_practice", "title": "Learning", "body": "Call Jane Smith on 07700 900123 about this.",
        "link": ""})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert not BulletinItem.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bulletin_senders_send_each_subscriber_one_copy(coordinator, practitioner, other_practitioner,
                                                                       lead, other_lead, manager):
    bulletin = scheduled_bulletin(coordinator)
    barrier = threading.Barrier(2)
    errors = []

    def sender():
        try:
            barrier.wait()
            bulletins.send_due_bulletins()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert errors == []
    users = 6
    assert BulletinDelivery.objects.filter(bulletin=bulletin).count() == users
    assert Message.objects.filter(kind="bulletin").count() == users
    outbox.sweep()
    outbox.sweep()
    assert len([m for m in mail.outbox if m.subject == "CSA bulletin: December"]) == users
