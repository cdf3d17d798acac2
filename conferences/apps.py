from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "conferences"

    def ready(self):
        from conferences.questionnaires.services import emailed_link, renew_emailed_link
        from notifications.outbox import SecretLinks, register_secret_links

        # A questionnaire's emailed link is made as the email is sent, by the questionnaires
        # that own it; the outbox only knows where it goes.
        register_secret_links(SecretLinks(make=emailed_link, renew=renew_emailed_link))
