from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from anonymity.detector import KINDS

# The flagged text is stored so the detector's word lists can be improved from
# real false alarms, but only the flagged span itself (never the surrounding
# note) and cut to this length: if a practice lead was wrong, what is kept is a
# word or two, and erase_flagged_text() removes even that under retention.
FLAGGED_TEXT_MAX = 60


class FalseAlarmQuerySet(models.QuerySet["FalseAlarm"]):
    def erase_flagged_text(self, before: datetime) -> int:
        """Blank the flagged text of rows older than ``before``; keep who, when and kind."""
        return self.filter(created_at__lt=before).exclude(flagged_text="").update(flagged_text="")


class FalseAlarm(models.Model):
    """A finding that a practice lead confirmed is not an identifying detail."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="anonymity_false_alarms"
    )
    kind = models.CharField(max_length=32, choices=[(k, k.replace("_", " ")) for k in KINDS])
    flagged_text = models.CharField(max_length=FLAGGED_TEXT_MAX, blank=True)
    field_name = models.CharField(max_length=64, blank=True)
    context_label = models.CharField(max_length=100, help_text="What was being written, e.g. 'outcome:42'.")

    objects = FalseAlarmQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} false alarm on {self.context_label}"
