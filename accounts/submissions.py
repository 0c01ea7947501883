"""Creating forms that run once.

Every form that creates something carries a hidden ``submission_key``, a new UUID each time the
form is shown (``OnceFormMixin``). The view passes the key and the operation that creates to
``once``: the first send creates and records the key with what it made (``Submission``, key
unique); a second send of the same form, even at the same moment, waits on that unique key and
gets the first one's object back, so the view answers as it did the first time. Booking and
invitations have keys of their own on their rows (``ConsultationRequest.submission_key``,
``Invitation.submission_key``); this is for the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, models, transaction

from accounts.models import Submission

Made = TypeVar("Made", bound=models.Model)

ALREADY_SENT = "This was already sent, so nothing was added twice."


class OnceFormMixin(forms.Form):
    # A new key each time the form is shown; sending the same form twice creates once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


def _earlier(key: uuid.UUID, user) -> Submission | None:
    earlier = Submission.objects.select_related("content_type").filter(key=key).first()
    if earlier is not None and earlier.user_id != user.pk:
        raise SuspiciousOperation("A form key was sent by someone other than the person it was shown to.")
    return earlier


def once(key: uuid.UUID | None, user, create: Callable[[], Made]) -> tuple[Made, bool]:
    """``create()`` once per form key: returns what it made and True, or, for a form already
    sent, what the first send made and False. Without a key (an old page) it just creates."""
    if key is None:
        return create(), True
    earlier = _earlier(key, user)
    if earlier is None:
        try:
            with transaction.atomic():
                # The unique key is taken first: a twin sent at the same moment waits here
                # until this transaction ends, then fails and reads what this one made.
                submission = Submission.objects.create(key=key, user=user)
                made = create()
                submission.content_type = ContentType.objects.get_for_model(made)
                submission.object_id = made.pk
                submission.save(update_fields=["content_type", "object_id"])
                return made, True
        except IntegrityError:
            earlier = _earlier(key, user)
            if earlier is None:
                raise  # not the key: the operation's own constraint
    made = earlier.made()
    if made is None:  # sent before, and what it made has since been removed
        raise SuspiciousOperation("This form was already sent.")
    return made, False  # type: ignore[return-value]
