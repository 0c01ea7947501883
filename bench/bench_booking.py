"""Booking and themes figures on a throwaway test database (SQLite, or PostgreSQL when
DATABASE_URL is set): latency of one booking, the 50-way race for the last slot, the themes
query count on an empty and a filled database, and the process's peak memory.

Targets: a booking p95 under 150 ms; the race ends with exactly one booked in under 10 s;
the themes summary uses a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_ENV", "test")
os.environ.setdefault("EMAIL_BACKEND", "locmem")

import django

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> int:
    setup_test_environment()
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    ok = True
    try:
        from clinics.themes import themes_summary
        from tests.factories import book, make_clinic, make_user

        lead = make_user("bench-lead@council.gov.uk", "Lead 1", roles=["practice_lead"])
        people = [make_user(f"bench{i}@council.gov.uk", f"Practitioner {i}") for i in range(260)]

        now = timezone.now()
        with CaptureQueriesContext(connection) as small:
            themes_summary(now - timedelta(days=365), now + timedelta(days=30))

        # 1. Sequential booking latency (12-slot clinics, so most calls book, some waitlist).
        timings = []
        clinic = make_clinic(capacity=12, facilitators=[lead])
        for i, person in enumerate(people[:200]):
            if i and i % 12 == 0:
                clinic = make_clinic(capacity=12, facilitators=[lead], starts_at=clinic.starts_at + timedelta(days=1))
            start = time.perf_counter()
            book(person, clinic)
            timings.append((time.perf_counter() - start) * 1000)
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"booking latency over {len(timings)} bookings ({connection.vendor}): p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 < 150 ms)")
        ok &= p95 < 150

        # 2. The race: 50 threads for the last slot (PostgreSQL only: SQLite serialises writers).
        if connection.vendor == "postgresql":
            race = make_clinic(capacity=1, facilitators=[lead], starts_at=clinic.starts_at + timedelta(days=3))
            racers = people[200:250]
            barrier = threading.Barrier(len(racers))
            outcomes: list[bool] = []

            def attempt(person):
                barrier.wait()
                outcomes.append(book(person, race).booked)
                connections.close_all()

            threads = [threading.Thread(target=attempt, args=(p,)) for p in racers]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
            print(f"race: {len(racers)} concurrent bookings for 1 slot: {outcomes.count(True)} booked, {outcomes.count(False)} waitlisted in {elapsed:.2f} s (target: exactly 1, < 10 s)")
            ok &= outcomes.count(True) == 1 and elapsed < 10
        else:
            print("race: skipped on SQLite (run with DATABASE_URL=postgres://... for the 50-way race)")

        # 3. Themes: query count must not grow with the data.
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as large:
            rows = themes_summary(now - timedelta(days=365), now + timedelta(days=30))
        elapsed = (time.perf_counter() - start) * 1000
        print(f"themes summary: {len(large)} queries ({len(small)} on an empty database), {elapsed:.1f} ms, {len(rows)} rows")
        # On an empty database the term lookup is skipped (Django answers pk__in=[] without a
        # query), so the fixed budget is the empty count plus that one query, whatever the data.
        ok &= len(large) <= len(small) + 1
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(db_name, verbosity=0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS) of this process: {peak_mb:.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
