"""Operations on people's roles and invitations (called by views, commands and tests)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import Invitation, Role, RoleChange, RoleGrant, User


class RoleError(Exception):
    """A role change that cannot be made; the message is shown to the coordinator."""


def grant_role(user: User, role: str, *, by: User | None) -> RoleGrant:
    if role not in Role.values:
        raise RoleError(f"{role!r} is not a role")
    with transaction.atomic():
        try:
            with transaction.atomic():
                grant = RoleGrant.objects.create(user=user, role=role, granted_by=by)
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
        deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
        if not deleted:
            raise RoleError(f"{user} is not a {Role(role).label.lower()}")
        RoleChange.objects.create(user=user, role=role, action=RoleChange.Action.REMOVED, changed_by=by)
    user.__dict__.pop("roles", None)


def invite(email: str, roles: list[str], *, by: User) -> Invitation:
    from notifications.api import Event, notify

    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise RoleError(f"Unknown role: {', '.join(bad)}")
    with transaction.atomic():
        invitation = Invitation.objects.create(email=email.strip().lower(), roles=sorted(set(roles)), invited_by=by)
        notify(Event.INVITATION, invitation_id=invitation.pk)
    return invitation


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
