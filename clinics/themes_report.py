"""Themes at a glance: one period summarised against the period before it, then each breakdown
as a chart with its table, for the managers' themes page and its printable board report.

Every count comes from ``clinics.themes.Dashboard``, which applies the small-number rule; this
module adds comparisons and ordering, and neither may give a hidden count away:

- a change ("up from 12") is worded only between two counts that are both shown exactly;
  otherwise the previous count is shown as it is ("fewer than 5", "not shown") with no
  direction, since "up" between two hidden counts says something about them;
- "the three most common" ranks shown counts by size and puts hidden ones after them in the
  table's own order, never by their hidden size;
- a total made by adding shown cells is shown only when none of the cells was hidden, or
  "total minus the others" would give a hidden month back.

The previous period is the same number of days ending the day before this one starts, asked of
the same Dashboard (two more aggregate queries: forms and stages, whose sum is the total).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.utils.safestring import SafeString

from clinics.charts import chart_for
from clinics.themes import Dashboard, SafeCount, Table, ThemesFilter, safe

TOP = 3


def previous_period(filters: ThemesFilter) -> ThemesFilter:
    days = (filters.end - filters.start).days + 1
    end = filters.start - timedelta(days=1)
    return replace(filters, start=end - timedelta(days=days - 1), end=end)


@dataclass(frozen=True)
class Change:
    label: str
    now: SafeCount
    before: SafeCount

    @property
    def direction(self) -> str:
        """"up", "down", "same", or "" when not compared: then the page shows the previous count
        as it is ("fewer than 5"), without a direction."""
        if self.now.suppressed or self.before.suppressed:
            return ""
        return "up" if self.now.value > self.before.value else "down" if self.now.value < self.before.value else "same"


def most_common(now: Table, before: Table, top: int = TOP) -> list[Change]:
    earlier = {r.label: r.cells[0] for r in before.rows}
    asked = [r for r in now.rows if r.cells[0].value]  # 0 is shown as 0 anyway
    shown = sorted((r for r in asked if not r.cells[0].suppressed), key=lambda r: -r.cells[0].value)
    hidden = [r for r in asked if r.cells[0].suppressed]  # table order, whatever their size
    threshold = now.rows[0].cells[0].threshold if now.rows else settings.DISCLOSURE_THRESHOLD
    return [Change(r.label, r.cells[0], earlier.get(r.label, safe(0, threshold))) for r in (shown + hidden)[:top]]


def total_of(cells: list[SafeCount]) -> SafeCount:
    """The sum of some cells, shown only if every cell was shown (see the module docstring)."""
    threshold = cells[0].threshold if cells else settings.DISCLOSURE_THRESHOLD
    total = sum(c.value for c in cells)
    if any(c.suppressed for c in cells):
        return SafeCount(total, threshold, withheld=True)
    return safe(total, threshold)


@dataclass(frozen=True)
class ClinicUse:
    dates: int  # clinic dates and slots are not about people: exact
    slots: int
    booked: SafeCount

    @property
    def share_booked(self) -> int | None:
        if self.booked.suppressed or not self.slots:
            return None
        return round(100 * self.booked.value / self.slots)


@dataclass(frozen=True)
class Confidence:
    answered: SafeCount  # people who gave a score before the clinic and again after it
    before: float | None  # None: too few answers to show a mean
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


@dataclass(frozen=True)
class Summary:
    filters: ThemesFilter
    previous: ThemesFilter
    consultations: Change
    forms: list[Change]
    stages: list[Change]
    clinic_use: ClinicUse
    confidence: Confidence


@dataclass(frozen=True)
class Section:
    table: Table
    chart: SafeString | None

    def rows(self) -> list[tuple[str, list[tuple[str, object]]]]:
        """Each row's label and its cells paired with their column names, which a phone shows
        beside each value once the table stacks."""
        columns = self.table.columns[1:]
        return [(r.label, list(zip(columns, r.cells, strict=True))) for r in self.table.rows]


@dataclass(frozen=True)
class ThemesReport:
    summary: Summary
    sections: list[Section]
    threshold: int


def _clinic_use(table: Table) -> ClinicUse:
    # Columns: booked, clinic dates, slots offered, attended, did not attend, still to come, waiting.
    return ClinicUse(
        dates=sum(r.cells[1] for r in table.rows),
        slots=sum(r.cells[2] for r in table.rows),
        booked=total_of([r.cells[0] for r in table.rows]),
    )


def build_report(filters: ThemesFilter, threshold: int | None = None) -> ThemesReport:
    """The summary and every section for ``filters``: the dashboard's one query per table,
    plus two for the previous period."""
    dashboard = Dashboard(filters, threshold)
    tables = {t.key: t for t in dashboard.tables()}
    previous = previous_period(filters)
    earlier = Dashboard(previous, threshold)
    earlier_stages = earlier.stages()
    confidence = tables["confidence"].extra
    summary = Summary(
        filters=filters,
        previous=previous,
        # Every request has exactly one pathway stage, so the stages add up to the total.
        consultations=Change("Consultations requested", confidence["before_n"],
                             safe(sum(r.cells[0].value for r in earlier_stages.rows), dashboard.threshold)),
        forms=most_common(tables["forms"], earlier.forms()),
        stages=most_common(tables["stages"], earlier_stages),
        clinic_use=_clinic_use(tables["clinic_use"]),
        confidence=Confidence(confidence["paired_n"], confidence["paired_before"], confidence["paired_after"]),
    )
    sections = [Section(t, chart_for(t)) for t in tables.values()]
    return ThemesReport(summary, sections, dashboard.threshold)
