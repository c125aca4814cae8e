"""Scores, bands and section means.

A respondent's score is the sum of the points of their answers to the role's
statements (20-100 for the MUS test). By default only complete answer sets
are scored, as the paper form does. ``max_missing`` allows a few missing
answers: the score is then prorated, the mean of the answered statements
times the number of statements, rounded half up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .instrument import Instrument, load_instrument

RESPONDENT_KEYS = ["round", "role", "respondent"]


def band_of(scores: pd.Series, *, instrument: Instrument | None = None) -> pd.Series:
    """The band label of each score; missing where the score is missing.

    Raises
    ------
    ValueError
        When a score lies outside every band.
    """
    instrument = instrument or load_instrument()
    bands = instrument.bands
    values = pd.to_numeric(scores).astype("Float64")
    outside = values.notna() & ~values.between(bands["low"].min(), bands["high"].max())
    if outside.any():
        raise ValueError(f"The scores {sorted(values[outside].unique())} lie outside every "
                         f"band ({bands['low'].min()}-{bands['high'].max()}).")
    edges = [bands["low"].iloc[0] - 0.5, *(bands["high"] + 0.5)]
    cut = pd.cut(values.astype("float64"), bins=edges, labels=bands["band"].tolist())
    return cut.astype("string")


def _round_half_up(values: pd.Series) -> pd.Series:
    return np.floor(values.astype("float64") + 0.5)


def score_respondents(answers: pd.DataFrame, respondents: pd.DataFrame | None = None, *,
                      instrument: Instrument | None = None,
                      max_missing: int = 0) -> pd.DataFrame:
    """Score and band every respondent.

    Parameters
    ----------
    answers : DataFrame
        Long answers: ``round``, ``role``, ``respondent``, ``unit``, ``item``,
        ``points`` (missing where unanswered).
    respondents : DataFrame, optional
        One row per respondent with further columns to keep (e.g. ``file``,
        ``row``); joined on ``round``, ``role``, ``respondent``.
    instrument : Instrument, optional
        The questionnaire; the built-in MUS test by default.
    max_missing : int, default 0
        How many unanswered statements a respondent may have and still be
        scored (prorated). 0 scores complete answer sets only.

    Returns
    -------
    DataFrame
        One row per respondent: the keys, ``unit``, ``answered``, ``missing``,
        ``scored`` (bool), ``score`` (Int64), ``band`` (string), ``reason``
        (why not scored; empty when scored), ``prorated`` (bool), and the mean
        points per section as ``section_<id>``.
    """
    instrument = instrument or load_instrument()
    if not isinstance(max_missing, int | np.integer) or isinstance(max_missing, bool) \
            or not 0 <= max_missing < instrument.n_items:
        raise ValueError(f"The value for `max_missing` must be a whole number from 0 to "
                         f"{instrument.n_items - 1}, but {max_missing!r} was passed.")
    n_items = instrument.n_items
    section = answers["item"].map(dict(zip(instrument.items["item"],
                                           instrument.items["section"])))
    frame = answers.assign(section=section, points=answers["points"].astype("Float64"))

    # Totals per respondent.
    keys = RESPONDENT_KEYS
    grouped = frame.groupby(keys, sort=False)
    result = grouped.agg(unit=("unit", "first"), answered=("points", "count"),
                         total=("points", "sum"), mean=("points", "mean")).reset_index()
    result["missing"] = n_items - result["answered"]

    # Scores: complete sets as summed, allowed incomplete sets prorated.
    result["scored"] = result["missing"] <= max_missing
    result["prorated"] = result["scored"] & (result["missing"] > 0)
    prorated = _round_half_up(result["mean"] * n_items)
    score = result["total"].where(~result["prorated"], prorated)
    result["score"] = score.where(result["scored"]).astype("Int64")
    result["band"] = band_of(result["score"], instrument=instrument)
    result["reason"] = np.where(
        result["scored"], "",
        result["missing"].astype(str) + f" of {n_items} statements not answered")

    # Mean points per section, over the answered statements.
    sections = (frame.groupby([*keys, "section"], sort=False)["points"].mean()
                .unstack("section").add_prefix("section_").reset_index())
    result = result.merge(sections, on=keys, how="left")

    columns = [*keys, "unit", "answered", "missing", "scored", "score", "band", "reason",
               "prorated", *sorted(c for c in result.columns if c.startswith("section_"))]
    result = result[columns]
    if respondents is not None:
        extra = [c for c in respondents.columns if c not in result.columns]
        result = result.merge(respondents[keys + extra], on=keys, how="left")
    return result
