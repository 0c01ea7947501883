"""First coordinator on a real deployment: `python manage.py create_coordinator EMAIL --name NAME`.

Creates the person (or finds them), marks the email verified and grants the coordinator
role. No password is set here: they choose one with "Forgotten your password?" and set up
their authenticator app at first sign-in (required for the role).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, RoleGrant, User
from accounts.roles import grant_role


class Command(BaseCommand):
    help = "Create (or promote) a coordinator who can then invite everyone else from the service."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Their name as shown in the service")

    def handle(self, *args: object, email: str, name: str, **options: object) -> None:
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid email address") from None
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(email, None, full_name=name)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if not RoleGrant.objects.filter(user=user, role=Role.COORDINATOR).exists():
                grant_role(user, Role.COORDINATOR, by=None)
        reset = settings.SITE_URL + reverse("account_reset_password")
        self.stdout.write(
            f"{email} is a coordinator. They set a password at {reset} and then set up an authenticator app when they first sign in."
        )
