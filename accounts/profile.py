"""Changing a person's own details (name, agency, organisation, team, job title).

The request form asks a practitioner for these in passing (pre-filled from what we have) and
saves them here; the profile page saves its own ModelForm. A request keeps its own copy of the agency details (``requester_*``), so changing them
later does not rewrite history.
"""

from __future__ import annotations

from accounts.models import User

PROFILE_FIELDS = ("full_name", "agency_type", "organisation", "team", "job_title")


def update_profile(user: User, details: dict[str, object]) -> list[str]:
    """Save the given details on ``user`` (who is the one changing them); return the names of
    the fields that changed, so nothing is written when nothing changed."""
    changed = []
    for name in PROFILE_FIELDS:
        if name in details and getattr(user, name) != details[name]:
            setattr(user, name, details[name])
            changed.append(name)
    if changed:
        user.save(update_fields=changed)
    return changed
