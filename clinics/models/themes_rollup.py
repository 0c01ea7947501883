"""Monthly roll-ups of the themes dashboard's counts (clinics/themes_rollup.py keeps them).

Keyed by the month the requests were made (London), the requester's agency type and the
clinic series, so a dashboard filter is a sum over rows; a partnership key would be one more
column in each key. Plain integer columns, not foreign keys: the rows are derived data, and
deleting a term or an agency type must not cascade into (or lock) them.
"""

from __future__ import annotations

from django.db import models


class ThemeCount(models.Model):
    """How many counted requests made in ``month`` have ``value`` in breakdown ``family``."""

    month = models.DateField()  # first day of the month, London
    agency_type_id = models.IntegerField(null=True)
    series_id = models.IntegerField(null=True)
    family = models.CharField(max_length=20)
    value = models.IntegerField(null=True)
    n = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "family"], name="theme_count_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.family} {self.value}: {self.n}"


class ThemeMonth(models.Model):
    """A month whose ThemeCount rows have been built (and when). Rebuilders lock this row."""

    month = models.DateField(unique=True)
    built_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} built {self.built_at:%Y-%m-%d %H:%M}"


class ThemeChange(models.Model):
    """A month whose requests changed since its roll-up was built. Written only by database
    triggers (migration 0012), append-only so that writers never wait on each other; the rebuild
    of a month deletes the marks it has seen."""

    month = models.DateField(db_index=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} changed"
