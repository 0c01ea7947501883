"""`make bench`: the real stack (gunicorn with production settings, PostgreSQL, Redis, a Celery
worker), driven over HTTP and measured; figures written to bench/results.json; one line per
missed target and a non-zero exit. Then every bench/bench_*.py script in its own process.

    .venv/bin/python bench/run.py               # everything
    .venv/bin/python bench/run.py --stack-only  # just the real-stack figures (results.json)

See docs/benchmarks.md for how each figure is taken. Targets live here, never in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import stack  # noqa: E402 - bench/stack.py, next to this file

CLIENTS = 20  # concurrent clients for the floor and the confirm step
CONFIRMS_PER_CLIENT = 15
FLOOR_SECONDS = 10.0
RACE_CLIENTS, RACE_SLOTS = 200, 10
OPEN_CLINICS, SLOTS_PER_OPEN_CLINIC = 24, 15
DASHBOARD_RUNS = 20
SUBSCRIBERS = 10_000
QUESTION = (
    "Child A is nine and lives with Mum, Mum's partner and two younger siblings. Last week Child A told the class "
    "teacher that an older cousin had touched her when the family visited at the weekend. The school made a referral "
    "and a strategy discussion is planned. Mum believes Child A and wants to keep her safe, but the wider family are "
    "angry and say she is making it up. Child A has become withdrawn at school, is wetting the bed again and does not "
    "want to go to family events. We want advice on how to talk with Child A about what happens next without leading "
    "her, how to support Mum when the family are against her, and which direct-work tools suit a child of this age."
)


def say(text: str) -> None:
    print(text, flush=True)


# --- the confirm step against the floor ----------------------------------------------------------

def practitioners(count: int, prefix: str) -> list:
    from django.contrib.auth.hashers import make_password

    from accounts.models import AgencyType, User

    agency = AgencyType.objects.get(slug="childrens-social-care")
    User.objects.bulk_create(
        User(email=f"{prefix}{i}@bench.example", password=make_password(None), full_name=f"Practitioner {i}", agency_type=agency,
             organisation="Bench Council", team="Team", job_title="Social worker")
        for i in range(count)
    )
    return list(User.objects.filter(email__startswith=prefix).order_by("pk"))


def draft(clinic, person) -> dict[str, list[str]]:
    """What the request form leaves in the session for "Confirm and book": the answers, the
    person's own details (a returning practitioner's, so nothing changes) and a fresh
    submission key, as the real form page does."""
    import uuid

    from clinics.models import AgeBand, FormOfAbuse, PathwayStage, PlanStatus, SupportNeed
    from clinics.views.practitioner import SUBMISSION_KEY

    def pk(model, slug: str) -> str:
        return str(model.objects.get(slug=slug).pk)

    return {
        "clinic": [str(clinic.pk)], "forms": [pk(FormOfAbuse, "intra-familial")],
        "pathway_stage": [pk(PathwayStage, "responding-to-disclosure")], "age_band": [pk(AgeBand, "5-10")],
        "plan_status": [pk(PlanStatus, "child-in-need")], "support_needs": [pk(SupportNeed, "direct-work-tools")],
        "question": [QUESTION], "confidence_before": ["2"], "support_other": [""],
        "full_name": [person.full_name], "agency_type": [str(person.agency_type_id)],
        "organisation": [person.organisation], "team": [person.team], "job_title": [person.job_title],
        SUBMISSION_KEY: [str(uuid.uuid4())],
    }


def confirm(port: int, session_key: str):
    import clients

    return clients.post(port, "/clinics/request/check/", {"csrfmiddlewaretoken": clients.CSRF_SECRET},
                        clients.cookies_for(session_key))


def booked(reply) -> bool:
    return reply.status == 302 and reply.location.startswith("/clinics/requests/")


def floor_and_booking(procs: stack.Processes, results: dict) -> None:
    import clients
    from django.utils import timezone

    from clinics.models import Clinic, ConsultationRequest
    from clinics.views.practitioner import DRAFT_KEY
    from tests.factories import make_clinic

    port = procs.port

    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=14)
    clinics = [make_clinic(starts_at=start + timedelta(days=i), capacity=SLOTS_PER_OPEN_CLINIC) for i in range(OPEN_CLINICS)]
    people = practitioners(CLIENTS, "bench-booker")
    warm = [clients.signed_in_session(p, {DRAFT_KEY: draft(clinics[i % OPEN_CLINICS], p)}) for i, p in enumerate(people)]
    jobs = [
        [clients.signed_in_session(p, {DRAFT_KEY: draft(clinics[(i * CONFIRMS_PER_CLIENT + j) % OPEN_CLINICS], p)})
         for j in range(CONFIRMS_PER_CLIENT)]
        for i, p in enumerate(people)
    ]
    # Warm-up: every gunicorn worker has served both views before the clock starts.
    clients.concurrently([[None]] * CLIENTS, lambda _: clients.post(port, "/bench/floor", {}, {}), until=2.0)
    clients.concurrently([[key] for key in warm], lambda key: confirm(port, key))

    web = procs.web_pids()
    cpu = stack.cpu_seconds(web)
    floor = clients.concurrently([[None]] * CLIENTS, lambda _: clients.post(port, "/bench/floor", {}, {}), until=FLOOR_SECONDS)
    floor_cpu, cpu = stack.cpu_seconds(web) - cpu, stack.cpu_seconds(web)
    bad_floor = sum(r.status != 200 for r in floor.replies)
    run = clients.concurrently(jobs, lambda key: confirm(port, key))
    confirm_cpu = stack.cpu_seconds(web) - cpu
    results["floor.web_cpu_ms"] = round(floor_cpu * 1000 / max(len(floor.replies), 1), 2)
    results["booking.web_cpu_ms"] = round(confirm_cpu * 1000 / max(len(run.replies), 1), 2)
    failed = [r for r in run.replies if not booked(r)]
    results["floor.rps"] = round(floor.rps, 1)
    results["floor.p95_ms"] = round(floor.p(95), 1)
    results["booking.rps"] = round(run.rps, 2)
    results["booking.p50_ms"] = round(run.p(50), 1)
    results["booking.p95_ms"] = round(run.p(95), 1)
    results["booking.ratio_to_floor"] = round(run.rps / floor.rps, 3) if floor.rps else 0.0
    results["booking.failed"] = len(failed) + bad_floor
    held = ConsultationRequest.objects.filter(clinic__in=clinics, status__in=ConsultationRequest.HOLDS_SLOT).count()
    say(f"floor {floor.rps:.1f}/s ({len(floor.replies)} inserts, {results['floor.web_cpu_ms']} ms web CPU each); "
        f"confirm {run.rps:.2f}/s, p50 {run.p(50):.0f} ms, p95 {run.p(95):.0f} ms ({len(run.replies)} confirms, "
        f"{results['booking.web_cpu_ms']} ms web CPU each, {len(failed)} not booked, {held} held)")

    # The race: 200 clients at once for the last 10 free slots of one clinic.
    target = make_clinic(starts_at=start + timedelta(days=OPEN_CLINICS + 1), capacity=RACE_SLOTS)
    racers = practitioners(RACE_CLIENTS, "bench-racer")
    keys = [[clients.signed_in_session(p, {DRAFT_KEY: draft(target, p)})] for p in racers]
    race = clients.concurrently(keys, lambda key: confirm(port, key))
    target = Clinic.objects.get(pk=target.pk)
    holders = ConsultationRequest.objects.filter(clinic=target, status__in=ConsultationRequest.HOLDS_SLOT)
    waiting = ConsultationRequest.objects.filter(clinic=target, status=ConsultationRequest.Status.WAITLISTED).count()
    distinct_slots = holders.values("slot").distinct().count()
    results["booking.overbooked"] = max(holders.count() - target.capacity, 0) + (holders.count() - distinct_slots)
    results["booking.race_booked"] = holders.count()
    results["booking.race_waitlisted"] = waiting
    results["booking.race_seconds"] = round(race.seconds, 2)
    say(f"race: {RACE_CLIENTS} clients for {RACE_SLOTS} slots: {holders.count()} booked, {waiting} waiting, "
        f"{sum(r.status >= 400 for r in race.replies)} errors, {race.seconds:.1f} s")


# --- themes ------------------------------------------------------------------------------------

def dashboard(label: str, results: dict) -> None:
    """Every table of the default (last 12 months) dashboard and its CSV rows, in this process
    on the bench database; then the same with the queries this replaced (the test suite's
    reference copy), interleaved so that both see the same machine load."""
    from dateutil.relativedelta import relativedelta
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from clinics import themes_rollup
    from clinics.models import ConsultationRequest
    from clinics.themes import Dashboard, ThemesFilter
    from tests.clinics.themes_reference import ReferenceDashboard

    def once(kind) -> float:
        started = time.perf_counter()
        for table in kind(ThemesFilter.default()).tables():
            table.csv_rows()
        return (time.perf_counter() - started) * 1000

    # The seed's inserts marked every month changed; rebuild them all first (as the nightly
    # task would) and time that, so the timings below are the steady state.
    started = time.perf_counter()
    themes_rollup.rebuild_all()
    results[f"dashboard.rebuild_all_s_{label}"] = round(time.perf_counter() - started, 2)
    # The first read after one request of a closed month changed (its trigger marks the month).
    stale = []
    for months_ago in (2, 5, 8):
        month = themes_rollup.closed_month() - relativedelta(months=months_ago)
        start = themes_rollup.month_start(month)
        ConsultationRequest.objects.filter(
            pk=ConsultationRequest.objects.filter(created_at__gte=start).order_by("created_at").values("pk")[:1]
        ).update(updated_at=timezone.now())
        stale.append(once(Dashboard))
    results[f"dashboard.stale_month_read_ms_{label}"] = round(statistics.median(stale), 1)
    with CaptureQueriesContext(connection) as queries:
        once(Dashboard)
    once(Dashboard), once(ReferenceDashboard)  # warm PostgreSQL's caches for both
    times, before = [], []
    for i in range(DASHBOARD_RUNS):
        times.append(once(Dashboard))
        if i % 4 == 0:
            before.append(once(ReferenceDashboard))
    p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
    # The seed's current month holds few requests (it builds past clinics), so the default view
    # above counts almost nothing live. A busy current month costs what a whole month counted
    # live costs: time 12 months whose two ends are half-months (read live), about one month's
    # requests in all, as the dashboard costs on the last day of a busy month.
    closed = themes_rollup.closed_month()
    halves = ThemesFilter(start=closed - relativedelta(months=12, days=-14), end=closed - relativedelta(months=1, days=-14))
    live = [once(lambda _f: Dashboard(halves)) for _ in range(max(DASHBOARD_RUNS // 2, 5))]
    results[f"dashboard.p95_ms_{label}_month_live"] = round(statistics.quantiles(live, n=20, method="inclusive")[18], 1)
    results[f"dashboard.p50_ms_{label}"] = round(statistics.median(times), 1)
    results[f"dashboard.p95_ms_{label}"] = round(p95, 1)
    results[f"dashboard.before_p50_ms_{label}"] = round(statistics.median(before), 1)
    results["dashboard.queries"] = len(queries.captured_queries)
    say(f"dashboard at {label}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, {len(queries)} queries; "
        f"the previous queries: p50 {statistics.median(before):.0f} ms; rebuilding every month "
        f"{results[f'dashboard.rebuild_all_s_{label}']} s; first read after a month changed "
        f"{results[f'dashboard.stale_month_read_ms_{label}']} ms; a month counted live: p95 "
        f"{results[f'dashboard.p95_ms_{label}_month_live']} ms")


# --- the bulletin --------------------------------------------------------------------------------

def digest(procs: stack.Processes, results: dict) -> None:
    from django.utils import timezone

    from notifications.models import Bulletin, BulletinDelivery, BulletinItem, Message
    from notifications.tasks import send_due_bulletins

    stack.manage(procs.env, "seed_volume", "--subscribers", str(SUBSCRIBERS))
    today = timezone.localdate()
    bulletin = Bulletin.objects.create(title="Bench bulletin", month=today.replace(day=1), introduction="Hello.")
    for i in range(8):
        BulletinItem.objects.create(bulletin=bulletin, section=BulletinItem.Section.choices[i % 5][0], position=i + 1,
                                    title=f"Item {i + 1}", body="New guidance on working with parents and carers.")
    Bulletin.objects.filter(pk=bulletin.pk).update(status=Bulletin.Status.SCHEDULED, send_at=timezone.now())
    Message.objects.filter(status=Message.Status.PENDING).update(status=Message.Status.SENT)  # earlier phases' mail
    cpu = stack.cpu_seconds(procs.worker_pids())
    started = time.perf_counter()
    send_due_bulletins.delay()  # what beat does every five minutes
    peak, copies, sent, queued_at = 0.0, 0, 0, None
    deadline = started + 600
    while time.perf_counter() < deadline:
        time.sleep(0.5)
        peak = max(peak, stack.rss_mb(procs.worker_pids()))
        copies = BulletinDelivery.objects.filter(bulletin=bulletin).count()
        sent = Message.objects.filter(kind="bulletin", status=Message.Status.SENT).count()
        pending = BulletinDelivery.objects.filter(bulletin=bulletin, status=BulletinDelivery.Status.PENDING).exists()
        if copies and not pending and queued_at is None:
            queued_at = time.perf_counter() - started
        if copies and sent >= copies and not pending:
            break
    seconds = time.perf_counter() - started
    worker_cpu = stack.cpu_seconds(procs.worker_pids()) - cpu
    results["digest.seconds_10k"] = round(seconds, 1)
    results["digest.queued_seconds_10k"] = round(queued_at or seconds, 1)
    results["digest.worker_cpu_seconds_10k"] = round(worker_cpu, 1)
    results["digest.copies"] = sent
    results["digest.worker_peak_rss_mb"] = round(peak, 0)
    say(f"bulletin: {sent} of {copies} copies handed to the email backend in {seconds:.1f} s, all queued after "
        f"{queued_at or seconds:.1f} s; worker CPU {worker_cpu:.1f} s; worker peak RSS {peak:.0f} MB")


# --- reminders -----------------------------------------------------------------------------------

def reminder_sweep(label: str, results: dict) -> None:
    from notifications.reminders import send_due_reminders

    started = time.perf_counter()
    first = send_due_reminders()
    first_ms = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(5):
        started = time.perf_counter()
        send_due_reminders()
        times.append((time.perf_counter() - started) * 1000)
    results[f"reminders.first_sweep_ms_{label}"] = round(first_ms, 1)
    results[f"reminders.sweep_ms_{label}"] = round(statistics.median(times), 1)
    say(f"reminders at {label} booked: first sweep {first_ms:.0f} ms ({first} queued), then {statistics.median(times):.0f} ms")


# --- anonymity -----------------------------------------------------------------------------------

def anonymity(results: dict) -> None:
    from bench_anonymity import measure  # the detector's own bench: one definition of each figure

    figures = measure()
    for key in ("ms_per_400_words", "ms_worst_input", "load_s", "scan_identifiers_start_s", "scan_identifiers_start_cpu_s"):
        results[f"anonymity.{key}"] = round(float(figures[key]), 2)
    say(f"anonymity: {figures}")


# --- targets -------------------------------------------------------------------------------------

REQUIRED = (
    "booking.overbooked", "booking.rps", "booking.p95_ms", "floor.rps", "dashboard.p95_ms_10k",
    "dashboard.p95_ms_100k", "dashboard.queries", "digest.seconds_10k", "reminders.sweep_ms_10k",
    "reminders.sweep_ms_1m", "anonymity.ms_per_400_words", "anonymity.ms_worst_input",
)


def missed_targets(r: dict, phases: set[str]) -> list[str]:
    """One line per missed target, for the phases that ran."""
    missed = []
    if phases >= PHASES:
        missed += [f"{key} was not measured" for key in REQUIRED if key not in r]
    if "booking" in phases:
        if r.get("booking.overbooked") != 0:
            missed.append(f"booking.overbooked is {r.get('booking.overbooked')}, must be 0")
        if r.get("booking.race_booked") != RACE_SLOTS or r.get("booking.race_waitlisted") != RACE_CLIENTS - RACE_SLOTS:
            # A race that books nobody cannot overbook: every slot taken, everyone else waiting.
            missed.append(f"booking race booked {r.get('booking.race_booked')} and waitlisted "
                          f"{r.get('booking.race_waitlisted')}; expected {RACE_SLOTS} and {RACE_CLIENTS - RACE_SLOTS}")
        if r.get("booking.failed") != 0:
            missed.append(f"booking.failed is {r.get('booking.failed')}: some confirms or floor requests did not succeed")
        if r["booking.rps"] < 0.25 * r["floor.rps"]:
            missed.append(f"booking.rps {r['booking.rps']} is under a quarter of floor.rps {r['floor.rps']} "
                          f"(ratio {r['booking.ratio_to_floor']})")
    if "themes" in phases:
        p10, p100 = r["dashboard.p95_ms_10k"], r["dashboard.p95_ms_100k"]
        if p100 >= 250:
            missed.append(f"dashboard.p95_ms_100k {p100} ms is not under 250 ms")
        if p100 >= 2 * p10:
            missed.append(f"dashboard.p95_ms_100k {p100} ms is not under twice the 10k figure ({p10} ms)")
    if "digest" in phases and r["digest.seconds_10k"] > 60:
        missed.append(f"digest.seconds_10k {r['digest.seconds_10k']} s is over 60 s")
    if "anonymity" in phases and r["anonymity.ms_per_400_words"] >= 50:
        missed.append(f"anonymity.ms_per_400_words {r['anonymity.ms_per_400_words']} ms is not under 50 ms")
    if "anonymity" in phases and r["anonymity.scan_identifiers_start_s"] >= 0.5:
        missed.append(f"anonymity.scan_identifiers_start_s {r['anonymity.scan_identifiers_start_s']} s is not under 0.5 s")
    return missed


def machine() -> dict:
    load = os.getloadavg()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "load_1_5_15": [round(x, 2) for x in load],
    }


PHASES = {"booking", "themes", "digest", "reminders", "anonymity"}


def stack_bench(results: dict, phases: set[str]) -> list[str]:
    env = stack.bench_env()
    say(f"bench database {env['DATABASE_URL'].rsplit('/', 1)[-1]}, redis {env['REDIS_URL']}, load {os.getloadavg()}")
    stack.create_database(env)
    stack.flush_redis(env)
    os.environ.update(env)
    import django

    django.setup()
    results.update(machine=machine())
    try:
        with stack.Processes(env, web_workers=int(os.environ.get("BENCH_WEB_WORKERS", "4")),
                             celery_concurrency=int(os.environ.get("BENCH_CELERY_CONCURRENCY", "2"))) as procs:
            say(f"gunicorn on {procs.base}, Celery worker up")
            if "booking" in phases:
                floor_and_booking(procs, results)
            if "themes" in phases:
                for label, count in (("10k", 10_000), ("100k", 90_000)):
                    stack.manage(env, "seed_volume", "--consultations", str(count))
                    dashboard(label, results)
            if "digest" in phases:
                digest(procs, results)
        if "reminders" in phases:
            for label, count in (("10k", 10_000), ("1m", 990_000)):
                stack.manage(env, "seed_volume", "--booked-slots", str(count))
                reminder_sweep(label, results)
        if "anonymity" in phases:
            anonymity(results)
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP_DATABASE") != "1":
            stack.drop_database(env)
    results["machine"]["load_1_5_15_after"] = [round(x, 2) for x in os.getloadavg()]
    return missed_targets(results, phases)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stack-only", action="store_true", help="only the real-stack figures")
    parser.add_argument("--only", action="append", choices=sorted(PHASES), help="run only this phase (repeatable)")
    args = parser.parse_args()
    started = time.perf_counter()
    caller_env = dict(os.environ)  # the scripts below get the caller's settings, not the stack's
    results: dict = {}
    missed = stack_bench(results, set(args.only or PHASES))
    results["seconds"] = round(time.perf_counter() - started, 1)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    say(f"bench/results.json written ({results['seconds']:.0f} s)")
    if not args.stack_only and not args.only:
        for script in sorted(HERE.glob("bench_*.py")):
            say(f"\n=== {script.stem} ===")
            if subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=caller_env, check=False).returncode != 0:
                missed.append(f"{script.stem} missed a target (see its output above)")
    for line in missed:
        print(f"Target missed: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
