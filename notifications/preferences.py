"""Per-person choices and the signed one-click unsubscribe token."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from notifications.models import Preference

_SALT = "notifications.unsubscribe"
TOPICS = ("bulletin", "reminders")


def defaults() -> dict[str, bool]:
    return {"bulletin": getattr(settings, "BULLETIN_DEFAULT_SUBSCRIBED", True), "reminders": True}


def preference_for(user) -> Preference:
    """The saved choices, or an unsaved row holding the defaults."""
    try:
        return Preference.objects.get(user=user)
    except Preference.DoesNotExist:
        return Preference(user=user, **defaults())


def wants(user, topic: str, *, preloaded: bool = False) -> bool:
    """Whether ``user`` gets ``topic``. ``preloaded``: the caller fetched the choices with the
    person (``select_related("notification_preference")``, as the bulletin sender does for
    thousands of people), so they are read from there instead of queried again."""
    if not preloaded:
        return bool(getattr(preference_for(user), topic))
    try:
        return bool(getattr(user.notification_preference, topic))
    except Preference.DoesNotExist:
        return defaults()[topic]


def set_preferences(user, **choices: bool) -> Preference:
    unknown = set(choices) - set(TOPICS)
    if unknown:
        raise ValueError(f"unknown topics: {sorted(unknown)}")
    pref, _ = Preference.objects.get_or_create(user=user, defaults=defaults())
    for topic, value in choices.items():
        setattr(pref, topic, bool(value))
    pref.save()
    return pref


def unsubscribe_token(user, topic: str = "bulletin") -> str:
    # No expiry: an unsubscribe link in an old email must still work.
    return signing.dumps({"u": user.pk, "t": topic}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, topic) or raise signing.BadSignature."""
    data = signing.loads(token, salt=_SALT)
    if not isinstance(data, dict) or data.get("t") not in TOPICS or not isinstance(data.get("u"), int):
        raise signing.BadSignature("malformed unsubscribe token")
    return data["u"], data["t"]
