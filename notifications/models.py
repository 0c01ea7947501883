"""Outbox, reminders, preferences and bulletins.

Every email is a :class:`Message` row before it is anything else: written in the transaction
that caused it, rendered in full at that moment (so a later change cannot alter what an earlier
event said), then claimed with a conditional update and sent. Rows hold no case text.

The one exception is the practice leads' notice of a new request (``outbox.WRITTEN_AT_DELIVERY``):
its row, holding the event and the request's id, is written in the booking's transaction like
every other, but the worker works out who hears and renders their copies when it delivers it,
so the booking does not do that work while it holds the clinic lock; the notice shows the
request as it is then, usually a moment after booking. Once written out a copy is stored, so a
retry sends the same bytes.
"""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_message_id() -> str:
    """A Message-ID header for a new outbox row, under the service's own domain.

    Made once, when the row is written, and sent with every attempt: if a worker dies after
    the SMTP server took the mail but before the row was marked sent, the sweep sends it again
    and mail systems can drop the copy with the same Message-ID (RFC 5322 3.6.4).
    """
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return make_msgid("msg", domain=domain)


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    kind = models.CharField(max_length=40)
    to_email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    request = models.ForeignKey(
        "clinics.ConsultationRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField("Message-ID", max_length=250, unique=True, default=new_message_id, editable=False)
    # The calendar part, when there is one. Kept as columns so the next invite for the same
    # UID can see what the recipient's calendar already holds.
    ics = models.TextField(blank=True)
    calendar_uid = models.CharField(max_length=120, blank=True, db_index=True)
    calendar_method = models.CharField(max_length=10, blank=True)
    calendar_sequence = models.PositiveIntegerField(null=True, blank=True)
    # Set on a row still to be written out at delivery (outbox.WRITTEN_AT_DELIVERY): the event
    # and its ids. Empty once the worker has rendered it.
    event = models.CharField(max_length=40, blank=True)
    event_ids = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class Reminder(models.Model):
    """Proof that one reminder was sent: unique per booking, offset and the start time it was
    computed for. Inserting this row is the claim; a second sender hits the constraint. A moved
    clinic has a new start, so it gets fresh reminders."""

    request = models.ForeignKey(
        "clinics.ConsultationRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    attendance = models.ForeignKey(
        "clinics.ReflectiveAttendance", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    offset_hours = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "offset_hours", "starts_at"],
                condition=Q(request__isnull=False),
                name="one_reminder_per_request_offset_start",
            ),
            models.UniqueConstraint(
                fields=["attendance", "offset_hours", "starts_at"],
                condition=Q(attendance__isnull=False),
                name="one_reminder_per_attendance_offset_start",
            ),
            models.CheckConstraint(
                condition=Q(request__isnull=False) ^ Q(attendance__isnull=False), name="reminder_has_one_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offset_hours}h reminder for {self.starts_at:%Y-%m-%d %H:%M}"


class Preference(models.Model):
    """What a person chooses to receive. No row means the defaults. Booking confirmations,
    changes and cancellations are always sent: they are the booking itself."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    bulletin = models.BooleanField("monthly bulletin", default=True)
    reminders = models.BooleanField("reminders before clinics and sessions", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Preferences of {self.user}"


class Bulletin(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    title = models.CharField(max_length=150)
    month = models.DateField(help_text="The first day of the month the bulletin is for.")
    introduction = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-month", "-created_at")
        indexes = [models.Index(fields=["status", "send_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class BulletinItem(models.Model):
    class Section(models.TextChoices):
        BEST_PRACTICE = "best_practice", "Best practice"
        GUIDANCE = "guidance", "New guidance and tools"
        MEDICAL = "medical", "Medical assessment information"
        RESEARCH = "research", "Research"
        STAFF_SUPPORT = "staff_support", "Support for staff"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=20, choices=Section.choices)
    title = models.CharField(max_length=150)
    body = models.TextField()
    link = models.URLField("link (optional)", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title


class BulletinDelivery(models.Model):
    """One subscriber's copy of one bulletin. The unique constraint plus the conditional update
    from PENDING is what makes "at most once" hold with two senders running."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        QUEUED = "queued", "Queued"
        SKIPPED = "skipped", "Skipped (unsubscribed)"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bulletin", "user"], name="one_delivery_per_bulletin_user")]

    def __str__(self) -> str:
        return f"{self.bulletin} to user {self.user_id} ({self.status})"


# The calendar-subscription link lives beside the code that issues and checks it.
from notifications.feed_links import CalendarFeedLink  # noqa: E402, F401
