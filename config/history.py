"""Who made a change: the extra column every historical table carries, and the helper
operations call before they save (see ``clinics/history.py`` for what is tracked and read)."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Model
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from anonymity.freetext import free_text_fields

# What a history row's reason is made of: "<action>: <reason>". Retention keeps the action and
# erases the reason (clinics/retention.py), so no action may contain the separator.
REASON_SEPARATOR = ": "


class TrackedHistory(HistoricalRecords):
    """The change history of a model, which never copies its declared free text
    (``anonymity.freetext``): the declaration decides, so a field declared tomorrow stays out
    of the history with no change here. ``excluded_fields`` adds fields that are not case text
    but have no place in a history either."""

    def finalize(self, sender, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.cls is sender:
            self.excluded_fields = [*self.excluded_fields, *free_text_fields(sender)]
        super().finalize(sender, **kwargs)


def tracked_models() -> list[type[Model]]:
    """Every model that keeps a change history (a ``TrackedHistory``)."""
    return [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]


class RoleAtTheTime(models.Model):
    """The role the person acted in when the change was made, kept as it was then."""

    history_role = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        abstract = True


_ROLE_ORDER = ("coordinator", "practice_lead", "manager")


def changed_by(instance: Model, by, action: str = "", reason: str = "") -> None:
    """Say who makes the next ``save()`` of ``instance``, what they did (a verb phrase such as
    "cancelled the clinic") and why, when a reason was given; shown on the history."""
    assert REASON_SEPARATOR not in action, action  # the reason must stay separable (retention)
    instance._history_user = by
    text = f"{action}{REASON_SEPARATOR}{reason.strip()}" if action and reason.strip() else action
    instance._change_reason = text[:300]


def acting_role(user, instance: Model) -> str:
    """The role ``user`` acted in: requester of their own request, else their highest role."""
    if user is None:
        return ""
    if getattr(instance, "requester_id", None) == user.pk:
        return "requester"
    from accounts.models import Role

    # The roles as this request's user object holds them (read once per request; grant_role and
    # remove_role clear the copy), stored on the row so a later change does not rewrite the past.
    roles = set(user.roles)
    for role in _ROLE_ORDER:
        if role in roles:
            return Role(role).label.lower()
    return "practitioner"  # everyone is a practitioner; the other roles are granted on top


@receiver(pre_create_historical_record)
def _stamp_role(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    if hasattr(history_instance, "history_role"):
        history_instance.history_role = acting_role(history_user, instance)
