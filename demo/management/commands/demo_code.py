"""Print the current authenticator code for the demo accounts (demo mode only)."""

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current 6-digit code for the demo accounts' authenticator app."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("demo_code runs only in demo mode (CONVENE_DEMO=true).")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
