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

    A score between whole numbers takes the band of the number it rounds to,
    halves up (40.5 as 41), as prorated scores are rounded.

    Raises
    ------
    ValueError
        When a score lies outside every band.
    """
    instrument = instrument or load_instrument()
    values = pd.Series(scores).astype("Float64")
    codes = _band_codes(values.to_numpy(dtype="float64", na_value=np.nan), instrument)
    return pd.Series(_band_labels(instrument).take(codes, allow_fill=True),
                     index=values.index, name=values.name)


def _band_codes(scores: np.ndarray, instrument: Instrument) -> np.ndarray:
    """Each score's band as its position in ``instrument.bands``; -1 where missing.

    A band takes the whole numbers from its ``low`` to its ``high``; a score
    between whole numbers goes by the number it rounds to, halves up (40.5 as
    41), as prorated scores are rounded.

    Raises
    ------
    ValueError
        When a score lies outside every band.
    """
    bands = instrument.bands
    low, high = bands["low"].min(), bands["high"].max()
    missing = np.isnan(scores)
    outside = ~missing & ((scores < low) | (scores > high))
    if outside.any():
        raise ValueError(f"The scores {sorted(set(scores[outside].tolist()))} lie outside "
                         f"every band ({low}-{high}).")
    edges = (bands["high"].to_numpy(dtype="float64") + 0.5)[:-1]
    codes = np.searchsorted(edges, scores, side="right")
    codes[missing] = -1
    return codes


def _band_labels(instrument: Instrument) -> pd.api.extensions.ExtensionArray:
    return pd.array(instrument.bands["band"].tolist(), dtype="string")


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
    # Sums and counts of the answered statements, in all and per section, a
    # statement at a time: a copy of the grid with blanks as 0 would take as
    # much memory again.
    sections = instrument.sections["section"].tolist()
    in_sections = _item_sections(instrument)
    total, answered = np.zeros(len(grid)), np.zeros(len(grid), dtype="int64")
    sums, counts = np.zeros((len(sections), len(grid))), np.zeros((len(sections), len(grid)))
    given = np.empty(len(grid), dtype=bool)
    for column in range(n_items):
        points = grid[:, column]
        np.logical_not(np.isnan(points, out=given), out=given)
        np.add(total, points, out=total, where=given)
        answered += given
        for section in in_sections[column]:
            np.add(sums[section], points, out=sums[section], where=given)
            counts[section] += given
    missing = n_items - answered

    # Scores: complete sets as summed, allowed incomplete sets prorated.
    scored = (missing <= max_missing) & (answered > 0)
    prorated = scored & (missing > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(prorated, _round_half_up(total / answered * n_items), total)
        means = sums / counts  # per section, NaN where none is answered
    score[~scored] = np.nan
    # Why not scored: a function of the number missing, which has few values.
    reasons = ["" if n <= max_missing and n < n_items
               else f"{n} of {n_items} statements not answered" for n in range(n_items + 1)]

    columns = {key: keys[key].array for key in [*RESPONDENT_KEYS, "unit"]}
    columns.update({
        "answered": answered, "missing": missing, "scored": scored,
        "score": pd.arrays.IntegerArray(np.where(scored, score, 0).astype("int64"), ~scored),
        "band": _band_labels(instrument).take(_band_codes(score, instrument), allow_fill=True),
        "reason": pd.array(reasons, dtype="str").take(missing),
        "prorated": prorated,
    })
    columns.update({f"section_{section}": means[k] for k, section in enumerate(sections)})
    return pd.DataFrame(columns, copy=False)


def _joined(result: pd.DataFrame, respondents: pd.DataFrame | None) -> pd.DataFrame:
    """The scores with the further columns of ``respondents``, joined on the keys."""
    if respondents is None:
        return result
    extra = [c for c in respondents.columns if c not in result.columns]
    keys = respondents[RESPONDENT_KEYS].reset_index(drop=True)
    if keys.equals(result[RESPONDENT_KEYS]):  # row for row: what the join would give
        return pd.concat([result, respondents[extra].reset_index(drop=True)], axis=1)
    return result.merge(respondents[RESPONDENT_KEYS + extra], on=RESPONDENT_KEYS, how="left")


def _item_sections(instrument: Instrument) -> list[list[int]]:
    """For each position in the answer grid (item number - 1), the positions in
    ``instrument.sections`` of the sections its statements are in."""
    sections = instrument.sections["section"].tolist()
    found: list[list[int]] = [[] for _ in range(instrument.n_items)]
    pairs = instrument.items[["number", "section"]].drop_duplicates()
    for number, section in zip(pairs["number"], pairs["section"]):
        found[number - 1].append(sections.index(section))
    return found


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
