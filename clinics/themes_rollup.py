"""Monthly roll-ups of the themes dashboard's counts, so that a 12-month dashboard reads about
12 months x terms rows instead of every request made in the year (docs/themes.md).

What is rolled up (``ThemeCount``): for each month the requests were made (basis ``made``,
London), requester's agency type and clinic series, how many counted requests have each answer
in each breakdown (``FAMILIES``), the month's total, and the sum behind the paired confidence
means; and for each month of the clinics (basis ``held``), how many of their requests are in
each status (clinic use). Everything the dashboard shows from these is a sum, so the
small-number rule is applied after summing, in clinics/themes.py, to the totals the reader sees,
exactly as on the live tables.

How it is kept current: PostgreSQL triggers (migration 0012) append a mark (``ThemeChange``)
for every month whose requests, answers or feedback any statement changes, from whatever code:
booking, decline, cancel, outcomes, held wording, admin, retention, seeds, raw SQL. Before
reading, the dashboard rebuilds the months it needs that are marked or were never built
(``ensure_fresh``), each from the live tables in its own short transaction. The current month,
future months and the part-months at the ends of a custom period are always read live.
A nightly task (``rebuild_all``, also ``manage.py rebuild_theme_rollups``) recomputes every
built month anyway, so even a change the triggers could not see (a TRUNCATE, triggers dropped by
hand) is corrected within a day.

Only on PostgreSQL; on SQLite (development) ``enabled()`` is false and the dashboard reads the
live tables.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from clinics.models import Clinic, ConsultationRequest, Feedback
from clinics.models.themes_rollup import Basis
from clinics.recurrence import LONDON

COUNTED_STATUSES = (
    ConsultationRequest.Status.BOOKED,
    ConsultationRequest.Status.WAITLISTED,
    ConsultationRequest.Status.OFFERED,
    ConsultationRequest.Status.ATTENDED,
    ConsultationRequest.Status.DID_NOT_ATTEND,
    ConsultationRequest.Status.DECLINED,
)

# Breakdowns of the request's own columns: family -> column of the rows CTE below.
OWN = {"stages": "stage", "ages": "age", "plans": "plan", "agencies": "agency", "before": "before"}
# Breakdowns through a many-to-many answer: family -> ConsultationRequest field.
LINKS = {"forms": "forms", "context": "context_factors", "wanted": "support_needs"}
FAMILIES = (*OWN, *LINKS, "after", "total", "paired_before")
MONTH_NUMBER = ("(EXTRACT(YEAR FROM r.created_at AT TIME ZONE %s) * 100"
                " + EXTRACT(MONTH FROM r.created_at AT TIME ZONE %s))::int")


def requests_between(start: datetime, end: datetime) -> QuerySet[ConsultationRequest]:
    """The requests every themes figure counts: made in [start, end), in a counted status."""
    return ConsultationRequest.objects.filter(created_at__gte=start, created_at__lt=end, status__in=COUNTED_STATUSES)


def enabled() -> bool:
    return connection.vendor == "postgresql"


def month_start(month: date) -> datetime:
    return datetime.combine(month.replace(day=1), datetime.min.time(), tzinfo=LONDON)


def grouped_sql(requests: QuerySet[ConsultationRequest]) -> tuple[str, list]:
    """One query giving (agency type, series, family, value, n) for every breakdown of
    ``requests``: the rows are a CTE read once, each family a GROUP BY over it; the link tables
    and feedback are looked up per row through their request index (LATERAL), because a month's
    rows are a few thousand against every request's answers in the table (OFFSET 0 keeps the
    planner from flattening it back into a hash join of the whole link table). ``total``'s
    value is the month as yyyymm (the trend); ``paired_before`` sums confidence before over the
    requests with feedback."""
    rows = requests.order_by().values(
        "pk", "requester_agency_type_id", "clinic__series_id", "pathway_stage_id", "age_band_id", "plan_status_id",
        "confidence_before", "created_at")
    base_sql, base_params = rows.query.sql_with_params()
    keys = "r.agency, r.series"
    parts = [f"SELECT {keys}, '{family}', r.{column}, COUNT(*) FROM r GROUP BY {keys}, r.{column}"  # noqa: S608 - our names
             for family, column in OWN.items()]
    parts.append(f"SELECT {keys}, 'total', {MONTH_NUMBER}, COUNT(*) FROM r GROUP BY {keys}, 4")  # noqa: S608 - our names
    for family, field_name in LINKS.items():
        through = ConsultationRequest._meta.get_field(field_name).remote_field.through
        request_column = through._meta.get_field("consultationrequest").column
        term_column = next(f.column for f in through._meta.concrete_fields if f.is_relation and f.column != request_column)
        parts.append(f"SELECT {keys}, '{family}', t.term, COUNT(*) FROM r JOIN LATERAL (SELECT {term_column} AS term "  # noqa: S608 - our names
                     f"FROM {through._meta.db_table} WHERE {request_column} = r.id OFFSET 0) t ON true GROUP BY {keys}, t.term")
    feedback = (f"FROM r JOIN LATERAL (SELECT confidence_after FROM {Feedback._meta.db_table} "  # noqa: S608 - our names
                "WHERE request_id = r.id OFFSET 0) f ON true")
    parts.append(f"SELECT {keys}, 'after', f.confidence_after, COUNT(*) {feedback} GROUP BY {keys}, f.confidence_after")
    # With ``after`` (one feedback per request) this gives the paired means: count and sum after
    # are the sums of that distribution; the sum before needs the same join once more.
    parts.append(f"SELECT {keys}, 'paired_before', NULL::int, SUM(r.before) {feedback} GROUP BY {keys}")
    sql = (f"WITH r (id, agency, series, stage, age, plan, before, created_at) AS ({base_sql}) "
           + " UNION ALL ".join(parts))
    return sql, [*base_params, str(LONDON), str(LONDON)]


def _add(counted: dict[str, dict], rows) -> None:
    for family, value, n in rows:
        bucket = counted[family]
        bucket[value] = bucket.get(value, 0) + int(n)


# --- what each basis counts ---------------------------------------------------------------------


def held_between(start: datetime, end: datetime) -> QuerySet[ConsultationRequest]:
    """The requests clinic use counts: those for the scheduled clinics held in [start, end)."""
    return ConsultationRequest.objects.filter(
        clinic__starts_at__gte=start, clinic__starts_at__lt=end, clinic__status=Clinic.Status.SCHEDULED)


def _month_sql(basis: str, month: date) -> tuple[str, list]:
    """(agency type, series, family, value, n) of one month, for the rebuild to insert."""
    start = month_start(month)
    end = start + relativedelta(months=1)
    if basis == Basis.MADE:
        return grouped_sql(requests_between(start, end))
    by_status = (held_between(start, end).order_by().values("requester_agency_type_id", "clinic__series_id", "status")
                 .annotate(n=Count("pk")))
    sql, params = by_status.query.sql_with_params()
    return f"SELECT g.a, g.s, g.status, NULL::int, g.n FROM ({sql}) AS g (a, s, status, n)", list(params)  # noqa: S608 - our SQL


# --- keeping the roll-ups current ---------------------------------------------------------------


def stale_months(basis: str, months: list[date]) -> list[date]:
    """Those of ``months`` never built or marked changed since they were built (one query)."""
    if not months:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT m FROM unnest(%s::date[]) AS m WHERE NOT EXISTS (SELECT 1 FROM clinics_thememonth b"
            " WHERE b.basis = %s AND b.month = m) OR EXISTS (SELECT 1 FROM clinics_themechange c"
            " WHERE c.basis = %s AND c.month = m) ORDER BY m", [months, basis, basis])
        return [row[0] for row in cursor.fetchall()]


def rebuild_month(basis: str, month: date, *, force: bool = False) -> bool:
    """Recompute one month's roll-up from the live tables; False when another process had just
    done it. Rebuilders of a month queue on its ThemeMonth row; operations never lock it (their
    triggers only append marks), so this cannot hold up a booking. The marks deleted here were
    committed before this statement, so the rows counted after it include their changes; a
    change committed meanwhile leaves its mark for the next rebuild."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO clinics_thememonth (basis, month, built_at) VALUES (%s, %s, %s)"
                       " ON CONFLICT (basis, month) DO NOTHING RETURNING id", [basis, month, timezone.now()])
        new = cursor.fetchone() is not None
        cursor.execute("SELECT id FROM clinics_thememonth WHERE basis = %s AND month = %s FOR UPDATE", [basis, month])
        cursor.execute("DELETE FROM clinics_themechange WHERE basis = %s AND month = %s", [basis, month])
        if not (new or force or cursor.rowcount):
            return False
        cursor.execute("DELETE FROM clinics_themecount WHERE basis = %s AND month = %s", [basis, month])
        sql, params = _month_sql(basis, month)
        cursor.execute("INSERT INTO clinics_themecount (basis, month, agency_type_id, series_id, family, value, n) "  # noqa: S608 - our SQL
                       f"SELECT %s, %s, g.* FROM ({sql}) AS g", [basis, month, *params])
        cursor.execute("UPDATE clinics_thememonth SET built_at = %s WHERE basis = %s AND month = %s",
                       [timezone.now(), basis, month])
    return True


