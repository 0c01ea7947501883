from __future__ import annotations

from django.apps import AppConfig


class AnonymityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "anonymity"
    verbose_name = "Anonymity guard"
