"""Wording checks: a request sent although the anonymity guard flagged its wording.

The guard can be wrong ("Sarah's Law" is a law, not a person). A practitioner may then send
the request anyway with a short reason; the request is *held* until a practice lead of its
clinic confirms the wording or asks for it to be reworded. While held, its free text is shown
only to its author and those practice leads; the agenda, emails, exports, the bulletin and the
themes never use it. Holding changes nothing about the booking: the request keeps its slot or
its place on the waiting list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from anonymity.freetext import FreeTextCharField
from clinics.models.requests import ConsultationRequest


class WordingCheck(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", "Waiting for a practice lead"
        REWORD = "reword", "Sent back to be reworded"
        CONFIRMED = "confirmed", "Confirmed: not identifying"
        REWORDED = "reworded", "Reworded by the practitioner"

    OPEN = (State.WAITING, State.REWORD)

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="wording_checks")
    reason = FreeTextCharField("why the flagged words are safe", max_length=200)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # How many findings the lead confirmed (the FalseAlarm rows hold which ones).
    confirmed_findings = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("-sent_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(state__in=["waiting", "reword"]), name="one_open_wording_check_per_request"
            )
        ]

    def __str__(self) -> str:
        return f"Wording check of {self.request} ({self.get_state_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN
