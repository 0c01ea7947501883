"""Server-drawn SVG charts for the themes tables: no script, no inline style (the CSP forbids
both), each chart followed on the page by the table it draws (its text alternative).

The small-number rule holds in the geometry too: a bar is drawn to scale only when its count is
shown exactly. A count below the threshold, or one withheld so that it cannot be worked out by
subtraction, is drawn as a hatched placeholder of one fixed size whatever its value, and the
scale is set by the largest *shown* count, so no bar's length depends on a hidden number.
"""

from __future__ import annotations

import textwrap

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from clinics.themes import SafeCount, Table

WIDTH = 300  # viewBox units; the SVG scales to its container (phone first: text stays ~13px at 320px)
BAR_MAX = 190  # the longest shown bar, leaving room for "fewer than 5" after it
PLACEHOLDER = 24  # every hidden count's bar, whatever the count
LINE = 17  # label line height
BAR = 16  # bar thickness
LABEL_CHARS = 40  # wrap labels before they run off the chart
COLUMN_PLOT = 140  # height of the tallest column in the trend chart
PLACEHOLDER_COLUMN = 16
MONTH_LABELS_UP_TO = 13  # more months than this: label every few


def _hatch(key: str) -> str:
    return (
        f'<defs><pattern id="hatch-{key}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        '<rect width="3" height="6" fill="#b1b4b6"/></pattern></defs>'
    )


def _scale(cells: list[SafeCount]) -> int:
    return max((c.value for c in cells if not c.suppressed), default=0)


def _open(key: str, height: int, title: str, kind: str) -> str:
    desc = (
        f"{kind} of the table that follows. Hatched bars are numbers that are not shown "
        "(fewer than the threshold, or withheld), all drawn the same size, not to scale."
    )
    return (
        f'<svg class="app-svg-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="chart-{key}-title chart-{key}-desc" focusable="false">'
        f'<title id="chart-{key}-title">{escape(title)}</title><desc id="chart-{key}-desc">{escape(desc)}</desc>'
        + _hatch(key)
    )


def bar_chart(table: Table) -> SafeString:
    """Horizontal bars of the table's first column, one row per answer, label above its bar."""
    cells = [r.cells[0] for r in table.rows]
    top = _scale(cells)
    parts, y = [], 0
    for row, cell in zip(table.rows, cells, strict=True):
        lines = textwrap.wrap(row.label, LABEL_CHARS) or [""]
        parts.append('<g class="app-svg-row">')
        for i, line in enumerate(lines):
            parts.append(f'<text class="app-svg-label" x="0" y="{y + LINE * (i + 1) - 4}">{escape(line)}</text>')
        y += LINE * len(lines)
        if cell.suppressed:
            width, fill, kind = PLACEHOLDER, f"url(#hatch-{table.key})", "app-svg-bar app-svg-bar--hidden"
        else:
            width = 0 if not cell.value else max(2, round(BAR_MAX * cell.value / top))
            fill, kind = "#1d70b8", "app-svg-bar"
        parts.append(
            f'<rect class="{kind}" x="0" y="{y + 2}" width="{width}" height="{BAR}" fill="{fill}" '
            f'stroke="{"#505a5f" if cell.suppressed else "none"}"/>'
        )
        parts.append(f'<text class="app-svg-value" x="{width + 6}" y="{y + BAR - 1}">{escape(str(cell))}</text>')
        parts.append("</g>")
        y += BAR + 10
    return mark_safe(_open(table.key, max(y, 1), table.title, "Bar chart") + "".join(parts) + "</svg>")  # noqa: S308 (every piece escaped above)


def column_chart(table: Table, title: str = "") -> SafeString:
    """Columns by month (the trend), oldest first; values above the columns when they fit."""
    cells = [r.cells[0] for r in table.rows]
    top = _scale(cells)
    n = max(len(cells), 1)
    step = WIDTH / n
    every = 1 if n <= MONTH_LABELS_UP_TO else -(-n // 6)
    # Nothing shown to scale (all zero or hidden): no empty plot area above the placeholders.
    plot = COLUMN_PLOT if top else PLACEHOLDER_COLUMN
    base = plot + 20  # room above the tallest column for its value
    parts = [f'<line x1="0" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#0b0c0c"/>']
    for i, (row, cell) in enumerate(zip(table.rows, cells, strict=True)):
        x = round(i * step + step * 0.15, 1)
        width = round(step * 0.7, 1)
        if cell.suppressed:
            height, fill, kind = PLACEHOLDER_COLUMN, f"url(#hatch-{table.key})", "app-svg-bar app-svg-bar--hidden"
        else:
            height = 0 if not cell.value else max(2, round(plot * cell.value / top))
            fill, kind = "#1d70b8", "app-svg-bar"
        parts.append('<g class="app-svg-row">')
        parts.append(
            f'<rect class="{kind}" x="{x}" y="{base - height}" width="{width}" height="{height}" fill="{fill}" '
            f'stroke="{"#505a5f" if cell.suppressed else "none"}"/>'
        )
        middle = round(x + width / 2, 1)
        if n <= MONTH_LABELS_UP_TO and not cell.suppressed:
            parts.append(f'<text class="app-svg-value app-svg-small" x="{middle}" y="{base - height - 4}" '
                         f'text-anchor="middle">{cell.value}</text>')
        if i % every == 0:
            short = row.label.split(" ")[0][:3] + (f" {row.label.split(' ')[-1][2:]}" if n > MONTH_LABELS_UP_TO else "")
            parts.append(f'<text class="app-svg-label app-svg-small" x="{middle}" y="{base + 16}" '
                         f'text-anchor="middle">{escape(short)}</text>')
        parts.append("</g>")
    height = base + 24
    return mark_safe(_open(table.key, height, title or table.title, "Column chart") + "".join(parts) + "</svg>")  # noqa: S308 (escaped above)


def chart_for(table: Table) -> SafeString | None:
    """The chart that suits a themes table, or None for a table that is not drawn (confidence:
    two distributions side by side read better as the table)."""
    if not table.chart:
        return None
    if table.key == "clinic_use":
        return column_chart(table, f"{table.title}: consultations booked, by month of the clinic")
    return column_chart(table) if table.key == "trend" else bar_chart(table)
