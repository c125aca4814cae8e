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
from PIL import Image
from PIL.PngImagePlugin import PngInfo

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
    drawing; the SVG and the PNG then share one layout.
    """
    if figure.get_layout_engine() is not None:
        figure.set_layout_engine("none")


def figure_svg(figure: Figure, *, alt: str | None = None, name: str = "chart") -> str:
    """The figure as an SVG document with ``alt`` as its ``<title>``.

    Text stays text (searchable, and editable in a drawing program), ids are
    derived from ``name`` so equal charts give equal files, and the layout
    found by this drawing is kept for the drawings after it.
    """
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        figure.savefig(buffer, format="svg", bbox_inches=None,
                       metadata={"Date": None, "Creator": None})
    freeze_layout(figure)
    return _describe_svg(buffer.getvalue(), alt)


def save_figure(figure: Figure, folder: str | Path, name: str, *,
                alt: str | None = None) -> list[Path]:
    """Write ``figure`` as ``folder/name.png`` and ``folder/name.svg``.

    The PNG is drawn at 200 dpi for slides, first: the layout it solves, at
    the resolution where text is widest, is kept for the SVG
    (:func:`figure_svg`), so neither cuts a label off. Both carry ``alt`` as
    their description.

    Returns
    -------
    list of Path
        The PNG and the SVG.
    """
    folder = Path(folder)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    image = _raster(figure, FIGURE_DPI)
    freeze_layout(figure)
    info = PngInfo()
    if alt:
        info.add_text("Description", alt)
    with atomic_path(png) as tmp:
        # RGB at a light compression: a third faster than matplotlib's RGBA
        # PNG, and smaller too, as the charts have no transparent parts.
        image.save(tmp, format="png", dpi=(FIGURE_DPI, FIGURE_DPI), pnginfo=info,
                   compress_level=1)
    with atomic_path(svg) as tmp:
        tmp.write_text(figure_svg(figure, alt=alt, name=name), encoding="utf-8")
    return [png, svg]


def _raster(figure: Figure, dpi: int) -> Image.Image:
    """The figure drawn at ``dpi`` as an RGB image (on white where it is see-through)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="rgba", dpi=dpi, bbox_inches=None)
    width = int(figure.get_figwidth() * dpi)  # as the Agg renderer sizes it
    size = (width, len(buffer.getbuffer()) // (4 * width))
    image = Image.frombuffer("RGBA", size, buffer.getbuffer(), "raw", "RGBA", 0, 1)
    if image.getextrema()[3][0] < 255:
        # A see-through background becomes white, as on a slide.
        image = Image.alpha_composite(Image.new("RGBA", size, "white"), image)
    return image.convert("RGB")


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
