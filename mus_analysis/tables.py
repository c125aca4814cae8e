"""The report's tables: the same figures on the page and in ``tables.xlsx``.

Each function builds one :class:`ReportTable` from a :class:`RoundAnalysis`:
headers in the report language, numbers kept as numbers (rounded as
``summary.json`` rounds them) and a number format per column. The notebook
displays a table (it renders itself as HTML with the language's separators),
and :func:`mus_analysis.export.write_workbook` writes the same tables to
Excel, one sheet each. A table about a withheld role is not built: the
function returns None.

The tables show what :class:`RoundAnalysis` holds, which is what the
anonymity rules of :mod:`mus_analysis.anonymity` allow: bands as runs where
needed, no statement with too few answers, units in groups. Every text from
the data (unit names) is escaped on the page and stored as text in Excel.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from . import text
from .analysis import RoundAnalysis

# Number formats, in Excel's notation; the page writes them the same way.
WHOLE = "0"
ONE_DECIMAL = "0.0"
TWO_DECIMALS = "0.00"
SIGNED = "+0.00;-0.00;0.00"


@dataclass(frozen=True)
class ReportTable:
    """One table of the report.

    Attributes
    ----------
    key : str
        A name that does not depend on the language, such as ``"bands"``.
    sheet : str
        The sheet name in ``tables.xlsx``, in the report language.
    frame : DataFrame
        The rows, headers in the report language. Numbers are numbers; a
        figure that is not shown is None.
    lang : str
        The report language, which decides how numbers are written.
    formats : dict
        Number format per numeric column (``"0"``, ``"0.00"``, ...); the
        other columns hold text.
    """

    key: str
    sheet: str
    frame: pd.DataFrame
    lang: str
    formats: dict[str, str] = field(default_factory=dict)

    def cell_text(self, column: str, value: object) -> str:
        """A cell as the page shows it."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return "\u2013"
        fmt = self.formats.get(column)
        if fmt is None:
            return str(value)
        decimals = len(fmt.split(";")[0].partition(".")[2])
        if fmt == SIGNED:
            return text.signed(value, self.lang, decimals)
        return text.number(value, self.lang, decimals)

    def to_html(self) -> str:
        """The table as a plain HTML ``<table>``, numbers right-aligned."""
        def cls(column):
            return ' class="num"' if column in self.formats else ""

        head = "".join(f'<th scope="col"{cls(c)}>{html.escape(str(c))}</th>'
                       for c in self.frame.columns)
        rows = []
        for values in self.frame.itertuples(index=False):
            cells = "".join(f"<td{cls(c)}>{html.escape(self.cell_text(c, v))}</td>"
                            for c, v in zip(self.frame.columns, values))
            rows.append(f"<tr>{cells}</tr>")
        return (f'<table class="report-table" data-table="{self.key}">\n'
                f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
                + "\n</tbody>\n</table>")

    def _repr_html_(self) -> str:
        return self.to_html()


def _table(key: str, sheet: str, rows: list[dict], lang: str,
           formats: dict[str, str]) -> ReportTable:
    frame = pd.DataFrame(rows, dtype=object)
    return ReportTable(key=key, sheet=sheet, frame=frame, lang=lang, formats=formats)


def _mean(value: float) -> float:
    return round(float(value), 2)


# The tables, in the order of the report -----------------------------------------


def largest_gaps(analysis: RoundAnalysis, lang: str) -> ReportTable | None:
    """The three pairs with the largest leader/employee gap (the summary's)."""
    w = text.words(lang)
    gaps = analysis.summary["headlines"]["largest_gaps"]
    if not gaps:
        return None
    return _table("largest_gaps", w["sheet_largest_gaps"], _gap_rows(analysis, gaps, lang),
                  lang, _gap_formats(analysis, lang))


