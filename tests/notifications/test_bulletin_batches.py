"""The bulletin at scale: copies queued a batch at a time with a bounded number of queries per
batch, rendered once, delivered in batches, and still sent once to each person."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from notifications import bulletins, outbox, preferences
from notifications.models import Bulletin, BulletinDelivery, BulletinItem, Message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_grace(settings):
    settings.NOTIFICATIONS_SWEEP_GRACE_SECONDS = 0


def subscribers(count: int, start: int = 0) -> list[User]:
    return User.objects.bulk_create(
        User(email=f"subscriber{i}@council.gov.uk", password=make_password(None), full_name=f"Practitioner {i}")
        for i in range(start, start + count)
    )


def scheduled(by) -> Bulletin:
    bulletin = bulletins.create_bulletin(title="CSA bulletin: December", month=timezone.localdate(), by=by)
    bulletins.save_item(BulletinItem(bulletin=bulletin, section=BulletinItem.Section.GUIDANCE,
                                     title="Sibling sexual abuse guide", body="A new guide for practitioners."))
    return bulletins.schedule(bulletin, timezone.now())


def queries_to_send(coordinator, count: int, monkeypatch) -> int:
    monkeypatch.setattr(bulletins, "BATCH", 10)
    bulletin = scheduled(coordinator)
    with CaptureQueriesContext(connection) as captured:
        queued = bulletins.send_bulletin(bulletin.pk)
    assert queued == User.objects.filter(is_active=True).count()
    return len(captured.captured_queries)


def test_queuing_costs_a_bounded_number_of_queries_per_batch_not_per_copy(coordinator, monkeypatch):
    subscribers(9)  # with the coordinator: one batch of 10
    one_batch = queries_to_send(coordinator, 10, monkeypatch)
    Message.objects.all().delete()
    BulletinDelivery.objects.all().delete()
    subscribers(30, start=100)  # 40 people: four batches of 10
    four_batches = queries_to_send(coordinator, 40, monkeypatch)
    per_batch = (four_batches - one_batch) / 3
    assert per_batch <= 6, f"{per_batch} queries per batch of 10 copies"
    assert one_batch <= 25


def test_one_rendering_gives_each_person_exactly_their_own_copy(coordinator, practitioner, clinic):
    bulletin = scheduled(coordinator)
    d = bulletins.digest(bulletin)
    copy = bulletins.copy_maker(d)(practitioner)
    expected = bulletins.draft_for(d, practitioner)
    assert copy == expected
    assert preferences.unsubscribe_token(practitioner) in copy.body_text
    assert copy.headers["List-Unsubscribe"] == expected.headers["List-Unsubscribe"]


def test_unsubscribed_people_get_no_copy_and_their_delivery_is_skipped(coordinator, practitioner, other_practitioner):
    preferences.set_preferences(other_practitioner, bulletin=False)
    bulletin = scheduled(coordinator)
    bulletins.send_bulletin(bulletin.pk)
    emails = set(Message.objects.filter(kind="bulletin").values_list("to_email", flat=True))
    assert emails == {coordinator.email, practitioner.email}
    assert not BulletinDelivery.objects.filter(user=other_practitioner).exists()


def test_a_batch_delivered_twice_sends_each_copy_once(coordinator, monkeypatch):
    subscribers(12)
    bulletin = scheduled(coordinator)
    bulletins.send_bulletin(bulletin.pk)
    ids = list(Message.objects.filter(kind="bulletin").values_list("pk", flat=True))

    assert outbox.deliver_many(ids) == len(ids)
    assert outbox.deliver_many(ids) == 0
    outbox.sweep()
    assert len(mail.outbox) == len(ids) == 13
    assert sorted(m.to[0] for m in mail.outbox) == sorted(User.objects.values_list("email", flat=True))
    assert not Message.objects.exclude(status=Message.Status.SENT).exists()


def test_a_failing_mail_server_leaves_the_batch_for_the_sweep(coordinator, settings):
    bulletin = scheduled(coordinator)
    bulletins.send_bulletin(bulletin.pk)
    ids = list(Message.objects.filter(kind="bulletin").values_list("pk", flat=True))
    settings.EMAIL_BACKEND = "tests.notifications.broken_backend.BrokenBackend"
    assert outbox.deliver_many(ids) == 0
    assert set(Message.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Message.Status.PENDING}
    assert mail.outbox == []
