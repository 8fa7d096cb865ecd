"""The readership reports as CSV: each overview table and a page's days, for a spreadsheet.

UTF-8 with a byte-order mark, which Excel needs to read Cyrillic without asking;
dates as ISO (2025-11-28), which every spreadsheet sorts. A text cell that a
spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a
carriage return: a page title can) is written with a leading apostrophe, so
it shows as text and runs nothing (OWASP, «CSV Injection»).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from vestnik.readership.reports import Overview, PageSeries, PageTotal, Period, Total

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int
# The tables of the overview that can be downloaded, by their `?table=` name.
TABLES = ("top", "experts", "sections", "countries", "topics", "publications", "events")


def safe_cell(value: Cell) -> Cell:
    """A number as it is; a text that a spreadsheet would run as a formula, quoted as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return BYTE_ORDER_MARK + buffer.getvalue()


def csv_filename(name: str, period: Period) -> str:
    return f"readership-{name}-{period.start.isoformat()}-{period.end.isoformat()}.csv"


def _pages(rows: list[PageTotal]) -> tuple[list[str], list[list[Cell]]]:
    header = [_("Page ID"), _("Title"), _("Language"), _("Views")]
    return header, [[row.page_id, row.title, row.language, row.views] for row in rows]


def _totals(heading: str, rows: list[Total]) -> tuple[list[str], list[list[Cell]]]:
    header = [heading, _("Pages"), _("Views")]
    return header, [[row.label, row.pages, row.views] for row in rows]


def overview_table(report: Overview, table: str) -> tuple[list[str], list[list[Cell]]]:
    """The header and rows of one overview table (`TABLES`); KeyError for another name."""
    if table == "top":
        return _pages(report.top)
    if table == "experts":
        return _totals(_("Expert"), report.experts)
    if table == "sections":
        return _totals(_("Section"), report.sections)
    if table == "countries":
        return _totals(_("Country"), report.countries)
    if table == "topics":
        return _totals(_("Topic"), report.topics)
    if table == "publications":
        header, rows = _pages(report.publications)
        return [*header, _("PDF downloads")], [
            [*row, total.downloads] for row, total in zip(rows, report.publications, strict=True)
        ]
    if table == "events":
        header, rows = _pages(report.events)
        return [*header, _("Registrations")], [
            [*row, total.registrations] for row, total in zip(rows, report.events, strict=True)
        ]
    raise KeyError(table)


def series_table(series: PageSeries) -> tuple[list[str], list[list[Cell]]]:
    """A page's days: the date, its views, and its downloads or registrations where it has them."""
    header = [_("Date"), _("Views")]
    if series.has_downloads:
        header.append(_("PDF downloads"))
    if series.has_registrations:
        header.append(_("Registrations"))
    rows: list[list[Cell]] = []
    for day in series.days:
        row: list[Cell] = [day.day.isoformat(), day.views]
        if series.has_downloads:
            row.append(day.downloads or 0)
        if series.has_registrations:
            row.append(day.registrations or 0)
        rows.append(row)
    return header, rows
