"""Text that a spreadsheet program must never run as a formula.

Unit names, column headers and answers come from survey exports, so a cell
may hold ``=HYPERLINK(...)``, ``+cmd|...`` or ``@SUM(...)``. Excel, LibreOffice
and Google Sheets run such text as a formula when a CSV file is opened.
:func:`neutralise` puts an apostrophe before text that starts like a
formula, which every spreadsheet program shows as plain text (OWASP's advice
against CSV injection). ``tables.xlsx`` marks such cells as text instead
(:func:`mus_analysis.export.write_workbook`); Parquet files keep the text as
it was.
"""

from __future__ import annotations

import pandas as pd

# Text starting with one of these could be read as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """``value`` with an apostrophe in front when it starts like a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and headers) cannot run as formulas.

    Only text is changed: numbers, including negative ones, stay numbers.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Large answer tables keep their categories: only the risky ones are renamed.
            names = [neutralise(c) if isinstance(c, str) else c for c in values.cat.categories]
            if names != list(values.cat.categories):
                out[column] = (values.cat.rename_categories(names) if len(set(names)) ==
                               len(names) else values.astype(object).map(
                                   lambda v: neutralise(v) if isinstance(v, str) else v))
        elif values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
            if risky.any():
                out[column] = values.astype(object).where(
                    ~risky, values[risky].map(neutralise))
                if isinstance(values.dtype, pd.StringDtype):
                    out[column] = out[column].astype(values.dtype)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out