def ensure_fresh(basis: str, months: list[date]) -> int:
    """Rebuild those of ``months`` that are stale, oldest first; how many were rebuilt."""
    return sum(rebuild_month(basis, month) for month in stale_months(basis, months))


def closed_month(now: datetime | None = None) -> date:
    """The first month that is still open (read live): the current month, London."""
    return timezone.localtime(now or timezone.now(), LONDON).date().replace(day=1)


def rebuild_all(*, only_stale: bool = False) -> int:
    """Every month with requests before the current one, on both bases (or only the stale
    ones): the nightly task and ``manage.py rebuild_theme_rollups``. How many were rebuilt."""
    zone = str(LONDON)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT 'made', date_trunc('month', created_at AT TIME ZONE %s)::date FROM clinics_consultationrequest"
            " UNION SELECT 'held', date_trunc('month', c.starts_at AT TIME ZONE %s)::date FROM clinics_clinic c"
            " WHERE EXISTS (SELECT 1 FROM clinics_consultationrequest r WHERE r.clinic_id = c.id)"
            " UNION SELECT basis, month FROM clinics_thememonth UNION SELECT basis, month FROM clinics_themechange",
            [zone, zone])
        months = sorted(row for row in cursor.fetchall() if row[1] < closed_month())
    if only_stale:
        return sum(ensure_fresh(basis, [m for b, m in months if b == basis]) for basis in Basis.values)
    return sum(rebuild_month(basis, month, force=True) for basis, month in months)


