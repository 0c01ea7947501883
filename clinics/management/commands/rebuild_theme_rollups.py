"""Recompute the themes dashboard's monthly roll-ups from the live tables (docs/themes.md).

The dashboard keeps them current by itself (triggers mark changed months, the next read
rebuilds them); this is for after a bulk load, a restore, or to check nothing drifted.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from clinics import themes_rollup


class Command(BaseCommand):
    help = "Rebuild the themes roll-ups of every closed month (or, with --stale, only the changed ones)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--stale", action="store_true", help="only months never built or changed since")

    def handle(self, *args: object, stale: bool = False, **options: object) -> None:
        if not themes_rollup.enabled():
            raise CommandError("the themes roll-ups need PostgreSQL; on this database the dashboard reads the live tables")
        started = time.perf_counter()
        months = themes_rollup.rebuild_all(only_stale=stale)
        self.stdout.write(f"rebuilt {months} months in {time.perf_counter() - started:.1f} s")
