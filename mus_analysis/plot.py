"""The report's charts: score bands, the spread of answers and the pairs.

Each function takes one of the package's tidy summary tables, draws it with
matplotlib and seaborn, and returns the :class:`~matplotlib.axes.Axes` or
:class:`~matplotlib.figure.Figure` it drew on. Every word on a chart comes
from the instrument or from :data:`_WORDS`, in Danish (``lang="da"``, the
default) or English (``lang="en"``).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from .instrument import LANGUAGES, ROLES, Instrument, load_instrument

__all__ = ["ROLE_PALETTE", "SCALE_PALETTE", "plot_band_runs", "plot_bands", "plot_pairs",
           "plot_spread"]

# ColorBrewer RdYlBu with five classes, a diverging palette that stays readable
# for the common kinds of colour blindness: Aldrig (red) .. Altid (blue).
SCALE_PALETTE = ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6")

# Okabe-Ito blue and orange: one colour per role, in every chart.
ROLE_PALETTE = {"leader": "#0072b2", "employee": "#e69f00"}

# The chart words that do not come from the instrument.
_WORDS = {
    "da": {
        "bands_title": "Tendens: antal respondenter pr. pointgruppe",
        "bands_x": "Antal respondenter",
        "bands_y": "Samlet point",
        "bands_merged": "Sammenlagte pointgrupper",
        "spread_title": "Spredning",
        "spread_x": "Andel af svarene",
        "pairs_title": "Ledere og medarbejdere side om side",
        "pairs_x": "Gennemsnitligt svar",
        "pairs_gap": "Forskel",
        "percent": "{:.0f} %",
        "decimal": ",",
        "thousands": ".",
    },
    "en": {
        "bands_title": "Trend: number of respondents per score band",
        "bands_x": "Number of respondents",
        "bands_y": "Total points",
        "bands_merged": "Combined bands",
        "spread_title": "Spread",
        "spread_x": "Share of answers",
        "pairs_title": "Leaders and employees side by side",
        "pairs_x": "Mean answer",
        "pairs_gap": "Gap",
        "percent": "{:.0f}%",
        "decimal": ".",
        "thousands": ",",
    },
}

FIG_WIDTH = 9.5  # inches: about 900 px in an HTML report at 96 dpi
STATEMENT_WIDTH = 55  # characters per line of a statement's text
VERDICT_WIDTH = 32  # characters per line of a band's verdict
TOPIC_WIDTH = 40  # characters per line of a pair's topic
MIN_LABELLED_SHARE = 0.08  # smaller segments of a spread bar carry no label
BAR_HEIGHT = 0.72  # of a spread bar, in rows
SECTION_ROWS = 0.7  # height of a section's heading in a spread chart, in rows

_PARAM_DOCS = {
    "instrument": """\
instrument : Instrument, optional
    The questionnaire whose texts label the chart. Without it, the built-in
    MUS test from :func:`~mus_analysis.load_instrument` is used.""",
    "lang": """\
