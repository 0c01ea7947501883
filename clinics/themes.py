"""Aggregates of the structured context of requests, for managers and the bulletin.

Only counts leave this module, never free text. Any count below the disclosure threshold
(settings.DISCLOSURE_THRESHOLD, default 5) is shown as "fewer than N", never exactly, and
zero is shown as 0 only because it discloses nothing about a child.

Differencing. Hiding a small cell is not enough when the reader can work it out: if a table's
rows add up to a total shown elsewhere (every request has exactly one pathway stage, age band,
plan status, agency type, month and confidence score), "total minus the other rows" gives the
hidden cell back. For those *partition* tables we add complementary suppression: when a single
cell is hidden, or the hidden cells together are small enough (or large enough) to pin each one
down, the smallest other non-zero cell is withheld too and shown as "not shown" (not as "fewer
than 5", which would be untrue). Tables where one request can count in several rows (forms of
CSA, context factors, what practitioners wanted) do not add up to anything shown, so primary
suppression is enough there. The same values go into the CSV files.

What this does not stop: comparing two different filter settings (say, all agencies against
all-but-one, or two overlapping date ranges). Managers are few, named, signed in with two
factors, and see no free text; we accept that residual risk rather than make every filter
answer depend on every other one. Raising DISCLOSURE_THRESHOLD reduces it further.

Query budget and passes: the dashboard reads the filtered requests once for every
breakdown of the request itself and of its many-to-many answers (``Dashboard._counts``: one
query, the filtered rows as a common table expression, one GROUP BY per breakdown over it), plus
one query for every taxonomy's terms, and a few small queries for the month trend, clinic use
and paired confidence. The filter on ``created_at`` is served by an index that also carries the
grouped columns (``cr_themes_created``), so the time grows with the requests in the chosen
period, not with every request ever made. On PostgreSQL, whole closed months are read from
monthly roll-ups instead (clinics/themes_rollup.py), so the time grows with the months shown,
not with the requests in them; the small-number rule is applied here, to the sums. docs/themes.md
has the figures and the reasoning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from clinics import themes_rollup
from clinics.models import (
    AgeBand,
    Clinic,
    ConsultationRequest,
    ContextFactor,
    Feedback,
    FormOfAbuse,
    PathwayStage,
    PlanStatus,
    SupportNeed,
)
from clinics.recurrence import LONDON
from clinics.themes_rollup import COUNTED_STATUSES as COUNTED_STATUSES  # re-exported: callers import it from here
from clinics.themes_rollup import requests_between

Status = ConsultationRequest.Status

@dataclass(frozen=True)
class SafeCount:
    value: int
    threshold: int
    # Withheld although not small itself, so that a small neighbour cannot be worked out by
    # subtraction (complementary suppression, see the module docstring).
    withheld: bool = False

    @property
    def small(self) -> bool:
        return 0 < self.value < self.threshold

    @property
    def suppressed(self) -> bool:
        return self.small or self.withheld

    def __str__(self) -> str:
        if self.small:
            return f"fewer than {self.threshold}"
        if self.withheld:
            return "not shown"
        return str(self.value)


def safe(value: int, threshold: int | None = None) -> SafeCount:
    return SafeCount(value, threshold or settings.DISCLOSURE_THRESHOLD)


def protect_partition(values: Sequence[int], threshold: int | None = None) -> list[SafeCount]:
    """Safe counts for cells that add up to a total the reader can see (see module docstring)."""
    threshold = threshold or settings.DISCLOSURE_THRESHOLD
    cells = [safe(v, threshold) for v in values]
    hidden = {i for i, c in enumerate(cells) if c.small}
    withheld: set[int] = set()

    def pinned_down() -> bool:
        if not hidden:
            return False
        total = sum(values[i] for i in hidden)
        if len(hidden) == 1 or total < threshold:
            return True
        # Only small cells hidden: all ones or all (threshold - 1) would still be exact.
        return not withheld and total >= len(hidden) * (threshold - 1)

    while pinned_down():
        others = [i for i, v in enumerate(values) if i not in hidden and v > 0]
        if not others:
            break
        pick = min(others, key=lambda i: (values[i], i))
        hidden.add(pick)
        withheld.add(pick)
    return [replace(c, withheld=True) if i in withheld else c for i, c in enumerate(cells)]


def themes_summary(start: datetime, end: datetime) -> list[tuple[str, SafeCount]]:
    """Requests per form of CSA in [start, end): (label, SafeCount), largest first."""
    ids = requests_between(start, end).values("pk")
    through = ConsultationRequest.forms.through
    counts = dict(
        through.objects.filter(consultationrequest__in=ids).values_list("formofabuse").annotate(n=Count("pk")).order_by()
    )
    rows = sorted(FormOfAbuse.objects.filter(pk__in=counts), key=lambda row: (-counts[row.pk], row.position))
    return [(row.label, safe(counts[row.pk])) for row in rows]


# --- The managers' dashboard ------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemesFilter:
    start: date  # inclusive
    end: date  # inclusive
    agency_type: object | None = None  # accounts.AgencyType
    series: object | None = None  # clinics.ClinicSeries

    @classmethod
    def default(cls, today: date | None = None) -> ThemesFilter:
        today = today or timezone.localdate()
        return cls(start=today.replace(day=1) - relativedelta(months=11), end=today)

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time(), tzinfo=LONDON)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), datetime.min.time(), tzinfo=LONDON)


@dataclass
class Row:
    label: str
    cells: list  # SafeCount, or plain numbers/text that are not about people (slots offered, means)
    bar: str = ""  # CSS class for the chart bar (app-bar--wNN or app-bar--suppressed)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[Row]
    note: str = ""
    chart: bool = True
    extra: dict = field(default_factory=dict)

    def csv_rows(self) -> list[list[str]]:
        return [self.columns, *([_csv_cell(r.label), *(str(c) for c in r.cells)] for r in self.rows)]


def _csv_cell(text: str) -> str:
    # Labels are edited by coordinators: never let one become a spreadsheet formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _bars(rows: list[Row]) -> list[Row]:
    """Bar widths in 5% steps of the largest shown value; hidden cells get a fixed marker, so a
    bar's length never gives a hidden number away."""
    shown = [r.cells[0].value for r in rows if isinstance(r.cells[0], SafeCount) and not r.cells[0].suppressed]
    top = max(shown, default=0)
    for r in rows:
        cell = r.cells[0]
        if cell.suppressed:
            r.bar = "app-bar--suppressed"
        else:
            width = 0 if not top else round(cell.value * 20 / top) * 5
            r.bar = f"app-bar--w{max(width, 5) if cell.value else 0}"
    return rows


