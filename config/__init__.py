"""Project configuration: settings, URLs, Celery and WSGI entry points."""

from .celery import app as celery_app

__all__ = ["celery_app"]
