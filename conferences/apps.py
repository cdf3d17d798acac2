from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ConferencesConfig(AppConfig):
    name = "conferences"

    def ready(self):
        from conferences.questionnaires.services import emailed_link, renew_emailed_link
        from notifications.outbox import SecretLinks, register_secret_links
        from rules.categories import install_plan_category_spans
        from rules.meetings import install_meeting_types

        # A questionnaire's emailed link is made as the email is sent, by the questionnaires
        # that own it; the outbox only knows where it goes.
        register_secret_links(SecretLinks(make=emailed_link, renew=renew_emailed_link))
        # After every migrate, so the triggers that keep each plan's category spans follow the
        # rule's SQL as it is now, on the tables as they are now (rules/categories.py).
        post_migrate.connect(
            install_plan_category_spans, sender=self, dispatch_uid="plan-category-spans"
        )
        # And the triggers that keep each conference's meeting type (rules/meetings.py).
        post_migrate.connect(install_meeting_types, sender=self, dispatch_uid="meeting-types")