lang : {"da", "en"}
    Language of every word on the chart.""",
}


def plot_bands(
    data: pd.DataFrame,
    *,
    instrument: Instrument | None = None,
    lang: str = "da",
    ax: Axes | None = None,
) -> Axes:
    # The docstring is set below, to share the parameter text.
    words = _words(lang)
    instrument = _resolve_instrument(instrument)
    _check_columns(data, ["role", "band", "count"])
    roles = instrument.roles.set_index("role")
    bands = instrument.bands
    _check_values(data["role"], "role", ROLES)
    _check_values(data["band"], "band", bands["band"])
    _check_counts(data["count"], "count")
    _check_unique(data, ["role", "band"])

    # One column per present role, one row per band from the top; a missing band is 0.
    present = [role for role in ROLES if role in set(data["role"])]
    order = bands["band"].tolist()[::-1]
    counts = (
        data.assign(role=data["role"].astype(str), band=data["band"].astype(str))
        .pivot(index="band", columns="role", values="count")
        .reindex(index=order, columns=present)
        .fillna(0)
        .astype(int)
    )
    verdicts = dict(zip(bands["band"], bands[lang]))
    labels = [f"{literal(band)}\n" + _wrap(verdicts[band], VERDICT_WIDTH) for band in order]

    # Draw the roles side by side within each band.
    if ax is None:
        _, ax = plt.subplots(figsize=(FIG_WIDTH, 5.5), layout="constrained")
    y = np.arange(len(order))
    height = 0.8 / max(len(present), 2)  # one role keeps the width it has beside the other
    for k, role in enumerate(present):
        offset = (k - (len(present) - 1) / 2) * height
        bars = ax.barh(
            y + offset, counts[role], height=height, color=ROLE_PALETTE[role],
            label=literal(roles.loc[role, lang]),
        )
        ax.bar_label(bars, [_integer(v, lang) for v in counts[role]], padding=3)
    if present:
        ax.legend(frameon=False, loc="lower right")

    # Label
    ax.set_yticks(y, labels)
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlim(0, max(int(counts.to_numpy().max(initial=0)), 1) * 1.12)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _integer(x, lang)))
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(words["bands_x"])
    ax.set_ylabel(words["bands_y"])
    ax.set_title(words["bands_title"], loc="left")
    sns.despine(ax=ax)
    return ax


plot_bands.__doc__ = """\
Draw how many respondents fall in each score band ("Tendens").

One horizontal bar per role and band, the highest band at the top. A band's
tick label shows the band and its verdict; the count is written at the end of
each bar. A role without rows (withheld for anonymity) is simply not drawn.

Parameters
----------
data : DataFrame
    One row per role and band: ``role`` (``"leader"`` or ``"employee"``),
    ``band`` (a band label of the instrument, such as ``"61-80"``) and
    ``count`` (respondents, a whole number). A band missing for a present
    role is drawn as 0.
{instrument}
{lang}
ax : Axes, optional
    Axes to draw on. Without it, a new figure about 900 px wide is made.

Returns
-------
Axes
    The Axes with the chart.

Raises
------
ValueError
    If a column is missing, a role or band is unknown, a count is negative or
    not whole, or a role and band appear twice.
""".format(**_PARAM_DOCS)


def plot_spread(
    data: pd.DataFrame,
    *,
    role: str,
    instrument: Instrument | None = None,
    lang: str = "da",
    fig: Figure | None = None,
    title: str | None = None,
) -> Figure:
    # The docstring is set below, to share the parameter text.
    words = _words(lang)
    _check_choice("role", role, ROLES)
    instrument = _resolve_instrument(instrument)
    _check_columns(data, ["role", "item", "points", "share"])
    points = instrument.scale["points"].tolist()
    items = instrument.role_items(role)
    _check_values(data["role"], "role", ROLES)
    data = data[data["role"] == role]
    if data.empty:
        raise ValueError(f"`data` has no rows for role {role!r}; there is no spread to draw.")
    _check_values(data["item"], "item", items["item"])
    _check_values(data["points"], "points", points)
    _check_shares(data["share"])
    _check_unique(data, ["item", "points"])

    # Widths in percent: one row per item of the role, one column per answer.
    percent = (
        data.assign(item=data["item"].astype(str), points=data["points"].astype(int))
        .pivot(index="item", columns="points", values="share")
        .reindex(index=items["item"], columns=points)
        .fillna(0.0)
        * 100
    )
    scale_names = [literal(name) for name in instrument.scale[lang]]
    colours = _scale_colours(len(points))

    # One axes: per section a heading, then its statements, top to bottom. A
    # statement's row is one unit tall, or taller for a label of over three lines.
    sections = [s for s in instrument.sections["section"] if s in set(items["section"])]
    section_names = instrument.sections.set_index("section")[lang]
    ordered = items.set_index("section").loc[sections]
    labels = [_wrap(text, STATEMENT_WIDTH) for text in ordered[lang]]
    tall = np.array([max(1.0, (label.count("\n") + 1) / 3) for label in labels])
    if fig is None:
        height = 0.48 * (tall.sum() + SECTION_ROWS * len(sections)) + 1.3
        fig = plt.figure(figsize=(FIG_WIDTH, height), layout="constrained")
    elif fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")  # places the legend below the axes
    ax = fig.add_subplot()
    rows = np.empty(len(labels))
    top, k = 0.0, 0
    for section in sections:
        if top:
            ax.axhline(top, color="0.8", linewidth=0.8)
        ax.text(0, top + SECTION_ROWS / 2, literal(section_names[section]), ha="left",
                va="center", transform=ax.get_yaxis_transform(), fontweight="bold",
                fontsize="medium")
        top += SECTION_ROWS
        for _ in range(int((items["section"] == section).sum())):
            rows[k] = top + tall[k] / 2
            top += tall[k]
            k += 1
    _draw_stacked(ax, rows, percent.loc[ordered["item"]].to_numpy(), colours, words["percent"])
    ax.set_yticks(rows, labels)
    ax.set_ylim(top, 0)
    ax.tick_params(axis="y", length=0)
    sns.despine(ax=ax, left=True)

    # The scale below, one legend and the title.
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: words["percent"].format(x)))
    ax.set_xlabel(words["spread_x"])
    # A thin grey edge keeps the palest colour visible on white paper.
    handles = [Patch(facecolor=c, edgecolor="0.55", linewidth=0.5) for c in colours]
    fig.legend(
        handles, scale_names, loc="outside lower center", ncol=len(points), frameon=False,
    )
    role_name = instrument.roles.set_index("role").loc[role, lang]
    heading = f"{words['spread_title']}: {literal(role_name)}" if title is None \
        else literal(title)
    fig.suptitle(heading, x=0.01, ha="left", fontsize="large")
    return fig


plot_spread.__doc__ = """\
Draw how one role's answers spread over the scale ("Spredning").

