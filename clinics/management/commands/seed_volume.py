"""Large, invented datasets for the benchmark (bench/run.py): PostgreSQL only, bench databases only.

- ``--consultations N``: N past consultation requests over the last ``--months`` months, in
  clinics of ten slots, with a realistic mix of statuses, forms of CSA, context factors, what
  was wanted, and feedback for most attended ones (the themes dashboard's data);
- ``--booked-slots N``: N booked consultations in past clinics plus a fixed set of clinics in
  the next seven days (the reminder sweep's data: what is due stays the same, the table grows);
- ``--subscribers N``: N active people who get the bulletin.

Rows are written with ``INSERT ... SELECT generate_series`` in batches (a progress bar on
stderr): 100,000 consultations take well under two minutes. Values are spread by a
multiplicative hash of the row number, so every run builds the same data. Role names only.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import AgencyType, User
from clinics.models import AgeBand, ContextFactor, FormOfAbuse, PathwayStage, PlanStatus, SupportNeed

BATCH = 10_000
UNUSABLE = make_password(None)  # nobody signs in as these people
SLOTS_PER_CLINIC = 10
DUE_CLINICS = 20  # clinics in the next seven days for the reminder figure, whatever the size
HASH = "mod(g::bigint * 2654435761, 1000003)"  # a fixed scatter of the row number


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\r{label:<24} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}{end}")
    sys.stderr.flush()


def _ids(model) -> list[int]:
    return list(model.objects.order_by("position", "pk").values_list("pk", flat=True))


class Command(BaseCommand):
    help = "Bench only: bulk-insert large invented datasets (PostgreSQL)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--consultations", type=int, default=0)
        parser.add_argument("--months", type=int, default=36)
        parser.add_argument("--booked-slots", type=int, default=0)
        parser.add_argument("--subscribers", type=int, default=0)
        parser.add_argument("--practitioners", type=int, default=200)

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("seed_volume needs PostgreSQL (DATABASE_URL)")
        if settings.PRODUCTION and not getattr(settings, "BENCH", False):
            raise CommandError("seed_volume is for bench databases (set BENCH=true)")
        now = timezone.now()
        people = self._practitioners(int(options["practitioners"]))
        if options["consultations"]:
            self._consultations(int(options["consultations"]), int(options["months"]), people, now)
        if options["booked_slots"]:
            self._booked(int(options["booked_slots"]), people, now)
        if options["subscribers"]:
            self._subscribers(int(options["subscribers"]))

    # --- people -------------------------------------------------------------------------------

    def _practitioners(self, count: int) -> list[int]:
        agencies = list(AgencyType.objects.order_by("pk"))
        existing = User.objects.filter(email__startswith="volume-practitioner").count()
        User.objects.bulk_create(
            User(email=f"volume-practitioner{i}@bench.example", password=UNUSABLE, full_name=f"Practitioner {i}",
                 agency_type=agencies[i % len(agencies)], organisation="Bench Council", team="Team",
                 job_title="Social worker")
            for i in range(existing, count)
        )
        return list(User.objects.filter(email__startswith="volume-practitioner").order_by("pk").values_list("pk", flat=True))

    def _subscribers(self, count: int) -> None:
        agency = AgencyType.objects.order_by("pk").first()
        for start in range(0, count, BATCH):
            User.objects.bulk_create(
                User(email=f"volume-subscriber{i}@bench.example", password=UNUSABLE, full_name=f"Subscriber {i}",
                     agency_type=agency, organisation="Bench Council")
                for i in range(start, min(start + BATCH, count))
            )
            progress("subscribers", min(start + BATCH, count), count)

    # --- clinics and requests ---------------------------------------------------------------------

    def _clinics(self, cursor, count: int, first: datetime, step: timedelta, title: str) -> tuple[int, int]:
        """``count`` scheduled clinics of ten slots, ``step`` apart from ``first``; (first id, last id)."""
        cursor.execute(
            f"""
            INSERT INTO clinics_clinic (original_date, starts_at, ends_at, status, status_reason, title, mode,
                online_link, venue, capacity, booking_opens_at, booking_closes_at, change_cutoff_at, created_at)
            SELECT (t AT TIME ZONE 'Europe/London')::date, t, t + interval '8 hours', 'scheduled', '', %s, 'online',
                'https://meet.example.org/bench', '', {SLOTS_PER_CLINIC}, t - interval '12 weeks', t - interval '1 day',
                t - interval '1 day', %s
            FROM (SELECT %s::timestamptz + (g - 1) * %s::interval AS t FROM generate_series(1, %s) g) AS s
            RETURNING id
            """,  # noqa: S608 - only constants of this module are formatted in
            [title, first, first, step, count],
        )
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"""
            INSERT INTO clinics_slot (position, starts_at, ends_at, clinic_id)
            SELECT p, c.starts_at + (p - 1) * interval '50 minutes', c.starts_at + (p - 1) * interval '50 minutes'
                + interval '45 minutes', c.id
            FROM clinics_clinic c, generate_series(1, {SLOTS_PER_CLINIC}) p WHERE c.id BETWEEN %s AND %s
            """,  # noqa: S608 - only constants of this module are formatted in
            [min(ids), max(ids)],
        )
        return min(ids), max(ids)

    def _requests(self, cursor, *, prefix: str, first_clinic: int, last_clinic: int, people: list[int], now: datetime,
                  status_sql: str, label: str) -> None:
        """One request per slot of the clinics in [first, last]; ``status_sql`` picks the status from h."""
        taxonomy = {
            "ages": _ids(AgeBand), "stages": _ids(PathwayStage), "plans": _ids(PlanStatus),
        }
        agency_of = dict(User.objects.filter(pk__in=people).values_list("pk", "agency_type_id"))
        total = (last_clinic - first_clinic + 1) * SLOTS_PER_CLINIC
        for start in range(first_clinic, last_clinic + 1, BATCH // SLOTS_PER_CLINIC):
            end = min(start + BATCH // SLOTS_PER_CLINIC - 1, last_clinic)
            cursor.execute(
                f"""
                WITH src AS (
                    SELECT s.id AS slot_id, s.clinic_id, c.starts_at, s.id AS g FROM clinics_slot s
                    JOIN clinics_clinic c ON c.id = s.clinic_id WHERE s.clinic_id BETWEEN %(a)s AND %(b)s
                ), hashed AS (
                    SELECT src.*, {HASH} AS h FROM src
                ), picked AS (
                    SELECT hashed.*, ({status_sql}) AS status FROM hashed
                )
                INSERT INTO clinics_consultationrequest (reference, status, waitlisted_at, confidence_before,
                    requester_organisation, requester_team, requester_job_title, question, support_other, triage,
                    decline_reason, calendar_sequence, created_at, updated_at, cancelled_at, age_band_id, clinic_id,
                    requester_id, requester_agency_type_id, pathway_stage_id, plan_status_id, slot_id)
                SELECT %(prefix)s || slot_id, status,
                    CASE WHEN status = 'waitlisted' THEN starts_at - interval '20 days' END,
                    1 + mod(h, 5), 'Bench Council', 'Team', 'Social worker',
                    'Child A told a teacher about an older cousin. How do we talk with Child A about what happens next?',
                    '', 'accepted', '', 0,
                    LEAST(starts_at - interval '1 day' * (3 + mod(h, 40)), %(now)s), %(now)s,
                    CASE WHEN status = 'cancelled' THEN starts_at - interval '2 days' END,
                    (%(ages)s::bigint[])[1 + mod(h, %(n_ages)s)],
                    CASE WHEN status = 'declined' THEN NULL ELSE clinic_id END,
                    (%(people)s::bigint[])[1 + mod(h / 7, %(n_people)s)],
                    (%(agencies)s::bigint[])[1 + mod(h / 7, %(n_people)s)],
                    (%(stages)s::bigint[])[1 + mod(h / 3, %(n_stages)s)],
                    (%(plans)s::bigint[])[1 + mod(h / 5, %(n_plans)s)],
                    CASE WHEN status IN ('booked', 'offered', 'attended', 'did_not_attend') THEN slot_id END
                FROM picked
                """,  # noqa: S608 - only constants of this module are formatted in
                {
                    "a": start, "b": end, "prefix": prefix, "now": now, "people": people, "n_people": len(people),
                    "agencies": [agency_of[p] for p in people],
                    **taxonomy, **{f"n_{k}": len(v) for k, v in taxonomy.items()},
                },
            )
            progress(label, min((end - first_clinic + 1) * SLOTS_PER_CLINIC, total), total)

    def _consultations(self, count: int, months: int, people: list[int], now: datetime) -> None:
        clinics = -(-count // SLOTS_PER_CLINIC)
        first = now - timedelta(days=months * 30.4)
        step = (now - timedelta(days=1) - first) / clinics
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM clinics_consultationrequest")
            after = cursor.fetchone()[0]
            a, b = self._clinics(cursor, clinics, first, step, "Bench clinic (history)")
            status = (
                "CASE WHEN mod(h, 100) < 62 THEN 'attended' WHEN mod(h, 100) < 70 THEN 'did_not_attend' "
                "WHEN mod(h, 100) < 82 THEN 'cancelled' WHEN mod(h, 100) < 88 THEN 'declined' "
                "WHEN mod(h, 100) < 92 THEN 'waitlisted' ELSE 'booked' END"
            )
            self._requests(cursor, prefix="V", first_clinic=a, last_clinic=b, people=people, now=now,
                           status_sql=status, label="consultations")
            self._answers(cursor, after)
        cursor_analyze()

    def _answers(self, cursor, after: int) -> None:
        """Forms of CSA (one or two), context factors (none to two), what was wanted (one or two),
        feedback for seven in ten attended."""
        mine = "SELECT id, mod(id * 2654435761, 1000003) AS h FROM clinics_consultationrequest WHERE id > %s"
        for table, column, ids, rules in (
            ("clinics_consultationrequest_forms", "formofabuse_id", _ids(FormOfAbuse),
             ["TRUE", "mod(h, 3) = 0"]),
            ("clinics_consultationrequest_context_factors", "contextfactor_id", _ids(ContextFactor),
             ["mod(h, 2) = 0", "mod(h, 5) = 0"]),
            ("clinics_consultationrequest_support_needs", "supportneed_id", _ids(SupportNeed),
             ["TRUE", "mod(h, 4) = 0"]),
        ):
            for salt, rule in enumerate(rules):
                cursor.execute(
                    f"""
                    INSERT INTO {table} (consultationrequest_id, {column})
                    SELECT id, (%s::bigint[])[1 + mod(h / {11 + salt * 13}, {len(ids)})] FROM ({mine}) r
                    WHERE {rule} ON CONFLICT DO NOTHING
                    """,  # noqa: S608 - only constants of this module are formatted in
                    [ids, after],
                )
            progress(table.removeprefix("clinics_consultationrequest_"), 1, 1)
        cursor.execute(
            """
            INSERT INTO clinics_feedback (confidence_after, comment, submitted_at, request_id)
            SELECT 1 + mod(h / 11, 5), '', r.created_at + interval '40 days', r.id
            FROM (SELECT id, created_at, mod(id * 2654435761, 1000003) AS h FROM clinics_consultationrequest
                  WHERE id > %s AND status = 'attended') r
            WHERE mod(h, 10) < 7
            """,
            [after],
        )
        progress("feedback", 1, 1)

    def _booked(self, count: int, people: list[int], now: datetime) -> None:
        """``count`` booked consultations in the past (the table the sweep must not scan) and a
        fixed set starting in the next seven days (what the sweep must find)."""
        past_clinics = max(-(-count // SLOTS_PER_CLINIC) - DUE_CLINICS, 0)
        with transaction.atomic(), connection.cursor() as cursor:
            if past_clinics:
                first = now - timedelta(days=5 * 365)
                a, b = self._clinics(cursor, past_clinics, first, (now - timedelta(days=2) - first) / past_clinics,
                                     "Bench clinic (booked, past)")
                self._requests(cursor, prefix="P", first_clinic=a, last_clinic=b, people=people, now=now,
                               status_sql="'booked'", label="booked slots (past)")
            a, b = self._clinics(cursor, DUE_CLINICS, now + timedelta(hours=2), timedelta(hours=7 * 24 / DUE_CLINICS),
                                 "Bench clinic (booked, next week)")
            self._requests(cursor, prefix="N", first_clinic=a, last_clinic=b, people=people, now=now - timedelta(days=30),
                           status_sql="'booked'", label="booked slots (next week)")
        cursor_analyze()


def cursor_analyze() -> None:
    """Fresh planner statistics, as autovacuum would give a real database after a while."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
