"""Scores, bands and section means.

A respondent's score is the sum of the points of their answers to the role's
statements (20-100 for the MUS test). By default only complete answer sets
are scored, as the paper form does. ``max_missing`` allows a few missing
answers: the score is then prorated, the mean of the answered statements
times the number of statements, rounded half up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .instrument import ROLES, Instrument, load_instrument

if TYPE_CHECKING:
    from .read import RoundData, WideAnswers

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
    labels = cut.cat.categories.astype("string").array
    return pd.Series(labels.take(cut.cat.codes.to_numpy(), allow_fill=True), index=cut.index,
                     name=cut.name)


def _round_half_up(values: np.ndarray) -> np.ndarray:
    """Round to whole numbers, halves up (62.5 -> 63), as the form's users would."""
    return np.floor(np.asarray(values, dtype="float64") + 0.5)


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
    _check_max_missing(max_missing, instrument)
    # One row per respondent, one column per statement of their role.
    keys, grid = _answer_grid(answers, instrument)
    return _joined(_scores(keys, grid, instrument, max_missing), respondents)


def score_round(data: RoundData, *, instrument: Instrument | None = None,
                max_missing: int = 0) -> pd.DataFrame:
    """Score and band every respondent of a round, with their ``respondents`` columns.

    The same frame as ``score_respondents(data.answers, data.respondents)``,
    taken from the round's wide answers (:attr:`~mus_analysis.read.RoundData.wide`)
    when it has them, without building the long table.

    Parameters
    ----------
    data : RoundData
        The round as :func:`~mus_analysis.read_round` returns it.
    instrument, max_missing
        As for :func:`score_respondents`.
    """
    if data.wide is None:
        return score_respondents(data.answers, data.respondents, instrument=instrument,
                                 max_missing=max_missing)
    instrument = instrument or load_instrument()
    _check_max_missing(max_missing, instrument)
    keys, grid = _wide_grid(data.wide, instrument)
    return _joined(_scores(keys, grid, instrument, max_missing), data.respondents)


def _check_max_missing(max_missing: object, instrument: Instrument) -> None:
    if not isinstance(max_missing, int | np.integer) or isinstance(max_missing, bool) \
            or not 0 <= max_missing < instrument.n_items:
        raise ValueError(f"The value for `max_missing` must be a whole number from 0 to "
                         f"{instrument.n_items - 1}, but {max_missing!r} was passed.")


def _scores(keys: pd.DataFrame, grid: np.ndarray, instrument: Instrument,
            max_missing: int) -> pd.DataFrame:
    """Scores, bands and section means of the respondents ``keys``, from their points grid."""
    n_items = instrument.n_items
    result = keys.copy()
    result["answered"] = np.isfinite(grid).sum(axis=1)
    result["missing"] = n_items - result["answered"]
    given = ~np.isnan(grid)

    # Scores: complete sets as summed, allowed incomplete sets prorated.
    with np.errstate(invalid="ignore", divide="ignore"):
        total, _ = _sums(grid, given, range(n_items))
        mean = total / result["answered"].to_numpy()
    result["scored"] = (result["missing"] <= max_missing) & (result["answered"] > 0)
    result["prorated"] = result["scored"] & (result["missing"] > 0)
    score = np.where(result["prorated"], _round_half_up(mean * n_items), total)
    result["score"] = pd.array(np.where(result["scored"], score, np.nan),
                               dtype="Float64").astype("Int64")
    result["band"] = band_of(result["score"], instrument=instrument)
    # Why not scored: a function of the number missing, which has few values.
    reasons = ["" if missing <= max_missing and missing < n_items
               else f"{missing} of {n_items} statements not answered"
               for missing in range(n_items + 1)]
    result["reason"] = pd.array(reasons, dtype="str").take(result["missing"].to_numpy())

    # Mean points per section, over the answered statements.
    for section in instrument.sections["section"]:
        columns = _section_columns(instrument, section)
        with np.errstate(invalid="ignore", divide="ignore"):
            result[f"section_{section}"] = np.divide(*_sums(grid, given, columns)) \
                if columns else np.nan

    sections = [f"section_{s}" for s in instrument.sections["section"]]
    return result[[*RESPONDENT_KEYS, "unit", "answered", "missing", "scored", "score",
                   "band", "reason", "prorated", *sections]]


