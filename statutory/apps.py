from django.apps import AppConfig


class StatutoryConfig(AppConfig):
    name = "statutory"
    verbose_name = "Statutory returns"
