from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from reporting.freshness import install_triggers

        # After the reporting app's migrations, so the change log exists; every run, so a
        # table added since gets its trigger too.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="reporting-triggers")