# --- reading ----------------------------------------------------------------------------------


def split(start_at: datetime, end_at: datetime, now: datetime | None = None) -> tuple[list[date], list[tuple[datetime, datetime]]]:
    """The whole closed months inside [start_at, end_at), read from the roll-ups, and the
    ranges left over (part-months at the ends, the current month, the future), read live."""
    open_from = month_start(closed_month(now))
    local = timezone.localtime(start_at, LONDON)
    first = local.date().replace(day=1)
    if month_start(first) < start_at:
        first += relativedelta(months=1)
    months, cursor = [], first
    while month_start(cursor + relativedelta(months=1)) <= min(end_at, open_from):
        months.append(cursor)
        cursor += relativedelta(months=1)
    if not months:
        return [], [(start_at, end_at)] if start_at < end_at else []
    ranges = [(start_at, month_start(months[0])), (month_start(months[-1] + relativedelta(months=1)), end_at)]
    return months, [(a, b) for a, b in ranges if a < b]


def _summed(basis: str, months: list[date], agency_type_id: int | None, series_id: int | None, by_month: bool):
    ensure_fresh(basis, months)
    where, params = ["basis = %s", "month = ANY(%s)"], [basis, months]
    for column, value in (("agency_type_id", agency_type_id), ("series_id", series_id)):
        if value is not None:
            where.append(f"{column} = %s")
            params.append(value)
    group = "month, family" if by_month else "family, value"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {group}, SUM(n) FROM clinics_themecount WHERE {' AND '.join(where)} GROUP BY {group}", params)  # noqa: S608 - our SQL
        return cursor.fetchall()


def _in_ranges(column: str, ranges: list[tuple[datetime, datetime]]) -> Q:
    return functools.reduce(operator.or_, (Q(**{f"{column}__gte": a, f"{column}__lt": b}) for a, b in ranges))


def counts(start_at: datetime, end_at: datetime, requests_in: Callable[[datetime, datetime], QuerySet],
           agency_type_id: int | None = None, series_id: int | None = None) -> dict[str, dict]:
    """{family: {value: count}} for the filtered requests made in [start_at, end_at): sums of
    the roll-ups for whole closed months plus the live count of the rest. ``requests_in``
    gives the dashboard's own filtered requests for a range, so the live part and the month
    rebuilds count exactly what the live dashboard counts. Three queries when nothing is stale."""
    counted: dict[str, dict] = {family: {} for family in FAMILIES}
    months, live = split(start_at, end_at)
    if months:
        _add(counted, _summed(Basis.MADE, months, agency_type_id, series_id, by_month=False))
    if live:
        sql, params = grouped_sql(requests_in(live[0][0], live[-1][1]).filter(_in_ranges("created_at", live)))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT family, value, SUM(n) FROM ({sql}) AS g (agency, series, family, value, n) GROUP BY family, value", params)  # noqa: S608 - our SQL
            _add(counted, cursor.fetchall())
    return counted


def clinic_use(start_at: datetime, end_at: datetime, agency_type_id: int | None = None,
               series_id: int | None = None) -> dict[date, dict[str, int]]:
    """{month of the clinic: {status: requests}} for the scheduled clinics held in
    [start_at, end_at), filtered like the dashboard; roll-ups for closed months, the rest live."""
    used: dict[date, dict[str, int]] = {}
    months, live = split(start_at, end_at)
    rows = list(_summed(Basis.HELD, months, agency_type_id, series_id, by_month=True)) if months else []
    if live:
        requests = held_between(live[0][0], live[-1][1]).filter(_in_ranges("clinic__starts_at", live))
        if agency_type_id is not None:
            requests = requests.filter(requester_agency_type_id=agency_type_id)
        if series_id is not None:
            requests = requests.filter(clinic__series_id=series_id)
        rows += requests.order_by().annotate(month=TruncMonth("clinic__starts_at", tzinfo=LONDON)).values_list(
            "month", "status").annotate(n=Count("pk"))
    for month, status, n in rows:
        month = timezone.localtime(month, LONDON).date() if isinstance(month, datetime) else month
        by_status = used.setdefault(month, {})
        by_status[status] = by_status.get(status, 0) + int(n)
    return used
