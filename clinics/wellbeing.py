"""A practice lead's private wellbeing check-in after a reflective session.

Readable by its author alone: every read goes through ``my_check_in`` (the author is the signed-in
person, never a parameter taken from a URL), there is no admin page, no change history, no
export, and no anonymity false-alarm record (which would keep flagged words where others can
read them). The text is still anonymity-checked before saving and erased by retention.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clinics.models import ReflectiveSession, WellbeingCheckIn
from clinics.refusal import Refused


def my_check_in(user, session: ReflectiveSession) -> WellbeingCheckIn | None:
    """``user``'s own check-in for ``session``, or None: nobody else's is ever returned."""
    return WellbeingCheckIn.objects.written_by(user).filter(session=session).first()


def write_check_in(session: ReflectiveSession, *, by, text: str, now: datetime | None = None) -> WellbeingCheckIn:
    """Save (or replace) ``by``'s own check-in; an empty text removes it."""
    now = now or timezone.now()
    if session.is_cancelled:
        raise Refused("This session was cancelled.")
    if now < session.starts_at:
        raise Refused("You can write your check-in once the session has started.")
    with transaction.atomic():
        entry = WellbeingCheckIn.objects.written_by(by).select_for_update().filter(session=session).first()
        if entry is not None and entry.text_erased_at is not None:
            raise Refused("Your check-in for this session was erased under the retention policy.")
        if not text.strip():
            if entry is not None:
                entry.delete()
            return WellbeingCheckIn(session=session, author=by)
        entry = entry or WellbeingCheckIn(session=session, author=by)
        entry.text = text.strip()
        entry.save()
        return entry