def _sums(grid: np.ndarray, given: np.ndarray, columns) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the sum and the number of the points ``given`` in ``columns``.

    Blanks are skipped, as :func:`numpy.nansum` and :func:`numpy.nanmean` skip
    them, column by column: no copy of the grid is made.
    """
    total = np.zeros(len(grid))
    count = np.zeros(len(grid), dtype=np.intp)
    for column in columns:
        np.add(total, grid[:, column], out=total, where=given[:, column])
        count += given[:, column]
    return total, count


def _joined(result: pd.DataFrame, respondents: pd.DataFrame | None) -> pd.DataFrame:
    """The scores with the further columns of ``respondents``, joined on the keys."""
    if respondents is None:
        return result
    extra = [c for c in respondents.columns if c not in result.columns]
    keys = respondents[RESPONDENT_KEYS].reset_index(drop=True)
    if keys.equals(result[RESPONDENT_KEYS]):  # row for row: what the join would give
        return pd.concat([result, respondents[extra].reset_index(drop=True)], axis=1)
    return result.merge(respondents[RESPONDENT_KEYS + extra], on=RESPONDENT_KEYS, how="left")


def _section_columns(instrument: Instrument, section: str) -> list[int]:
    """Positions (item number - 1) of a section's statements in the answer grid."""
    items = instrument.items
    return sorted(set(items.loc[items["section"] == section, "number"] - 1))


def _respondent_rows(answers: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each answer, the number of its respondent (in order of appearance),
    and for each respondent, the position of their first answer."""
    codes = []
    for column in RESPONDENT_KEYS:
        values = answers[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes.append((values.cat.codes.to_numpy(dtype="int64"), len(values.cat.categories)))
        else:
            found, uniques = pd.factorize(values)
            codes.append((found.astype("int64"), len(uniques)))
    combined = np.ravel_multi_index([c for c, _ in codes], [max(n, 1) for _, n in codes])
    row, _ = pd.factorize(combined)
    first = np.unique(row, return_index=True)[1]
    return row, first


def _answer_grid(answers: pd.DataFrame, instrument: Instrument) -> tuple[pd.DataFrame, np.ndarray]:
    """Respondent keys (with unit) and their points by item number, NaN where missing.

    Notes
    -----
    Both questionnaires number their statements 1..n, so column ``k`` holds
    statement ``k`` of whichever role the respondent has; sections are
    looked up by number, which holds for the built-in instrument, whose two
    forms share their layout.
    """
    number = dict(zip(instrument.items["item"], instrument.items["number"] - 1))
    row, first = _respondent_rows(answers)
    keys = answers.iloc[first][[*RESPONDENT_KEYS, "unit"]].reset_index(drop=True) \
        if "unit" in answers else \
        answers.iloc[first][RESPONDENT_KEYS].reset_index(drop=True).assign(unit=pd.NA)
    for column in ("round", "role", "respondent"):
        keys[column] = keys[column].astype(str)
    keys["unit"] = keys["unit"].astype("string")
    col = answers["item"].map(number).to_numpy(dtype="int64")
    grid = np.full((len(keys), instrument.n_items), np.nan)
    grid[row, col] = answers["points"].to_numpy(dtype="float64", na_value=np.nan)
    return keys[[*RESPONDENT_KEYS, "unit"]], grid


def _wide_grid(wide: WideAnswers, instrument: Instrument) -> tuple[pd.DataFrame, np.ndarray]:
    """As :func:`_answer_grid` gives them, from a round's wide answers."""
    keys = pd.DataFrame({
        "round": pd.array([wide.round], dtype="str").take(np.zeros(len(wide.role), dtype=int)),
        "role": pd.array(list(ROLES), dtype="str").take(wide.role.astype(int)),
        "respondent": pd.array(wide.respondent, dtype="str"),
        "unit": pd.array(wide.unit, dtype="string"),
    })
    number = dict(zip(instrument.items["item"], instrument.items["number"] - 1))
    columns = {role: [number[item] for item in items] for role, items in wide.items.items()}
    if all(cols == list(range(instrument.n_items)) for cols in columns.values()):
        return keys, wide.points
    grid = np.full((len(keys), instrument.n_items), np.nan)
    for code, role in enumerate(ROLES):
        rows = np.flatnonzero(wide.role == code)
        grid[rows[:, None], columns[role]] = wide.points[rows]
    return keys, grid