def weakest(analysis: RoundAnalysis, lang: str) -> ReportTable | None:
    """The three statements with the lowest mean points, per shown role."""
    w = text.words(lang)
    texts = analysis.instrument.item_text(lang)
    rows = [{w["role"]: text.role_name(analysis, role, lang),
             w["statement"]: texts[entry["item"]],
             w["mean"]: entry["mean"]}
            for role, entries in analysis.summary["headlines"]["weakest_items"].items()
            for entry in entries]
    if not rows:
        return None
    return _table("weakest", w["sheet_weakest"], rows, lang, {w["mean"]: TWO_DECIMALS})


def responses(analysis: RoundAnalysis, lang: str) -> ReportTable:
    """Responses, scored responses and mean score per role; withheld roles
    show their number of responses only."""
    w = text.words(lang)
    rows = []
    for role, figures in analysis.summary["roles"].items():
        shown = not figures["withheld"]
        rows.append({w["role"]: text.role_name(analysis, role, lang),
                     w["respondents"]: figures["respondents"],
                     w["scored"]: figures["scored"] if shown else None,
                     w["mean_score"]: figures.get("mean_score") if shown else None})
    return _table("responses", w["sheet_responses"], rows, lang,
                  {w["respondents"]: WHOLE, w["scored"]: WHOLE, w["mean_score"]: ONE_DECIMAL})


def bands(analysis: RoundAnalysis, lang: str) -> ReportTable | None:
    """Respondents per band, or run of bands, and role, the highest first, with verdicts.

    One row per role and run: a role whose bands had to be merged has fewer
    rows, and a merged run's verdict says which bands it joins.
    """
    if not analysis.scores_shown:
        return None
    w = text.words(lang)
    rows = [{w["role"]: text.role_name(analysis, row.role, lang), w["band"]: row.band,
             w["verdict"]: text.run_verdict(analysis, row, lang), w["count"]: int(row.count)}
            for role in analysis.scores_shown
            for row in analysis.bands[analysis.bands["role"] == role].iloc[::-1].itertuples()]
    return _table("bands", w["sheet_bands"], rows, lang, {w["count"]: WHOLE})


def spread(analysis: RoundAnalysis, role: str, lang: str) -> ReportTable | None:
    """The figures behind one role's spread chart: answers per statement and
    scale point, the number of answers and their mean. A statement with too
    few answers has its row with no figures."""
    if role not in analysis.shown:
        return None
    return _spread_table(analysis, analysis.spread, role, lang, key=f"spread_{role}",
                         sheet=text.spread_sheet(analysis, role, lang))


def _spread_table(analysis: RoundAnalysis, frame: pd.DataFrame, role: str, lang: str, *,
                  key: str, sheet: str) -> ReportTable:
    w = text.words(lang)
    scale = analysis.instrument.scale
    labels = dict(zip(scale["points"], scale[lang]))
    counts = (frame[frame["role"] == role]
              .pivot(index="item", columns="points", values="count"))
    rows = []
    for item, statement in analysis.instrument.role_items(role)[["item", lang]].to_numpy():
        if item not in counts.index:
            rows.append({w["item"]: item, w["statement"]: statement,
                         **dict.fromkeys(labels.values()), w["answers"]: None, w["mean"]: None})
            continue
        row = counts.loc[item]
        total = int(row.sum())
        mean = (row * row.index).sum() / total if total else None
        rows.append({w["item"]: item, w["statement"]: statement,
                     **{labels[p]: int(row[p]) for p in scale["points"]},
                     w["answers"]: total, w["mean"]: None if mean is None else _mean(mean)})
    formats = {**dict.fromkeys(labels.values(), WHOLE), w["answers"]: WHOLE,
               w["mean"]: TWO_DECIMALS}
    return _table(key, sheet, rows, lang, formats)


def pairs(analysis: RoundAnalysis, lang: str) -> ReportTable | None:
    """Leaders' and employees' mean points on every pair, largest gap first."""
    if analysis.gaps.empty:
        return None
    w = text.words(lang)
    gaps = [{"pair": row.pair, "leader_mean": _mean(row.leader_mean),
             "employee_mean": _mean(row.employee_mean), "gap": _mean(row.gap)}
            for row in analysis.gaps.itertuples(index=False)]
    return _table("pairs", w["sheet_pairs"], _gap_rows(analysis, gaps, lang), lang,
                  _gap_formats(analysis, lang))


