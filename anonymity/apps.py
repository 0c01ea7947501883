from __future__ import annotations

from django.apps import AppConfig


class AnonymityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "anonymity"
    verbose_name = "Anonymity guard"

    def ready(self) -> None:
        # Load the word lists and the spelling model once per process, at start-up
        # (web, worker and command processes alike), so the first request that
        # scans a text does not pay for it. From the compact form this is a few
        # tens of milliseconds (anonymity/detector/lexicon.py). scan_identifiers
        # skips Django's set-up (manage.py) and loads them on its first scan.
        from anonymity.detector import load

        load()
