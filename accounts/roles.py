"""Operations on people's roles and invitations (called by views, commands and tests)."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from accounts.models import Invitation, Role, RoleChange, RoleGrant, User
from config.history import changed_by


class RoleError(Exception):
    """A role change that cannot be made; the message is shown to the coordinator."""


def grant_role(user: User, role: str, *, by: User | None) -> RoleGrant:
    if role not in Role.values:
        raise RoleError(f"{role!r} is not a role")
    with transaction.atomic():
        try:
            with transaction.atomic():
                grant = RoleGrant(user=user, role=role, granted_by=by)
                changed_by(grant, by, f"granted the {Role(role).label.lower()} role")
                grant.save(force_insert=True)
        except IntegrityError:
            raise RoleError(f"{user} is already a {Role(role).label.lower()}") from None
        RoleChange.objects.create(user=user, role=role, action=RoleChange.Action.GRANTED, changed_by=by)
    user.__dict__.pop("roles", None)
    return grant


def remove_role(user: User, role: str, *, by: User | None) -> None:
    with transaction.atomic():
        if role == Role.COORDINATOR:
            # Never leave the service without anyone who can manage it.
            others = RoleGrant.objects.select_for_update().filter(role=Role.COORDINATOR).exclude(user=user)
            if not others.filter(user__is_active=True).exists():
                raise RoleError("You cannot remove the last coordinator")
        grant = RoleGrant.objects.filter(user=user, role=role).first()
        if grant is None:
            raise RoleError(f"{user} is not a {Role(role).label.lower()}")
        changed_by(grant, by, f"removed the {Role(role).label.lower()} role")
        grant.delete()
        RoleChange.objects.create(user=user, role=role, action=RoleChange.Action.REMOVED, changed_by=by)
    user.__dict__.pop("roles", None)


def invite(email: str, roles: list[str], *, by: User, submission_key: uuid.UUID | None = None) -> Invitation:
    """Invite someone. The same ``submission_key`` twice (a form sent twice, even at the same
    moment) returns the first invitation: the key is unique, so one row and one email."""
    from notifications.api import Event, notify

    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise RoleError(f"Unknown role: {', '.join(bad)}")
    sent = _invitation_sent(by, submission_key)
    if sent is not None:
        return sent
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email.strip().lower(), roles=sorted(set(roles)), invited_by=by, submission_key=submission_key
            )
            notify(Event.INVITATION, invitation_id=invitation.pk)
    except IntegrityError:
        sent = _invitation_sent(by, submission_key)
        if sent is None:
            raise
        return sent
    return invitation


def _invitation_sent(by: User, submission_key: uuid.UUID | None) -> Invitation | None:
    if submission_key is None:
        return None
    return Invitation.objects.filter(invited_by=by, submission_key=submission_key).first()


def accept_invitations(user: User) -> list[Invitation]:
    """Grant the roles of every usable invitation for this user's email (at signup)."""
    accepted = []
    with transaction.atomic():
        for invitation in Invitation.objects.select_for_update().filter(email__iexact=user.email, accepted_at=None):
            if not invitation.is_usable():
                continue
            for role in invitation.roles:
                if not RoleGrant.objects.filter(user=user, role=role).exists():
                    grant_role(user, role, by=invitation.invited_by)
            from django.utils import timezone

            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_at"])
            accepted.append(invitation)
    return accepted
