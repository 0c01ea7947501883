"""Where the confirm step's time goes: cProfile over the real view (through the test client and
the whole middleware stack) on the database DATABASE_URL names, N confirms, top functions
by cumulative time. Used for docs/benchmarks.md; not part of `make bench`.

    DATABASE_URL=postgres://.../some_bench_db .venv/bin/python bench/profile_confirm.py [N]
    PROFILE_SQL=1 ...      # instead: the queries of one confirm, in order, with their times
    PROFILE_OUT=file ...   # also keep the profile (pstats) for a closer look
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ENV", "test")
os.environ.setdefault("EMAIL_BACKEND", "locmem")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    import clients
    from run import draft, practitioners

    from clinics.views.practitioner import DRAFT_KEY
    from tests.factories import make_clinic

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=20)
    clinics = [make_clinic(starts_at=start + timedelta(days=i, minutes=7), capacity=15) for i in range(24)]
    person = practitioners(1, f"profile-{time.time_ns()}-")[0]
    keys = [clients.signed_in_session(person, {DRAFT_KEY: draft(clinics[i % len(clinics)], person)}) for i in range(n + 3)]
    client = Client()

    def confirm(key: str) -> None:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        response = client.post("/clinics/request/check/")
        assert response.status_code == 302 and "/requests/" in response["Location"], response.status_code

    for key in keys[:3]:
        confirm(key)  # warm-up: word lists, templates, connections
    if os.environ.get("PROFILE_SQL"):  # the queries of one confirm, in order
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            confirm(keys[3])
        for query in queries.captured_queries:
            print(f"{float(query['time']) * 1000:6.1f} ms  {query['sql'][:240]}")
        print(f"{len(queries.captured_queries)} queries")
        return
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for key in keys[3:]:
        confirm(key)
    profile.disable()
    print(f"{(time.perf_counter() - started) * 1000 / n:.1f} ms per confirm (wall, profiled)")
    stats = pstats.Stats(profile)
    if os.environ.get("PROFILE_OUT"):
        stats.dump_stats(os.environ["PROFILE_OUT"])
    stats.sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
