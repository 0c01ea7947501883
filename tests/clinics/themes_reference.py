"""The themes queries as they were before the indexes and grouped queries (main at 03dce2d),
kept verbatim as the reference that tests/clinics/test_themes_same_figures.py compares the
current clinics.themes with. Not used by the service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

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
from clinics.themes import COUNTED_STATUSES, Row, SafeCount, Table, ThemesFilter, protect_partition, safe

Status = ConsultationRequest.Status


def requests_between(start: datetime, end: datetime):
    return ConsultationRequest.objects.filter(created_at__gte=start, created_at__lt=end, status__in=COUNTED_STATUSES)


def reference_themes_summary(start: datetime, end: datetime) -> list[tuple[str, SafeCount]]:
    """Requests per form of CSA in [start, end): (label, SafeCount), largest first."""
    ids = requests_between(start, end).values("pk")
    rows = FormOfAbuse.objects.annotate(n=Count("requests", filter=Q(requests__in=ids))).order_by("-n", "position")
    return [(row.label, safe(row.n)) for row in rows if row.n]



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


class ReferenceDashboard:
    """The themes for one filter. Each table is one aggregate query; ``TABLES`` lists them in
    page order, and the CSV view asks for one by key."""

    def __init__(self, filters: ThemesFilter, threshold: int | None = None) -> None:
        self.filters = filters
        self.threshold = threshold or settings.DISCLOSURE_THRESHOLD

    # -- base sets -------------------------------------------------------------------------------

    def requests(self) -> QuerySet[ConsultationRequest]:
        f = self.filters
        rows = requests_between(f.start_at, f.end_at)
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

    def _terms(self, key: str, title: str, model: type, *, partition: bool, note: str = "") -> Table:
        rows = model.objects.annotate(n=Count("requests", filter=Q(requests__in=self._ids()))).order_by("position", "label")
        rows = [r for r in rows if r.active or r.n]  # retired terms only when they still count
        counts = [r.n for r in rows]
        cells = protect_partition(counts, self.threshold) if partition else [self._safe(n) for n in counts]
        table_rows = [Row(r.label, [c]) for r, c in zip(rows, cells, strict=True)]
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
        grouped = (
            self.requests()
            .values("requester_agency_type__label", "requester_agency_type__position")
            .annotate(n=Count("pk"))
            .order_by("requester_agency_type__position", "requester_agency_type__label")
        )
        labels = [g["requester_agency_type__label"] or "Not recorded" for g in grouped]
        cells = protect_partition([g["n"] for g in grouped], self.threshold)
        rows = [Row(label, [c]) for label, c in zip(labels, cells, strict=True)]
        return Table("agencies", "Requester's agency type", ["Agency type", "Requests"], _bars(rows))

    def trend(self) -> Table:
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
        before = dict(self.requests().values_list("confidence_before").annotate(n=Count("pk")).order_by())
        after = dict(
            Feedback.objects.filter(request__in=self._ids()).values_list("confidence_after").annotate(n=Count("pk")).order_by()
        )
        paired = self.requests().filter(feedback__isnull=False).aggregate(
            n=Count("pk"), before=Avg("confidence_before"), after=Avg("feedback__confidence_after")
        )
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

    TABLES: dict[str, Callable[[ReferenceDashboard], Table]] = {
        "forms": forms, "stages": stages, "ages": ages, "plans": plans, "context": context, "wanted": wanted,
        "agencies": agencies, "trend": trend, "clinic_use": clinic_use, "confidence": confidence,
    }

    def table(self, key: str) -> Table:
        return self.TABLES[key](self)

    def tables(self) -> list[Table]:
        return [builder(self) for builder in self.TABLES.values()]


def _mean(distribution: dict[int, int]) -> float:
    n = sum(distribution.values())
    return round(sum(score * count for score, count in distribution.items()) / n, 1)


def _fmt(value: float | None) -> str:
    return "not shown" if value is None else f"{value:.1f}"
