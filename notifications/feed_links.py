"""Each person's secret calendar-subscription link, and the operations on it.

The link is ``/calendar/<key><secret>.ics``: ``key`` (16 hex characters, random) finds the row,
``secret`` (64 hex characters) proves the caller was given the link. Calendar apps fetch the
feed anonymously, so the secret is the only thing standing between a stranger and someone's
diary; it is treated like a password-reset token:

- only its SHA-256 is stored, and a presented secret is compared with ``hmac.compare_digest``;
- it is derived as an HMAC of the key under ``SECRET_KEY``, so the owner's page can show the
  link again without us storing it, a copy of the database alone cannot rebuild any link, and
  rotating ``SECRET_KEY`` retires every link at once;
- a reset draws a new key, so the old link answers 404 from then on.

SHA-256 (not a slow password hash) is enough because the secret has 256 bits of entropy: there
is nothing to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

KEY_LENGTH = 16
SECRET_LENGTH = 64
# Anything else (wrong length, upper case, NUL or other bytes) is refused before the database
# sees it, so a mangled link is a 404 and never a 500.
_TOKEN = re.compile(rf"[0-9a-f]{{{KEY_LENGTH + SECRET_LENGTH}}}")
_SALT = "notifications.calendar-feed"


class CalendarFeedLink(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_link")
    key = models.CharField(max_length=KEY_LENGTH, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    reset_at = models.DateTimeField(null=True, blank=True)
    reset_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        app_label = "notifications"

    def __str__(self) -> str:
        return f"Calendar link of user {self.user_id}"

    @property
    def token(self) -> str:
        return self.key + _secret(self.user_id, self.key)

    @property
    def https_url(self) -> str:
        return settings.SITE_URL + reverse("calendar:feed", args=[self.token])

    @property
    def webcal_url(self) -> str:
        """The same address under the scheme that calendar apps open as "subscribe"."""
        return "webcal://" + self.https_url.split("://", 1)[1]


def _secret(user_id: int, key: str) -> str:
    return salted_hmac(_SALT, f"{user_id}:{key}", algorithm="sha256").hexdigest()


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _fresh(user) -> dict[str, object]:
    key = secrets.token_hex(KEY_LENGTH // 2)
    return {"key": key, "secret_hash": _hash(_secret(user.pk, key))}


def link_for(user, *, now: datetime | None = None) -> CalendarFeedLink:
    """The person's link, made the first time they ask for it."""
    now = now or timezone.now()
    existing = CalendarFeedLink.objects.filter(user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarFeedLink.objects.create(user=user, created_at=now, **_fresh(user))
    except IntegrityError:  # made at the same moment by another request: the constraint kept one
        return CalendarFeedLink.objects.get(user=user)


def reset_link(user, *, replacing: str, by, now: datetime | None = None) -> CalendarFeedLink:
    """Retire the link whose key is ``replacing`` and issue a new one.

    Idempotent: a second submission of the same form (double click, resent POST) names a key
    that is already gone and changes nothing, so the link the first submission issued stays
    valid and is the one shown.
    """
    now = now or timezone.now()
    link = link_for(user, now=now)
    fresh = _fresh(user)
    CalendarFeedLink.objects.filter(pk=link.pk, key=replacing).update(**fresh, reset_at=now, reset_by=by)
    link.refresh_from_db()
    return link


def find(token: str) -> CalendarFeedLink | None:
    """The link a presented token belongs to, or None (wrong shape, unknown key, wrong secret,
    or the person can no longer sign in)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    key, secret = token[:KEY_LENGTH], token[KEY_LENGTH:]
    link = CalendarFeedLink.objects.select_related("user").filter(key=key).first()
    if link is None or not hmac.compare_digest(link.secret_hash, _hash(secret)):
        return None
    if not link.user.is_active:
        return None
    return link
