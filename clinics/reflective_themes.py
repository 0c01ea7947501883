"""Reflective sessions for managers: attendance by cohort and by month, and the topics the
practice leads discussed. Aggregates only, never a note or a check-in.

The small-number rule is clinics/themes.py's own (``safe``, ``protect_partition``): a count of
people below the disclosure threshold is "fewer than N". Monthly attendances add up to the total
shown under them, so that table gets complementary suppression; the cohort table and the
topic tables do not add up to anything shown (a lead can be in two cohorts; a session
discusses several topics), so primary suppression is enough there. Topic counts are counts of
sessions, not people, but they follow the same rule: a rare topic in a small group can point
at a case. One aggregate query per table.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from clinics.models import Cohort, FormOfAbuse, PathwayStage, ReflectiveAttendance, ReflectiveSession
from clinics.models.occurrences import OccurrenceStatus
from clinics.recurrence import LONDON
from clinics.themes import Row, Table, ThemesFilter, protect_partition, safe

ATTENDED = ReflectiveAttendance.Status.ATTENDED


class ReflectiveThemes:
    TABLES = ("cohorts", "months", "forms", "stages")

    def __init__(self, filters: ThemesFilter, threshold: int | None = None) -> None:
        self.filters = filters
        self.threshold = threshold or settings.DISCLOSURE_THRESHOLD

    def sessions(self) -> QuerySet[ReflectiveSession]:
        f = self.filters
        return ReflectiveSession.objects.filter(
            status=OccurrenceStatus.SCHEDULED, starts_at__gte=f.start_at, starts_at__lt=f.end_at
        ).order_by()

    def cohorts(self) -> Table:
        reg = "members__reflective_register"
        held = Q(**{
            f"{reg}__status": ATTENDED, f"{reg}__session__series": F("programme"),
            f"{reg}__session__status": OccurrenceStatus.SCHEDULED,
            f"{reg}__session__starts_at__gte": self.filters.start_at, f"{reg}__session__starts_at__lt": self.filters.end_at,
            f"{reg}__session__original_date__gte": F("start_month"),
        })
        rows = Cohort.objects.annotate(leads=Count("members", distinct=True), came=Count(reg, filter=held)).order_by(
            "-start_month", "name"
        )
        table_rows = [Row(c.name, [safe(c.leads, self.threshold), safe(c.came, self.threshold)]) for c in rows]
        return Table("cohorts", "Attendance by cohort", ["Cohort", "Practice leads", "Attendances at programme days"],
                     table_rows, note="Attendances count each practice lead once for each programme day they came to.",
                     chart=False)

    def months(self) -> Table:
        rows = list(
            ReflectiveAttendance.objects.filter(status=ATTENDED, session__in=self.sessions())
            .annotate(month=TruncMonth("session__starts_at", tzinfo=LONDON)).values("month")
            .annotate(n=Count("pk")).order_by("month")
        )
        counts = [r["n"] for r in rows]
        cells = protect_partition(counts, self.threshold)
        table_rows = [Row(f"{r['month']:%B %Y}", [c]) for r, c in zip(rows, cells, strict=True)]
        table_rows.append(Row("Total", [safe(sum(counts), self.threshold)]))
        return Table("months", "Attendance at reflective sessions by month", ["Month", "Attendances"], table_rows,
                     chart=False)

    def _topics(self, key: str, title: str, model: type, field: str) -> Table:
        through = getattr(ReflectiveSession, field).through
        target = f"{model._meta.model_name}_id"
        counts = dict(
            through.objects.filter(reflectivesession__in=self.sessions()).values_list(target).annotate(n=Count("pk"))
        )
        terms = [t for t in model.objects.order_by("position", "label") if t.active or counts.get(t.pk)]
        rows = [Row(t.label, [safe(counts.get(t.pk, 0), self.threshold)]) for t in terms]
        return Table(key, title, ["Topic", "Sessions"], rows, chart=False,
                     note="A session can discuss several topics, so these add up to more than the number of sessions.")

    def forms(self) -> Table:
        return self._topics("forms", "Forms of child sexual abuse discussed", FormOfAbuse, "themes")

    def stages(self) -> Table:
        return self._topics("stages", "Stages of the response discussed", PathwayStage, "stages")

    def table(self, key: str) -> Table:
        return getattr(self, key)()

    def tables(self) -> list[Table]:
        return [self.table(k) for k in self.TABLES]
