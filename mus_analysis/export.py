"""Files beside the HTML report: the charts for slides and the tables for Excel.

``figures/<name>.png`` and ``figures/<name>.svg`` hold each chart, and
``tables.xlsx`` holds every table of the report on a sheet of its own. Each
file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.figure import Figure
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .files import atomic_path
from .formulas import FORMULA_STARTS  # text starting so is stored as quoted text

if TYPE_CHECKING:
    from .tables import ReportTable

FIGURE_DPI = 200  # about 1900 px wide: sharp on a full-width slide
WORKBOOK = "tables.xlsx"

_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_WRAPPED_WIDTH = 60  # characters: wider text columns wrap


def freeze_layout(figure: Figure) -> None:
    """Keep the layout the last drawing found, so further drawings skip the solver.

    The charts use constrained layout, whose solver is most of the cost of a
    drawing; the PNG, the SVG and the report's image then share one layout.
    """
    if figure.get_layout_engine() is not None:
        figure.set_layout_engine("none")


def save_figure(figure: Figure, folder: str | Path, name: str, *,
                alt: str | None = None) -> list[Path]:
    """Write ``figure`` as ``folder/name.png`` and ``folder/name.svg``.

    The PNG is drawn at 200 dpi for slides; the SVG keeps its text as text
    (searchable, and editable in a drawing program), and both carry ``alt``
    as their description.

    Returns
    -------
    list of Path
        The PNG and the SVG.
    """
    folder = Path(folder)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    metadata = {"Description": alt} if alt else {}
    with atomic_path(png) as tmp:
        figure.savefig(tmp, format="png", dpi=FIGURE_DPI, bbox_inches=None,
                       metadata={"Software": None, **metadata})
    freeze_layout(figure)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", bbox_inches=None,
                       metadata={"Date": None, "Creator": None})
    with atomic_path(svg) as tmp:
        tmp.write_text(_describe_svg(buffer.getvalue(), alt), encoding="utf-8")
    return [png, svg]


def _describe_svg(svg: str, alt: str | None) -> str:
    """Put ``alt`` in the SVG as its ``<title>``, which screen readers announce."""
    if not alt:
        return svg
    start = svg.index("<svg")
    end = svg.index(">", start) + 1
    return svg[:end] + f"\n <title>{html.escape(alt)}</title>" + svg[end:]


def write_workbook(tables: list[ReportTable], path: str | Path) -> Path:
    """Write ``tables`` to an Excel workbook, one sheet per table, in order.

    Each sheet has one header row (bold, frozen, with a filter), then one row
    per table row. Numbers are numbers with the table's number format, so
    Excel writes them with the reader's own decimal separator. Text is always
    stored as text; text that starts like a formula (``= + - @``) is marked
    as quoted text, so it can never run as one.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.sheet, used))
        _fill_sheet(sheet, table)
    workbook.properties.creator = "mus-analysis"
    with atomic_path(path) as tmp:
        workbook.save(tmp)
    return Path(path)


def write_tables(tables: list[ReportTable], out_dir: str | Path) -> Path | None:
    """Write ``out_dir/tables.xlsx``; with ``out_dir`` empty (``""``), write nothing."""
    if not str(out_dir):
        return None
    return write_workbook(tables, Path(out_dir) / WORKBOOK)


def _fill_sheet(sheet, table: ReportTable) -> None:
    columns = list(table.frame.columns)
    rule = Side(style="thin", color="1F2328")
    for c, column in enumerate(columns, start=1):
        cell = _put_text(sheet.cell(row=1, column=c), str(column))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = Border(bottom=rule)
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    widths = [len(str(column)) for column in columns]
    for r, values in enumerate(table.frame.itertuples(index=False), start=2):
        for c, (column, value) in enumerate(zip(columns, values), start=1):
            cell = sheet.cell(row=r, column=c)
            if value is None or (not isinstance(value, str) and value != value):
                continue
            if column in table.formats:
                cell.value = value
                cell.number_format = table.formats[column]
                width = len(table.cell_text(column, value))
            else:
                _put_text(cell, str(value))
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                width = len(str(value))
            widths[c - 1] = max(widths[c - 1], width)

    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width, _WRAPPED_WIDTH) + 2
    sheet.freeze_panes = "A2"
    if len(table.frame):
        sheet.auto_filter.ref = sheet.dimensions


def _put_text(cell, value: str):
    """Store ``value`` as a text cell, never as a formula."""
    cell.value = value
    cell.data_type = "s"  # openpyxl would take "=..." for a formula
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _sheet_name(name: str, used: set[str]) -> str:
    """A valid, unused sheet name: no ``[]:*?/\\``, at most 31 characters."""
    base = " ".join(name.translate(_SHEET_FORBIDDEN).split())[:31].strip(" '") or "Sheet"
    candidate, n = base, 2
    while candidate.casefold() in used:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(candidate.casefold())
    return candidate
