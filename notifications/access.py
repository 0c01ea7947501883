"""Object-level access: return the object or raise (404 / PermissionDenied)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accounts.models import Role
from notifications.models import Bulletin, BulletinItem


def get_bulletin_for(user, pk: int) -> Bulletin:
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied("Bulletins are managed by coordinators")
    return get_object_or_404(Bulletin, pk=pk)


def get_item_for(user, bulletin_pk: int, item_pk: int) -> BulletinItem:
    bulletin = get_bulletin_for(user, bulletin_pk)
    return get_object_or_404(BulletinItem, pk=item_pk, bulletin=bulletin)


def get_sent_bulletin(pk: int) -> Bulletin:
    """Any signed-in person may read a bulletin once it has gone out, and only then."""
    return get_object_or_404(Bulletin, pk=pk, status=Bulletin.Status.SENT)
