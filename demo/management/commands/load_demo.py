"""Load the demo users and records (demo mode only) and print the logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.accounts import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo
from demo.carry_forward import close_history_plans
from demo.conferences import load_case_demo
from demo.history import load_history


class Command(BaseCommand):
    help = "Load invented demo users (one per role) and records. Refuses outside demo mode."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("load_demo runs only in demo mode (CONVENE_DEMO=true).")
        people = load_demo()
        load_case_demo()
        self.stdout.write("Loading four years of history (2011-12 to 2014-15)…")
        load_history()
        close_history_plans()
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for person in people:
            roles = ", ".join(role.label for role in person.roles)
            self.stdout.write(f"  {person.email:<32} {roles}")
        self.stdout.write(
            f"Authenticator app secret for all: {DEMO_TOTP_SECRET}\n"
            "  (or print the current 6-digit code: .venv/bin/python manage.py demo_code)"
        )
