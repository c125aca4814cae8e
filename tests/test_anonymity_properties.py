"""Anonymity that survives arithmetic, checked on generated rounds (hypothesis).

Each example is a round with units of random sizes (some empty, some tiny),
respondents without a unit, random bands, incomplete answer sets and, now
and then, a chosen unit. The round is analysed as a report analyses it, and
the figures the report shows (``summary.json`` and the tables of
``tables.xlsx``) are held against the truth:

- every figure describes no fewer respondents than the threshold;
- no group that is not shown can be had from the shown figures by adding
  and subtracting them: for units an exhaustive search over every set of
  units, for band counts an exact integer search (scipy's MILP) for any
  set of (unit, band) cells with 1 to ``k - 1`` people whose count is a
  linear combination of the shown counts;
- a chosen unit's spread, subtracted from its role's, leaves a safe group;
- the answer sets with missing answers that a spread counts are safe too.

Every threshold from 3 to 10 gets its own run. ``MUS_HYPOTHESIS_EXAMPLES``
sets the examples per threshold (default 12).
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from test_units import PREFIX, round_data

from mus_analysis import load_instrument, tables
from mus_analysis.analysis import analyse_data
from mus_analysis.anonymity import safe

INS = load_instrument()
BANDS = INS.bands["band"].tolist()
KEY = bytes(range(32))
EXAMPLES = int(os.environ.get("MUS_HYPOTHESIS_EXAMPLES", "12"))


# Generated rounds ------------------------------------------------------------------


@st.composite
def person(draw) -> list:
    """20 answers: mostly one point (which sets the band), one other, maybe a blank."""
    p, q = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    blank = draw(st.sampled_from([False] * 5 + [True]))
    return [None if blank else p, q] + [p] * 18


@st.composite
def generated_round(draw, k: int):
    """(people, max_missing, unit): people as (role, unit or None, points)."""
    people = []
    for role in PREFIX:
        for unit in [f"U{i}" for i in range(draw(st.integers(1, 4)))] + [None]:
            most = 3 if unit is None else 2 * k + 2
            for points in draw(st.lists(person(), max_size=most)):
                people.append((role, unit, points))
    units = sorted({u for _, u, _ in people if u is not None})
    unit = draw(st.sampled_from([None, *units])) if units else None
    return people, draw(st.sampled_from([0, 1])), unit


# The attacker's tools ----------------------------------------------------------------------


def in_span(rows: np.ndarray, vector: np.ndarray) -> bool:
    """Whether ``vector`` is a linear combination of ``rows``."""
    return np.linalg.matrix_rank(np.vstack([rows, vector])) == np.linalg.matrix_rank(rows)


def small_group_in_span(rows: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray | None:
    """A 0/1 choice of cells whose total is 1 to k - 1 and a linear combination of
    ``rows`` (so its total follows from the shown counts), or None if there is none."""
    m, n = rows.shape
    combination = LinearConstraint(np.hstack([np.eye(n), -rows.T]), 0, 0)
    size = LinearConstraint(np.r_[counts, np.zeros(m)][None, :], 1, k - 1)
    result = milp(np.zeros(n + m), constraints=[combination, size],
                  integrality=np.r_[np.ones(n), np.zeros(m)],
                  bounds=Bounds(np.r_[np.zeros(n), np.full(m, -np.inf)],
                                np.r_[np.ones(n), np.full(m, np.inf)]))
    return None if result.status != 0 else np.round(result.x[:n])


# The properties -------------------------------------------------------------------------------


def shown_counts(figures: dict) -> dict:
    """The band counts a summary.json entry shows: single bands and merged runs."""
    if not figures.get("bands"):
        return {}
    single = {band: n for band, n in figures["bands"].items() if n is not None}
    return {**single, **figures.get("band_runs", {})}


def check_every_figure_describes_enough(analysis, k: int) -> None:
    counts = analysis.respondents["role"].value_counts()
    for role, figures in analysis.summary["roles"].items():
        if figures["withheld"]:
            assert counts[role] < k and set(figures) == {"respondents", "withheld"}
            continue
        assert counts[role] >= k
        if figures["mean_score"] is not None:
            assert sum(shown_counts(figures).values()) >= k
        for n in shown_counts(figures).values():
            assert safe(n, k)
    for groups in analysis.summary.get("units", {}).values():
        for group in groups:
            assert safe(group["scored"], k)
            assert group["mean_score"] is None or group["scored"] >= k
            assert all(safe(n, k) for n in shown_counts(group).values())
    for table in tables.report_tables(analysis, "en"):
        if table.key.startswith(("spread_", "unit_spread_")):
            answers = [n for n in table.frame["Answers in total"] if n is not None]
            assert all(n >= k for n in answers)
    for entries in analysis.summary["headlines"]["weakest_items"].values():
        assert all(entry["answers"] >= k for entry in entries)
    assert (analysis.sections["respondents"] >= k).all()


def _buckets(part: pd.DataFrame) -> list:
    """The units of a role as the attacker must treat them: each unit, and no unit."""
    return sorted(part["unit"].dropna().unique()) + [None]


def _in(part: pd.DataFrame, members) -> pd.Series:
    named = [m for m in members if m is not None]
    mask = part["unit"].isin(named).fillna(False)
    return mask | part["unit"].isna() if None in members else mask


def check_no_unit_can_be_subtracted(analysis, k: int) -> None:
    """Every set of units whose totals follow from the shown totals is safe."""
    counted = analysis.respondents[analysis.figures.bases["in_scores"]]
    for role, groups in analysis.summary.get("units", {}).items():
        part = counted[counted["role"] == role]
        buckets = _buckets(analysis.respondents[analysis.respondents["role"] == role])
        rows = [np.ones(len(buckets))]                                 # the role's total
        for group in groups:
            members = [*group["units"], *([None] if group["other"] else [])]
            rows.append(np.array([b in members for b in buckets], dtype=float))
            assert _in(part, members).sum() == group["scored"]          # shown = truth
        assert not groups or sum(g["scored"] for g in groups) == len(part)  # they cover the role
        rows = np.vstack(rows)
        sizes = [int((part["unit"] == b).sum()) if b is not None
                 else int(part["unit"].isna().sum()) for b in buckets]
        for r in range(1, len(buckets) + 1):
            for chosen in itertools.combinations(range(len(buckets)), r):
                vector = np.zeros(len(buckets))
                vector[list(chosen)] = 1
                if in_span(rows, vector):
                    assert safe(sum(sizes[i] for i in chosen), k), (role, chosen, sizes)


def check_no_band_count_can_be_subtracted(analysis, k: int) -> None:
    """No set of (unit, band) cells with 1 to k - 1 people follows from the shown counts."""
    index = {band: i for i, band in enumerate(BANDS)}
    counted = analysis.respondents[analysis.figures.bases["in_scores"]]
    units = analysis.figures.units
    for role in analysis.scores_shown:
        part = counted[counted["role"] == role]
        buckets = _buckets(analysis.respondents[analysis.respondents["role"] == role])
        cells = [(b, band) for b in buckets for band in BANDS]
        truth = np.array([int((_in(part, [b]) & (part["band"] == band)).sum())
                          for b, band in cells], dtype=float)
        rows = []
        role_runs = analysis.bands[analysis.bands["role"] == role]
        for run in role_runs.itertuples(index=False):
            inside = set(BANDS[index[run.first]:index[run.last] + 1])
            rows.append([band in inside for _, band in cells])
        for group in units[units["role"] == role].itertuples(index=False):
            members = [*group.units, *([None] if group.other else [])]
            runs = analysis.figures.unit_bands[(analysis.figures.unit_bands["role"] == role)
                                               & (analysis.figures.unit_bands["group"]
                                                  == group.group)]
            for run in runs.itertuples(index=False):
                inside = set(BANDS[index[run.first]:index[run.last] + 1])
                rows.append([b in members and band in inside for b, band in cells])
        rows = np.array(rows, dtype=float)
        shown = rows @ truth
        assert all(safe(int(n), k) for n in shown)
        found = small_group_in_span(rows, truth, k)
        assert found is None, [cell for cell, pick in zip(cells, found) if pick]


def _answers_per_item(table) -> dict[str, int]:
    frame = table.frame
    return {item: n for item, n in zip(frame["No."], frame["Answers in total"]) if n is not None}


def check_unit_spread_leaves_a_safe_rest(analysis, k: int) -> None:
    if analysis.unit is None:
        return
    for role in analysis.unit.shown:
        whole = _answers_per_item(tables.spread(analysis, role, "en"))
        unit = _answers_per_item(tables.unit_spread(analysis, role, "en"))
        for item, n in unit.items():
            assert n >= k and safe(whole[item] - n, k), (role, item, n, whole[item])


def check_incomplete_answer_sets_are_safe(analysis, k: int) -> None:
    """The answer sets with a blank that a spread counts (its first statement has fewer
    answers than its second by their number) are safe, also role minus unit."""
    def blanks(table):
        answers = _answers_per_item(table) if table is not None else {}
        first, second = (f"{PREFIX[role]}{i:02d}" for i in (1, 2))
        return answers[second] - answers[first] if {first, second} <= set(answers) else 0

    for role in analysis.shown:
        whole = blanks(tables.spread(analysis, role, "en"))
        assert safe(whole, k)
        if analysis.unit is not None and role in analysis.unit.shown:
            unit = blanks(tables.unit_spread(analysis, role, "en"))
            assert safe(unit, k) and safe(whole - unit, k), (role, whole, unit)


def check_scores_and_answers_agree(analysis, k: int) -> None:
    """A role's answers minus its scores is a figure about its incomplete answer sets:
    zero, or about at least k of them."""
    respondents = analysis.respondents
    for role in analysis.scores_shown:
        table = tables.spread(analysis, role, "en")
        if any(n is None for n in table.frame["Answers in total"]):
            continue
        labels = dict(zip(INS.scale["en"], INS.scale["points"]))
        points = sum(table.frame[label].sum() * p for label, p in labels.items())
        figures = analysis.summary["roles"][role]
        counted = sum(shown_counts(figures).values())
        difference = points - figures["mean_score"] * counted
        incomplete = ((respondents["role"] == role) & (respondents["missing"] > 0)).sum()
        assert abs(difference) <= 0.005 * counted + 1e-6 or incomplete >= k


@pytest.mark.parametrize("k", range(3, 11))
def test_no_suppressed_group_is_recoverable(k):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(generated_round(k))
    def check(example):
        people, max_missing, unit = example
        if not people:
            return
        analysis = analyse_data(round_data(people), max_missing=max_missing, min_group=k,
                                unit=unit, key=KEY)
        check_every_figure_describes_enough(analysis, k)
        check_no_unit_can_be_subtracted(analysis, k)
        check_no_band_count_can_be_subtracted(analysis, k)
        check_unit_spread_leaves_a_safe_rest(analysis, k)
        check_incomplete_answer_sets_are_safe(analysis, k)
        check_scores_and_answers_agree(analysis, k)

    check()


# The attacker's tools find what they should ------------------------------------------------


def test_the_search_finds_a_band_count_that_naive_tables_give_away():
    # Cells A 61-80, A 81-100, B 61-80, B 81-100. The role's 61-80 (7) and 81-100 (3)
    # shown apart, with unit A's 81-100 (1) and unit B's total: B's 81-100 is 3 - 1 = 2.
    truth = np.array([5, 1, 2, 2], dtype=float)
    rows = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [0, 1, 0, 0], [0, 0, 1, 1]], dtype=float)
    found = small_group_in_span(rows, truth, 5)
    assert found is not None and truth @ found in (1, 2, 3, 4)
    # Merging B's bands and A's 81-100 into 61-100 leaves nothing to find.
    safe_rows = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1]], dtype=float)
    assert small_group_in_span(safe_rows, np.array([5, 0, 5, 5], dtype=float), 5) is None


def test_the_search_finds_a_unit_that_naive_tables_give_away():
    # The role total and units A and B shown, C (3 people) not: C = total - A - B.
    rows = np.array([[1, 1, 1], [1, 0, 0], [0, 1, 0]], dtype=float)
    assert in_span(rows, np.array([0, 0, 1.0]))
    assert not in_span(rows[[0, 1]], np.array([0, 0, 1.0]))   # B hidden too: C is safe
