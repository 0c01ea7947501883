"""Print the current authenticator code of a demo account (development only), so a person
trying the demo, or a screenshot script, can sign in as a privileged role without a phone."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current two-factor code for a demo account (refused in production)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args: object, email: str, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_totp_code is refused when DJANGO_ENV=production")
        auth = Authenticator.objects.filter(user__email__iexact=email, type=Authenticator.Type.TOTP).first()
        if auth is None:
            raise CommandError(f"{email} has no authenticator app set up")
        secret = decrypt(auth.data["secret"])
        counters = list(yield_hotp_counters_from_time())
        counter = counters[len(counters) // 2]  # the current period, whatever the tolerance
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