One 100 % stacked horizontal bar per statement, in questionnaire order and
grouped by section under a heading. The segments run from the lowest answer
(Aldrig) to the highest (Altid) in the colours of :data:`SCALE_PALETTE`;
segments of at least 8 % carry their percentage. A statement with no rows in
`data` gets an empty bar.

Parameters
----------
data : DataFrame
    One row per role, statement and answer: ``role``, ``item`` (such as
    ``"L07"``), ``points`` (1-5) and ``share`` (0-1, the answer's share of the
    statement's answers). Further columns, such as ``count``, are ignored, as
    are the rows of the other role.
role : {{"leader", "employee"}}
    Whose answers to draw.
{instrument}
{lang}
fig : Figure, optional
    An empty figure to draw on; it gets the constrained layout unless it has
    a layout engine already. Without it, a new figure about 900 px wide is
    made, its height following the number of statements.
title : str, optional
    The chart's title instead of "Spread: <role>", drawn as plain text
    (a ``$`` in it is no mathematics).

Returns
-------
Figure
    The figure, with one Axes: the statements are its y ticks (top to
    bottom), each section's heading is a bold text above its statements, and
    the segments are the rectangles of ``ax.collections[0]``.

Raises
------
ValueError
    If `role` or `lang` is unknown, a column is missing, `data` has no rows
    for `role`, an item, role or points value is unknown, a share is outside
    0-1, or an item and points value appear twice.
""".format(**_PARAM_DOCS)


def plot_pairs(
    data: pd.DataFrame,
    *,
    instrument: Instrument | None = None,
    lang: str = "da",
    ax: Axes | None = None,
) -> Axes:
    # The docstring is set below, to share the parameter text.
    words = _words(lang)
    instrument = _resolve_instrument(instrument)
    _check_columns(data, ["pair", "leader_mean", "employee_mean", "gap"])
    if data.empty:
        raise ValueError("`data` has no rows; there are no pairs to draw.")
    pairs = instrument.pairs.set_index("pair")
    _check_values(data["pair"], "pair", pairs.index)
    _check_unique(data, ["pair"])
    points = instrument.scale["points"]
    low, high = int(points.min()), int(points.max())
    for column in ("leader_mean", "employee_mean"):
        _check_means(data[column], column, low, high)

    # One row per pair, in the given order from the top; a topic of over two
    # lines gets a taller row.
    topics = [_wrap(topic, TOPIC_WIDTH) for topic in data["pair"].astype(str).map(pairs[lang])]
    tall = np.array([max(1.0, (topic.count("\n") + 1) / 2) for topic in topics])
    y = np.cumsum(tall) - tall / 2 - 0.5
    leader = data["leader_mean"].to_numpy(dtype=float)
    employee = data["employee_mean"].to_numpy(dtype=float)
    gap = data["gap"].to_numpy(dtype=float)
    roles = instrument.roles.set_index("role")[lang]

    # Draw
    if ax is None:
        height = 0.36 * tall.sum() + 1.6
        _, ax = plt.subplots(figsize=(FIG_WIDTH, height), layout="constrained")
    ax.hlines(y, employee, leader, color="0.6", linewidth=2, zorder=1)
    for role, means in (("employee", employee), ("leader", leader)):
        ax.scatter(
            means, y, s=60, color=ROLE_PALETTE[role], label=literal(roles[role]),
            edgecolor="white", linewidth=0.8, zorder=2,
        )
    for row, value in zip(y, gap):
        if not np.isnan(value):
            ax.text(1.01, row, _signed(value, lang), transform=ax.get_yaxis_transform(),
                    va="center", ha="left")
    ax.text(1.01, -0.9, words["pairs_gap"], transform=ax.get_yaxis_transform(),
            va="bottom", ha="left", fontweight="bold")

    # Label
    ax.set_yticks(y, topics)
    ax.set_ylim(tall.sum() - 0.5, -0.5)
    ax.set_xlim(low - 0.2, high + 0.2)
    ax.set_xticks(points.tolist(), [literal(name) for name in instrument.scale[lang]])
    ax.set_xlabel(words["pairs_x"])
    ax.grid(axis="x", color="0.9")
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="lower left", bbox_to_anchor=(0, 1),
              ncol=2, frameon=False, borderaxespad=0.2)
    ax.set_title(words["pairs_title"], loc="left", pad=26)
    sns.despine(ax=ax, left=True)
    return ax


plot_pairs.__doc__ = """\
Draw the leaders' and the employees' mean answers pair by pair.

A dot chart with one row per leader/employee pair, labelled with the pair's
topic: a line joins the employees' mean to the leaders' mean, each marked in
its role's colour (:data:`ROLE_PALETTE`), and the gap is written at the right.
The rows keep the order of `data`, top first.

Parameters
----------
data : DataFrame
    One row per pair: ``pair`` (such as ``"P07"``), ``leader_mean`` and
    ``employee_mean`` (mean points, 1-5, or missing where a role is
    withheld) and ``gap`` (leader minus employee).
{instrument}
{lang}
ax : Axes, optional
    Axes to draw on. Without it, a new figure about 900 px wide is made.

Returns
-------
Axes
    The Axes with the chart.

Raises
------
ValueError
    If `lang` is unknown, a column is missing, `data` has no rows, a pair is
    unknown or appears twice, or a mean lies outside the scale.
""".format(**_PARAM_DOCS)


def plot_band_runs(
    data: pd.DataFrame,
    *,
    instrument: Instrument | None = None,
    lang: str = "da",
) -> Figure:
    # The docstring is set below, to share the parameter text.
    words = _words(lang)
    instrument = _resolve_instrument(instrument)
    _check_columns(data, ["role", "band", "first", "last", "count"])
    bands = instrument.bands["band"].tolist()
    _check_values(data["role"], "role", ROLES)
    _check_values(data["first"], "first", bands)
    _check_values(data["last"], "last", bands)
    _check_counts(data["count"], "count")
    _check_unique(data, ["role", "first"])

    # One panel per present role; rows are the bands from the top.
    present = [role for role in ROLES if role in set(data["role"])]
    order = bands[::-1]
    row = {band: i for i, band in enumerate(order)}
    verdicts = dict(zip(instrument.bands["band"], instrument.bands[lang]))
    labels = [f"{literal(band)}\n" + _wrap(verdicts[band], VERDICT_WIDTH) for band in order]
    roles = instrument.roles.set_index("role")[lang]
    fig, axes = plt.subplots(1, max(len(present), 1), sharey=True, squeeze=False,
                             figsize=(FIG_WIDTH, 5.5), layout="constrained")

    # Draw: a run of bands is one bar as tall as the bands it joins, hatched.
    merged = False
    for ax, role in zip(axes[0], present):
        part = data[data["role"] == role]
        for run in part.itertuples(index=False):
            top, bottom = row[str(run.last)], row[str(run.first)]
            joined = top != bottom
            merged |= joined
            bar = ax.barh((top + bottom) / 2, int(run.count), height=bottom - top + 0.7,
                          color=ROLE_PALETTE[role], edgecolor="white", linewidth=0.6,
                          hatch="///" if joined else None)
            text = _integer(run.count, lang) + (f" ({literal(run.band)})" if joined else "")
            ax.bar_label(bar, [text], padding=3)
        ax.set_xlim(0, max(int(part["count"].max()), 1) * 1.25)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: _integer(x, lang)))
        ax.set_title(literal(roles[role]), loc="left")
        ax.tick_params(axis="y", length=0)
        sns.despine(ax=ax)

    # Label
    first = axes[0, 0]
    first.set_yticks(range(len(order)), labels)
    first.set_ylim(len(order) - 0.5, -0.5)
    first.set_ylabel(words["bands_y"])
    fig.supxlabel(words["bands_x"], fontsize="medium")
    if merged:
        handle = Patch(facecolor="0.6", edgecolor="white", hatch="///",
                       label=words["bands_merged"])
        fig.legend(handles=[handle], loc="outside lower right", frameon=False)
    fig.suptitle(words["bands_title"], x=0.01, ha="left", fontsize="large")
    return fig


plot_band_runs.__doc__ = """\
Draw how many respondents fall in each band, or run of merged bands ("Tendens").

One panel per role, the highest band at the top, each band's tick label
showing the band and its verdict. A band is a bar with its count at the end.
A run of neighbouring bands merged for anonymity (see
:func:`~mus_analysis.summarise.shown_bands`) is one hatched bar as tall as the
bands it joins, labelled with its count and its points. A role without rows
is not drawn.

Parameters
----------
data : DataFrame
    One row per role and band or run: ``role``, ``band`` (the run's label,
    such as ``"41-100"``), ``first`` and ``last`` (the labels of its lowest
    and highest band of the instrument) and ``count`` (respondents, a whole
    number), as :func:`~mus_analysis.summarise.shown_bands` returns.
{instrument}
{lang}

Returns
-------
Figure
    The figure, with one Axes per role.

Raises
------
ValueError
    If a column is missing, a role or band is unknown, a count is negative or
    not whole, or a role has two runs that start at the same band.
""".format(**_PARAM_DOCS)


def literal(text: object) -> str:
    """``text`` as matplotlib draws it literally: a ``$`` starts no mathematics.

    Text from the data (unit names) may hold dollar signs, which matplotlib
    would otherwise read as mathematics and may fail to draw.
    """
    return str(text).replace("$", r"\$")


def _words(lang: str) -> dict[str, str]:
    _check_choice("lang", lang, LANGUAGES)
    return _WORDS[lang]


def _resolve_instrument(instrument: Instrument | None) -> Instrument:
    return load_instrument() if instrument is None else instrument


def _check_choice(name: str, value: object, options) -> None:
    options = list(options)
    if value not in options:
        raise ValueError(
            f"The value for `{name}` must be one of {options}, but {value!r} was passed."
        )


def _check_columns(data: pd.DataFrame, required: list[str]) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`data` must be a pandas DataFrame, not {type(data).__name__}.")
    missing = [column for column in required if column not in data.columns]
    if missing:
        raise ValueError(
            f"`data` lacks {len(missing)} of the {len(required)} required columns: {missing}. "
            f"It has {len(data.columns)} columns: {[str(c) for c in data.columns]}."
        )


def _check_values(values: pd.Series, name: str, options) -> None:
    options = [_plain(option) for option in options]
    known = set(options)
    for value in map(_plain, values):
        if value not in known:
            _check_choice(name, value, options)


def _plain(value: object) -> object:
    """A NumPy scalar as the Python value it holds, for messages and lookups."""
    return value.item() if isinstance(value, np.generic) else value


def _check_counts(values: pd.Series, name: str) -> None:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() | (numbers < 0) | (numbers % 1 != 0)
    if bad.any():
        raise ValueError(
            f"The column `{name}` must hold whole numbers of 0 or more, but "
            f"{_plain(values[bad].iloc[0])!r} was passed ({int(bad.sum())} of {len(values)} rows)."
        )


def _check_shares(values: pd.Series) -> None:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() | (numbers < 0) | (numbers > 1)
    if bad.any():
        raise ValueError(
            "The column `share` must hold fractions from 0 to 1, but "
            f"{_plain(values[bad].iloc[0])!r} was passed ({int(bad.sum())} of {len(values)} rows)."
        )


def _check_means(values: pd.Series, name: str, low: int, high: int) -> None:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & (numbers.isna() | (numbers < low) | (numbers > high))
    if bad.any():
        raise ValueError(
            f"The column `{name}` must hold mean points from {low} to {high}, but "
            f"{_plain(values[bad].iloc[0])!r} was passed ({int(bad.sum())} of {len(values)} rows)."
        )


def _check_unique(data: pd.DataFrame, keys: list[str]) -> None:
    repeated = data.duplicated(subset=keys, keep=False)
    if repeated.any():
        first = data.loc[repeated, keys].iloc[0].tolist()
        raise ValueError(
            f"`data` must have one row per {' and '.join(keys)}, but {int(repeated.sum())} "
            f"rows share a key, e.g. {first}."
        )


def _wrap(text: str, width: int) -> str:
    """Break ``text`` into lines of at most ``width`` characters, keeping words
    whole, as :func:`literal` text (questionnaires are data too).

    The lines are balanced: as few as at ``width``, but as even as possible, so
    that no single word is left alone on the last line.
    """
    text = str(text)
    options = {"break_long_words": False, "break_on_hyphens": False}
    lines = textwrap.wrap(text, width, **options)
    for narrower in range(-(-len(text) // max(len(lines), 1)), width):
        balanced = textwrap.wrap(text, narrower, **options)
        if len(balanced) <= len(lines):
            return literal("\n".join(balanced))
    return literal("\n".join(lines))


def _scale_colours(n: int) -> list[str]:
    if n == len(SCALE_PALETTE):
        return list(SCALE_PALETTE)
    return sns.color_palette("RdYlBu", n).as_hex()


def _draw_stacked(ax: Axes, y: np.ndarray, rows: np.ndarray, colours, percent: str) -> None:
    """Draw 100 % stacked bars, one segment per answer, labelling the wide ones.

    The segments are one collection of rectangles (``ax.collections[0]``, in
    scale order within each bar), which draws far faster than a patch each.
    """
    left = np.zeros(len(y))
    corners, faces = [], []
    for k, colour in enumerate(colours):
        widths = rows[:, k]
        for row in np.flatnonzero(widths > 0):
            x0, x1 = left[row], left[row] + widths[row]
            y0, y1 = y[row] - BAR_HEIGHT / 2, y[row] + BAR_HEIGHT / 2
            corners.append([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            faces.append(colour)
        text_colour = "white" if _is_dark(colour) else "black"
        for row in np.flatnonzero(widths >= MIN_LABELLED_SHARE * 100):
            ax.text(left[row] + widths[row] / 2, y[row], percent.format(widths[row]),
                    ha="center", va="center", color=text_colour, fontsize="small",
                    in_layout=False)  # inside its bar: no concern of the layout
        left = left + widths
    ax.add_collection(PolyCollection(corners, facecolors=faces, edgecolors="white",
                                     linewidths=0.6), autolim=False)


def _is_dark(colour: str) -> bool:
    red, green, blue = to_rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue < 0.5


def _integer(value: float, lang: str) -> str:
    """A whole number with the thousands separator of ``lang``: ``1.234`` or ``1,234``."""
    return f"{round(value):,d}".replace(",", _WORDS[lang]["thousands"])


def _signed(value: float, lang: str) -> str:
    value = round(value, 1) or 0.0  # no "-0.0"
    text = f"{value:+.1f}".replace("-", "\u2212")
    return text.replace(".", _WORDS[lang]["decimal"])
