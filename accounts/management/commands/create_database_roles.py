"""Make the database's owner and application roles (run once, as a PostgreSQL superuser)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.database_roles import create_database_roles


class Command(BaseCommand):
    help = (
        "Connected as a superuser: make the owner role (migrate connects as it) and the "
        "application role (the web server, worker and beat connect as it), give the owner this "
        "database and everything in it, and grant the application role its rows. Passwords "
        "come from DATABASE_OWNER_PASSWORD and DATABASE_APP_PASSWORD, never the command line. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", default="convene_owner", help="the owner role's name")
        parser.add_argument(
            "--app", default=settings.DATABASE_APP_ROLE, help="the application role's name"
        )

    def handle(self, *args, owner, app, **options):
        try:
            create_database_roles(
                owner=owner,
                app=app,
                owner_password=os.environ.get("DATABASE_OWNER_PASSWORD") or None,
                app_password=os.environ.get("DATABASE_APP_PASSWORD") or None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"The database belongs to {owner}; the application connects as {app}.")
