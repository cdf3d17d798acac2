from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "advocacy"