def sections(analysis: RoundAnalysis, lang: str) -> ReportTable | None:
    """Mean points per section and shown role."""
    if not analysis.shown:
        return None
    w = text.words(lang)
    means = analysis.sections.set_index(["role", "section"])["mean"]
    names = {role: text.role_name(analysis, role, lang) for role in analysis.shown}
    rows = [{w["section"]: name,
             **{names[role]: _mean(means[role, section]) if (role, section) in means.index
                else None for role in analysis.shown}}
            for section, name in analysis.instrument.sections[["section", lang]].to_numpy()]
    return _table("sections", w["sheet_sections"], rows, lang,
                  dict.fromkeys(names.values(), TWO_DECIMALS))


def units(analysis: RoundAnalysis, role: str, lang: str) -> ReportTable | None:
    """Respondents, mean score and bands per unit group of one role.

    One row per unit shown apart, then "other units" (the small units and the
    respondents without a unit), named with the units it holds. The band
    columns are the runs of bands the role's units share, highest first.
    None when the round has no units or the role's units cannot be shown.
    """
    groups = analysis.units[analysis.units["role"] == role]
    if groups.empty:
        return None
    w = text.words(lang)
    runs = analysis.figures.unit_bands[analysis.figures.unit_bands["role"] == role]
    labels = list(dict.fromkeys(runs["band"]))[::-1]
    rows = []
    for group in groups.itertuples(index=False):
        counts = runs[runs["group"] == group.group].set_index("band")["count"]
        rows.append({w["unit"]: text.unit_label(group, lang),
                     w["respondents"]: int(group.respondents), w["scored"]: int(group.scored),
                     w["mean_score"]: None if pd.isna(group.mean_score)
                     else round(float(group.mean_score), 2),
                     **{label: int(counts[label]) for label in labels}})
    formats = {w["respondents"]: WHOLE, w["scored"]: WHOLE, w["mean_score"]: ONE_DECIMAL,
               **dict.fromkeys(labels, WHOLE)}
    return _table(f"units_{role}", text.units_sheet(analysis, role, lang), rows, lang, formats)


def unit_spread(analysis: RoundAnalysis, role: str, lang: str) -> ReportTable | None:
    """The figures behind the chosen unit's spread chart for one role."""
    if analysis.unit is None or role not in analysis.unit.shown:
        return None
    return _spread_table(analysis, analysis.unit.spread, role, lang,
                         key=f"unit_spread_{role}",
                         sheet=text.unit_spread_sheet(analysis, role, lang))


def report_tables(analysis: RoundAnalysis, lang: str) -> list[ReportTable]:
    """Every table of the report, in the order of the report, for ``tables.xlsx``.

    The spread tables are the figures behind the spread charts, which the page
    shows as charts only.
    """
    roles = analysis.instrument.roles["role"]
    built = [largest_gaps(analysis, lang), weakest(analysis, lang),
             responses(analysis, lang), bands(analysis, lang),
             *(spread(analysis, role, lang) for role in analysis.shown),
             pairs(analysis, lang), sections(analysis, lang),
             *(units(analysis, role, lang) for role in roles),
             *(unit_spread(analysis, role, lang) for role in roles)]
    return [table for table in built if table is not None]


def _gap_rows(analysis: RoundAnalysis, gaps: list[dict], lang: str) -> list[dict]:
    w = text.words(lang)
    topics = analysis.instrument.pairs.set_index("pair")[lang]
    leaders, employees = (text.role_name(analysis, r, lang) for r in ("leader", "employee"))
    return [{w["pair"]: topics[g["pair"]], leaders: g["leader_mean"],
             employees: g["employee_mean"], w["gap"]: g["gap"]} for g in gaps]


def _gap_formats(analysis: RoundAnalysis, lang: str) -> dict[str, str]:
    w = text.words(lang)
    leaders, employees = (text.role_name(analysis, r, lang) for r in ("leader", "employee"))
    return {leaders: TWO_DECIMALS, employees: TWO_DECIMALS, w["gap"]: SIGNED}
