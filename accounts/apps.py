from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 - connects the security log receivers
        from config.database_roles import secure_after_migrate

        # After every migrate, so a table added since is guarded and granted too; it runs as
        # whoever migrates, which is the tables' owner (config/database_roles.py).
        post_migrate.connect(secure_after_migrate, sender=self, dispatch_uid="database-roles")
