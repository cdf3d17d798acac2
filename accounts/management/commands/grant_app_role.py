"""Bring the application role's privileges into line with the tables (run as their owner)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.audit import install_truncate_guards
from config.database_roles import grant_app_role


class Command(BaseCommand):
    help = (
        "Connected as the tables' owner: guard every append-only table against TRUNCATE and "
        "grant the application role (DATABASE_APP_ROLE) its rows and nothing more. migrate does "
        "this after every run; this command is for a database restored from a dump."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", default=settings.DATABASE_APP_ROLE)

    def handle(self, *args, role, **options):
        install_truncate_guards()
        try:
            granted = grant_app_role(role=role)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not granted:
            raise CommandError(f"There is no role {role} other than the one connected.")
        self.stdout.write(f"{role} may read and write rows, and nothing more.")
