"""The monthly bulletin: operations for the coordinator's screens and the sender.

The digest is the coordinator's items by section plus two generated sections: upcoming clinics
with free slots and last month's themes in aggregate (the dashboard's small-number rule).
Sending creates one BulletinDelivery per subscriber (unique per bulletin and person) and claims
each with a conditional update before its Message is written, so two senders running at once
still send each person one copy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from notifications import emails, outbox, preferences
from notifications.models import Bulletin, BulletinDelivery, BulletinItem

logger = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")
Section = BulletinItem.Section


class BulletinError(Exception):
    """Something the coordinator cannot do to this bulletin now; the message says why."""


@dataclass(frozen=True)
class Digest:
    bulletin: Bulletin
    sections: list[tuple[str, list[BulletinItem]]]
    clinics: list
    themes: list
    themes_month: str


def month_start(day: date) -> datetime:
    return datetime.combine(day.replace(day=1), time(0, 0), tzinfo=LONDON)


def previous_month(day: date) -> date:
    first = day.replace(day=1)
    return (first.replace(year=first.year - 1, month=12) if first.month == 1 else first.replace(month=first.month - 1))


def digest(bulletin: Bulletin, *, now: datetime | None = None) -> Digest:
    from clinics.models import Clinic
    from clinics.services import with_availability
    from clinics.themes import themes_summary

    now = now or timezone.now()
    items = list(bulletin.items.all())
    sections = [(label, [i for i in items if i.section == value]) for value, label in Section.choices]
    upcoming = [row for row in with_availability(Clinic.objects.upcoming(now).order_by("starts_at"), limit=12) if row.free]
    last_month = previous_month(bulletin.month)
    themes = themes_summary(month_start(last_month), month_start(bulletin.month))
    return Digest(
        bulletin=bulletin,
        sections=[(label, rows) for label, rows in sections if rows],
        clinics=upcoming[:6],
        themes=themes,
        themes_month=f"{last_month:%B %Y}",
    )


def _context(d: Digest, user, unsubscribe_url: str) -> dict:
    return {
        "bulletin": d.bulletin,
        "sections": d.sections,
        "clinics": [
            {"title": row.clinic.title, "free": row.free, **emails.when(row.clinic.starts_at, row.clinic.ends_at),
             **emails.place(row.clinic)}
            for row in d.clinics
        ],
        "themes": [(label, str(count)) for label, count in d.themes],
        "themes_month": d.themes_month,
        "user": user,
        "unsubscribe_url": unsubscribe_url,
        "archive_url": emails.link("notifications:archive"),
        "book_url": emails.link("clinics:request_new"),
    }


def unsubscribe_url(user) -> str:
    return emails.absolute(reverse("notifications:unsubscribe", args=[preferences.unsubscribe_token(user, "bulletin")]))


def draft_for(d: Digest, user) -> emails.Draft:
    url = unsubscribe_url(user)
    draft = emails.render("bulletin", user.email, _context(d, user, url), user=user)
    # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the URL.
    draft.headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return draft


# Stands in for each person's signed token in the one rendering (not a secret).
_TOKEN_MARK = "unsubscribe-token-mark"  # noqa: S105


def copy_maker(d: Digest) -> Callable[[User], emails.Draft]:
    """``draft_for`` for many people with one template rendering: every copy is the same digest,
    and only the unsubscribe link (its signed token) differs from person to person. The
    templates must not use anything else about the person; a test compares the copies with
    ``draft_for``."""
    marked_url = emails.absolute(reverse("notifications:unsubscribe", args=[_TOKEN_MARK]))
    template = emails.render("bulletin", "", _context(d, None, marked_url))

    def copy_for(user: User) -> emails.Draft:
        token = preferences.unsubscribe_token(user, "bulletin")
        url = marked_url.replace(_TOKEN_MARK, token)
        return dc_replace(
            template, to_email=user.email, user=user,
            body_text=template.body_text.replace(_TOKEN_MARK, token),
            body_html=template.body_html.replace(_TOKEN_MARK, escape(token)),
            headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )

    return copy_for


def preview_html(bulletin: Bulletin, user, *, now: datetime | None = None) -> str:
    """Exactly the HTML body a subscriber receives (with this user's unsubscribe link)."""
    return draft_for(digest(bulletin, now=now), user).body_html


def web_context(bulletin: Bulletin, *, now: datetime | None = None) -> dict:
    """The archive copy: the same content as the email, without anyone's personal links."""
    return _context(digest(bulletin, now=now), None, "")


# --- coordinator operations -----------------------------------------------------------------

def create_bulletin(*, title: str, month: date, introduction: str = "", by) -> Bulletin:
    return Bulletin.objects.create(title=title.strip(), month=month.replace(day=1), introduction=introduction.strip(),
                                   created_by=by)


def _editable(bulletin: Bulletin) -> Bulletin:
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if not locked.editable:
        raise BulletinError("This bulletin has been sent and can no longer be changed.")
    return locked


def save_item(item: BulletinItem) -> BulletinItem:
    with transaction.atomic():
        _editable(item.bulletin)
        if item.pk is None:
            last = item.bulletin.items.aggregate(m=Max("position"))["m"]
            item.position = (last or 0) + 1
        item.save()
    return item


def remove_item(item: BulletinItem) -> None:
    with transaction.atomic():
        _editable(item.bulletin)
        item.delete()


def schedule(bulletin: Bulletin, send_at: datetime, *, now: datetime | None = None) -> Bulletin:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _editable(bulletin)
        if not locked.items.exists():
            raise BulletinError("Add at least one item before you schedule the bulletin.")
        locked.status = Bulletin.Status.SCHEDULED
        locked.send_at = max(send_at, now)
        locked.save(update_fields=["status", "send_at", "updated_at"])
    return locked


def unschedule(bulletin: Bulletin) -> Bulletin:
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if locked.status != Bulletin.Status.SCHEDULED:
            raise BulletinError("Only a scheduled bulletin can be put back to draft.")
        locked.status = Bulletin.Status.DRAFT
        locked.save(update_fields=["status", "updated_at"])
    return locked


# --- sending --------------------------------------------------------------------------------

BATCH = 500  # copies claimed, rendered, stored and handed to the worker together


def _people():
    return User.objects.filter(is_active=True).select_related("notification_preference")


def subscribers():
    return [u for u in _people() if preferences.wants(u, "bulletin", preloaded=True)]


def send_bulletin(bulletin_id: int, *, now: datetime | None = None) -> int:
    """Queue one copy per subscriber. Returns how many this call queued."""
    now = now or timezone.now()
    # Start: SCHEDULED -> SENDING by conditional update. A second sender that loses this race
    # still helps with the deliveries below, which are claimed a batch at a time.
    Bulletin.objects.filter(pk=bulletin_id, status=Bulletin.Status.SCHEDULED, send_at__lte=now).update(
        status=Bulletin.Status.SENDING
    )
    bulletin = Bulletin.objects.get(pk=bulletin_id)
    if bulletin.status != Bulletin.Status.SENDING:
        return 0
    chunk: list[BulletinDelivery] = []
    for user in _people().iterator(chunk_size=2000):
        if preferences.wants(user, "bulletin", preloaded=True):
            chunk.append(BulletinDelivery(bulletin=bulletin, user=user))
        if len(chunk) >= 2000:
            BulletinDelivery.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    BulletinDelivery.objects.bulk_create(chunk, ignore_conflicts=True)
    copy_for = copy_maker(digest(bulletin, now=now))
    queued = 0
    while True:
        count, more = _queue_batch(bulletin, copy_for, now)
        queued += count
        if not more:
            break
    if not BulletinDelivery.objects.filter(bulletin=bulletin, status=BulletinDelivery.Status.PENDING).exists():
        Bulletin.objects.filter(pk=bulletin.pk, status=Bulletin.Status.SENDING).update(
            status=Bulletin.Status.SENT, sent_at=now
        )
    logger.info("bulletin %s: %d copies queued by this sender", bulletin.pk, queued)
    return queued


def _queue_batch(bulletin: Bulletin, copy_for: Callable[[User], emails.Draft], now: datetime) -> tuple[int, bool]:
    """Claim up to BATCH pending deliveries and write their messages, in one transaction.

    The claim locks the rows (another sender skips them rather than waits) and re-checks that
    they are still pending, so each person gets one copy however many senders run. Returns
    (copies queued, whether there may be more)."""
    with transaction.atomic():
        batch = list(
            BulletinDelivery.objects.filter(bulletin=bulletin, status=BulletinDelivery.Status.PENDING)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("user__notification_preference")
            .order_by("pk")[:BATCH]
        )
        wanted = [d for d in batch if preferences.wants(d.user, "bulletin", preloaded=True)]
        skipped = [d.pk for d in batch if d not in wanted]
        messages = outbox.store_batch([copy_for(d.user) for d in wanted], now=now)
        _mark_queued([(d.pk, m.pk) for d, m in zip(wanted, messages, strict=True)], now)
        BulletinDelivery.objects.filter(pk__in=skipped).update(status=BulletinDelivery.Status.SKIPPED, queued_at=now)
    return len(wanted), len(batch) == BATCH


def _mark_queued(pairs: list[tuple[int, int]], now: datetime) -> None:
    """QUEUED with its message, for many deliveries in one UPDATE (``bulk_update`` builds a
    CASE per row and field, which cost more than writing the messages)."""
    if not pairs:
        return
    table = BulletinDelivery._meta.db_table
    rows = ", ".join(["(%s, %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, queued_at = %s, message_id = v.column2 "  # noqa: S608 - model's table
            f"FROM (VALUES {rows}) AS v WHERE {table}.id = v.column1",
            [BulletinDelivery.Status.QUEUED, now, *(n for pair in pairs for n in pair)],
        )


def send_due_bulletins(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = Bulletin.objects.filter(status__in=[Bulletin.Status.SCHEDULED, Bulletin.Status.SENDING], send_at__lte=now)
    return sum(send_bulletin(pk, now=now) for pk in due.values_list("pk", flat=True))