def _month_label(day: date) -> str:
    return f"{day:%B %Y}"


def _months(start: date, end: date) -> list[date]:
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append(cursor)
        cursor += relativedelta(months=1)
    return months


def _as_month(value: datetime | date) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value, LONDON) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


class Dashboard:
    """The themes for one filter. Each table is one aggregate query; ``TABLES`` lists them in
    page order, and the CSV view asks for one by key."""

    def __init__(self, filters: ThemesFilter, threshold: int | None = None) -> None:
        self.filters = filters
        self.threshold = threshold or settings.DISCLOSURE_THRESHOLD
        self._counted: dict[str, dict] | None = None
        self._term_rows: dict[str, list[tuple]] | None = None

    # -- base sets -------------------------------------------------------------------------------

    def requests(self) -> QuerySet[ConsultationRequest]:
        return self.requests_in(self.filters.start_at, self.filters.end_at)

    def requests_in(self, start_at: datetime, end_at: datetime) -> QuerySet[ConsultationRequest]:
        """The filtered requests made in [start_at, end_at): the live tables and the monthly
        roll-ups both count these."""
        f = self.filters
        rows = requests_between(start_at, end_at)
        if f.agency_type is not None:
            rows = rows.filter(requester_agency_type=f.agency_type)
        if f.series is not None:
            rows = rows.filter(clinic__series=f.series)
        return rows.order_by()  # no default ordering: it would split the GROUP BY

    def _ids(self) -> QuerySet:
        return self.requests().values("pk")

    def _safe(self, n: int) -> SafeCount:
        return safe(n, self.threshold)

    # -- breakdowns --------------------------------------------------------------------------------

    def _counts(self) -> dict[str, dict]:
        """Every breakdown of the filtered requests, in one query: {breakdown: {value: count}}.

        The filtered rows are a common table expression, read once (PostgreSQL materialises a
        CTE that is used more than once), and each breakdown is a GROUP BY over it: the request's
        own answers (stage, age, plan, agency, confidence before), the many-to-many answers
        through their link tables, and confidence after through the feedback table.
        """
        if self._counted is not None:
            return self._counted
        if themes_rollup.enabled():
            f = self.filters
            self._counted = themes_rollup.counts(f.start_at, f.end_at, self.requests_in,
                                                 getattr(f.agency_type, "pk", None), getattr(f.series, "pk", None))
            return self._counted
        own = {"stages": "pathway_stage_id", "ages": "age_band_id", "plans": "plan_status_id",
               "agencies": "requester_agency_type_id", "before": "confidence_before"}
        base_sql, params = self.requests().values("pk", *own.values()).query.sql_with_params()
        parts = [f"SELECT '{key}', {column}, COUNT(*) FROM r GROUP BY {column}" for key, column in own.items()]  # noqa: S608 - names from our models
        for key, field_name in (("forms", "forms"), ("context", "context_factors"), ("wanted", "support_needs")):
            through = ConsultationRequest._meta.get_field(field_name).remote_field.through
            request_column = through._meta.get_field("consultationrequest").column
            term_column = next(f.column for f in through._meta.concrete_fields if f.is_relation and f.column != request_column)
            parts.append(f"SELECT '{key}', t.{term_column}, COUNT(*) FROM {through._meta.db_table} t "  # noqa: S608 - names from our models
                         f"JOIN r ON r.id = t.{request_column} GROUP BY t.{term_column}")
        parts.append(f"SELECT 'after', f.confidence_after, COUNT(*) FROM {Feedback._meta.db_table} f "  # noqa: S608 - names from our models
                     "JOIN r ON r.id = f.request_id GROUP BY f.confidence_after")
        columns = ", ".join(["id", *own.values()])
        sql = f"WITH r ({columns}) AS ({base_sql}) " + " UNION ALL ".join(parts)
        counted: dict[str, dict] = {key: {} for key in (*own, "forms", "context", "wanted", "after")}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for key, value, n in cursor.fetchall():
                counted[key][value] = n
        self._counted = counted
        return counted

    def _terms_of(self, key: str) -> list[tuple[int, str, bool]]:
        """(id, label, active) of every taxonomy's terms in page order, all read in one query."""
        if self._term_rows is None:
            models = {"forms": FormOfAbuse, "stages": PathwayStage, "ages": AgeBand, "plans": PlanStatus,
                      "context": ContextFactor, "wanted": SupportNeed}
            sql = " UNION ALL ".join(  # noqa: S608 - names from our models
                f"SELECT '{k}' AS k, id, label, position, active FROM {m._meta.db_table}" for k, m in models.items()  # noqa: S608 - names from our models
            ) + " ORDER BY k, position, label"
            self._term_rows = {k: [] for k in models}
            with connection.cursor() as cursor:
                cursor.execute(sql)
                for k, pk, label, _position, active in cursor.fetchall():
                    self._term_rows[k].append((pk, label, bool(active)))
        return self._term_rows[key]

    def _terms(self, key: str, title: str, model: type, *, partition: bool, note: str = "") -> Table:
        counted = self._counts()[key]
        # Retired terms only when they still count.
        rows = [(label, counted.get(pk, 0)) for pk, label, active in self._terms_of(key) if active or counted.get(pk)]
        counts = [n for _, n in rows]
        cells = protect_partition(counts, self.threshold) if partition else [self._safe(n) for n in counts]
        table_rows = [Row(label, [c]) for (label, _), c in zip(rows, cells, strict=True)]
        return Table(key, title, ["Answer", "Requests"], _bars(table_rows), note=note)

    def forms(self) -> Table:
        return self._terms("forms", "Forms of child sexual abuse", FormOfAbuse, partition=False,
                           note="A request can name more than one form, so these add up to more than the number of requests.")

    def stages(self) -> Table:
        return self._terms("stages", "Pathway stage", PathwayStage, partition=True)

    def ages(self) -> Table:
        return self._terms("ages", "Child's age", AgeBand, partition=True)

    def plans(self) -> Table:
        return self._terms("plans", "Plan status", PlanStatus, partition=True)

    def context(self) -> Table:
        return self._terms("context", "Context factors", ContextFactor, partition=False,
                           note="A request can have several factors or none.")

    def wanted(self) -> Table:
        return self._terms("wanted", "What practitioners wanted from the clinic", SupportNeed, partition=False,
                           note="A practitioner can ask for more than one thing.")

    def agencies(self) -> Table:
        from accounts.models import AgencyType

        counted = self._counts()["agencies"]
        present = [(a.pk, a.label) for a in AgencyType.objects.order_by("position", "label") if a.pk in counted]
        if None in counted:
            # Where the database sorts a missing agency (NULL position): last on PostgreSQL, first on SQLite.
            unknown = (None, "Not recorded")
            present = [*present, unknown] if connection.features.nulls_order_largest else [unknown, *present]
        labels = [label for _, label in present]
        cells = protect_partition([counted[pk] for pk, _ in present], self.threshold)
        rows = [Row(label, [c]) for label, c in zip(labels, cells, strict=True)]
        return Table("agencies", "Requester's agency type", ["Agency type", "Requests"], _bars(rows))

    def trend(self) -> Table:
        if "total" in self._counts():  # the roll-ups: the month as yyyymm
            by_month = {date(k // 100, k % 100, 1): n for k, n in self._counts()["total"].items()}
        else:
            grouped = self.requests().annotate(month=TruncMonth("created_at", tzinfo=LONDON)).values("month").annotate(n=Count("pk"))
            by_month = {_as_month(g["month"]): g["n"] for g in grouped}
        months = _months(self.filters.start, self.filters.end)
        cells = protect_partition([by_month.get(m, 0) for m in months], self.threshold)
        rows = [Row(_month_label(m), [c]) for m, c in zip(months, cells, strict=True)]
        return Table("trend", "Requests by month", ["Month", "Requests"], _bars(rows))

    def clinic_use(self) -> Table:
        f = self.filters
        clinics = Clinic.objects.filter(starts_at__gte=f.start_at, starts_at__lt=f.end_at, status=Clinic.Status.SCHEDULED)
        if f.series is not None:
            clinics = clinics.filter(series=f.series)
        offered = {
            _as_month(g["month"]): (g["dates"], g["slots"] or 0)
            for g in clinics.annotate(month=TruncMonth("starts_at", tzinfo=LONDON)).values("month")
            .annotate(dates=Count("pk"), slots=Sum("capacity")).order_by()
        }
        if themes_rollup.enabled():
            by_status = themes_rollup.clinic_use(f.start_at, f.end_at, getattr(f.agency_type, "pk", None),
                                                 getattr(f.series, "pk", None))
            used = {month: _use(counts) for month, counts in by_status.items()}
        else:
            requests = ConsultationRequest.objects.filter(clinic__in=clinics.values("pk"))
            if f.agency_type is not None:
                requests = requests.filter(requester_agency_type=f.agency_type)
            used = {
                _as_month(g["month"]): g
                for g in requests.annotate(month=TruncMonth("clinic__starts_at", tzinfo=LONDON)).values("month").annotate(
                    booked=Count("pk", filter=Q(status__in=ConsultationRequest.HOLDS_SLOT)),
                    attended=Count("pk", filter=Q(status=Status.ATTENDED)),
                    dna=Count("pk", filter=Q(status=Status.DID_NOT_ATTEND)),
                    upcoming=Count("pk", filter=Q(status__in=[Status.BOOKED, Status.OFFERED])),
                    waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
                ).order_by()
            }
        rows = []
        for month in _months(f.start, f.end):
            dates, slots = offered.get(month, (0, 0))
            u = used.get(month, {})
            # Booked = attended + did not attend + still to come: protect the three as a partition.
            attended, dna, upcoming = protect_partition([u.get("attended", 0), u.get("dna", 0), u.get("upcoming", 0)], self.threshold)
            rows.append(Row(_month_label(month), [
                self._safe(u.get("booked", 0)), dates, slots, attended, dna, upcoming, self._safe(u.get("waitlisted", 0)),
            ]))
        columns = ["Month (of the clinic)", "Booked", "Clinic dates", "Slots offered", "Attended", "Did not attend",
                   "Still to come", "Waiting, no place"]
        return Table("clinic_use", "Clinic use", columns, _bars(rows),
                     note="Clinic dates and slots are not about people, so they are shown exactly.")

    def confidence(self) -> Table:
        before = self._counts()["before"]
        after = self._counts()["after"]
        paired = self._paired()
        scores = [1, 2, 3, 4, 5]
        before_cells = protect_partition([before.get(s, 0) for s in scores], self.threshold)
        after_cells = protect_partition([after.get(s, 0) for s in scores], self.threshold)
        rows = [Row(f"{s} out of 5", [b, a]) for s, b, a in zip(scores, before_cells, after_cells, strict=True)]
        n_before, n_after = sum(before.values()), sum(after.values())
        enough = paired["n"] >= self.threshold
        summary = {
            "before_n": self._safe(n_before),
            "after_n": self._safe(n_after),
            "before_mean": _mean(before) if n_before >= self.threshold else None,
            "after_mean": _mean(after) if n_after >= self.threshold else None,
            "paired_n": self._safe(paired["n"]),
            "paired_before": round(paired["before"], 1) if enough else None,
            "paired_after": round(paired["after"], 1) if enough else None,
        }
        rows.append(Row("Mean", [_fmt(summary["before_mean"]), _fmt(summary["after_mean"])]))
        rows.append(Row("Mean, same requests before and after", [_fmt(summary["paired_before"]), _fmt(summary["paired_after"])]))
        return Table("confidence", "Practitioners' confidence, 1 (low) to 5 (high)",
                     ["Confidence", "Before the clinic", "After the clinic"], rows, chart=False, extra=summary,
                     note=f"Means are shown only when at least {self.threshold} people answered.")

    def _paired(self) -> dict:
        """Requests with feedback: how many, and their mean confidence before and after."""
        counted = self._counts()
        if "paired_before" not in counted:
            return self.requests().filter(feedback__isnull=False).aggregate(
                n=Count("pk"), before=Avg("confidence_before"), after=Avg("feedback__confidence_after"))
        # One feedback per request: the requests with feedback are the "after" distribution.
        n = sum(counted["after"].values())
        if not n:
            return {"n": 0, "before": None, "after": None}
        after = sum(score * count for score, count in counted["after"].items())
        return {"n": n, "before": counted["paired_before"][None] / n, "after": after / n}

    TABLES: dict[str, Callable[[Dashboard], Table]] = {
        "forms": forms, "stages": stages, "ages": ages, "plans": plans, "context": context, "wanted": wanted,
        "agencies": agencies, "trend": trend, "clinic_use": clinic_use, "confidence": confidence,
    }

    def table(self, key: str) -> Table:
        return self.TABLES[key](self)

    def tables(self) -> list[Table]:
        return [builder(self) for builder in self.TABLES.values()]


def _use(by_status: dict[str, int]) -> dict[str, int]:
    """Clinic use's columns from the requests' statuses (as the live query's filtered counts)."""
    def n(*statuses: str) -> int:
        return sum(by_status.get(s, 0) for s in statuses)

    return {"booked": n(*ConsultationRequest.HOLDS_SLOT), "attended": n(Status.ATTENDED), "dna": n(Status.DID_NOT_ATTEND),
            "upcoming": n(Status.BOOKED, Status.OFFERED), "waitlisted": n(Status.WAITLISTED)}


def _mean(distribution: dict[int, int]) -> float:
    n = sum(distribution.values())
    return round(sum(score * count for score, count in distribution.items()) / n, 1)


def _fmt(value: float | None) -> str:
    return "not shown" if value is None else f"{value:.1f}"
