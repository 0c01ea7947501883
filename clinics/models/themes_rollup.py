"""Monthly roll-ups of the themes dashboard's counts (clinics/themes_rollup.py keeps them).

Two bases, each keyed by a month (London): ``made``, the month the requests were made (every
breakdown, the trend and the confidence scores), and ``held``, the month of the clinic they are
for (clinic use). Then by the requester's agency type and the clinic series, so a dashboard
filter is a sum over rows; a partnership key would be one more column in each key. Plain integer columns, not foreign keys: the rows are derived data, and
deleting a term or an agency type must not cascade into (or lock) them.
"""

from __future__ import annotations

from django.db import models


class Basis(models.TextChoices):
    MADE = "made", "month the request was made"
    HELD = "held", "month of the clinic"


class ThemeCount(models.Model):
    """How many counted requests of ``month`` (on ``basis``) have ``value`` in ``family``."""

    basis = models.CharField(max_length=4, choices=Basis.choices)
    month = models.DateField()  # first day of the month, London
    agency_type_id = models.IntegerField(null=True)
    series_id = models.IntegerField(null=True)
    family = models.CharField(max_length=20)
    value = models.IntegerField(null=True)
    n = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["basis", "month"], name="theme_count_month")]

    def __str__(self) -> str:
        return f"{self.basis} {self.month:%Y-%m} {self.family} {self.value}: {self.n}"


class ThemeMonth(models.Model):
    """A month whose ThemeCount rows have been built (and when). Rebuilders lock this row."""

    basis = models.CharField(max_length=4, choices=Basis.choices)
    month = models.DateField()
    built_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["basis", "month"], name="theme_month_once")]

    def __str__(self) -> str:
        return f"{self.basis} {self.month:%Y-%m} built {self.built_at:%Y-%m-%d %H:%M}"


class ThemeChange(models.Model):
    """A month whose requests changed since its roll-up was built. Written only by database
    triggers (migration 0012), append-only so that writers never wait on each other; the rebuild
    of a month deletes the marks it has seen."""

    basis = models.CharField(max_length=4, choices=Basis.choices)
    month = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["basis", "month"], name="theme_change_month")]

    def __str__(self) -> str:
        return f"{self.basis} {self.month:%Y-%m} changed"
