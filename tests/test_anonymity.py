"""The anonymity rules on hand-made counts and rounds, figure by figure."""

from __future__ import annotations

import pandas as pd
import pytest

from mus_analysis import anonymity, load_instrument, score_respondents
from mus_analysis.anonymity import band_runs, safe, unit_answer_rule, unit_groups
from mus_analysis.summarise import comparable_bands, round_figures, round_summary, shown_bands

INS = load_instrument()
LOG = pd.DataFrame(columns=["file", "row", "column", "value", "action", "reason"])


def answers_of(people: list[tuple[str, str | None, list]]) -> pd.DataFrame:
    """Long answers from [(role, unit, [20 points])]; None is a blank answer."""
    rows, count = [], {"leader": 0, "employee": 0}
    for role, unit, points in people:
        count[role] += 1
        prefix = "L" if role == "leader" else "E"
        for i, p in enumerate(points, start=1):
            rows.append({"round": "r", "role": role, "respondent": f"{prefix}{count[role]:04d}",
                         "unit": unit, "item": f"{prefix}{i:02d}", "points": p})
    return pd.DataFrame(rows).astype({"points": "Int64", "unit": "string"})


def scoring(points: int) -> list[int]:
    """20 answers that score ``points`` (20-100)."""
    base, extra = divmod(points, 20)
    return [base + 1] * extra + [base] * (20 - extra)


# The rules on counts ----------------------------------------------------------------


def test_a_count_is_safe_when_zero_or_at_least_the_threshold():
    assert safe(0, 5) and safe(5, 5) and safe(40, 5)
    assert not any(safe(n, 5) for n in range(1, 5))


@pytest.mark.parametrize(("counts", "k", "runs"), [
    ([0, 5, 63, 138, 26], 5, [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]),   # nothing to do
    ([0, 0, 3, 25, 4], 5, [(0, 0), (1, 1), (2, 4)]),                      # 41-100
    ([0, 2, 55, 143, 37], 5, [(0, 0), (1, 2), (3, 3), (4, 4)]),           # 21-60
    ([0, 0, 3, 25, 4], 3, [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]),      # k = 3
    ([1, 0, 0, 0, 9], 5, [(0, 4)]),                                       # only one run
    ([0, 0, 0, 0, 0], 5, [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]),
])
def test_band_runs_are_the_finest_safe_split(counts, k, runs):
    assert band_runs(counts, k) == runs
    for first, last in runs:
        assert safe(sum(counts[first:last + 1]), k)


def test_band_runs_keep_big_bands_apart_on_a_tie():
    # 0 | 3 | 3 | 3 | 20: 21-60 + 61-100 or 21-80 + 81-100; the latter keeps the 20 apart.
    assert band_runs([0, 3, 3, 3, 20], 5) == [(0, 0), (1, 3), (4, 4)]


def test_band_runs_within_a_split_only_join_it_and_respect_every_vector():
    within = [(0, 0), (1, 2), (3, 3), (4, 4)]
    runs = band_runs([0, 10, 10, 30, 10], 5, within=within, also=[[0, 6, 0, 3, 4]])
    assert runs == [(0, 0), (1, 2), (3, 4)]      # 81-100 has 4 in the second vector
    assert band_runs([0, 2, 0, 0, 0], 5) is None  # two people are too few for any run
    with pytest.raises(ValueError, match="one count per band"):
        band_runs([1, 2], 5, also=[[1]])


def test_unit_groups_merge_small_units_and_protect_other_units():
    # Jura (3) alone would make "other units" 3: the smallest shown unit joins it.
    shown, other = unit_groups({"A": 20, "B": 8, "Jura": 3}, 5)
    assert shown == ["A"] and other == ["B", "Jura"]
    # Two small units together are enough.
    assert unit_groups({"A": 20, "B": 2, "C": 3}, 5) == (["A"], ["B", "C"])
    # Respondents without a unit count in "other units".
    assert unit_groups({"A": 20, "B": 3}, 5, unassigned=2) == (["A"], ["B"])
    assert unit_groups({"A": 20, "B": 9}, 5, unassigned=2) == (["A"], ["B"])
    # No safe split: nothing is shown apart.
    assert unit_groups({"A": 6, "B": 1}, 5) == ([], ["A", "B"])
    assert unit_groups({"A": 6, "B": 7}, 5) == (["A", "B"], [])


def test_incomplete_answer_sets_and_the_rule_for_one_unit():
    assert anonymity.incomplete_left_out(3, 5) and not anonymity.incomplete_left_out(5, 5)
    assert not anonymity.incomplete_left_out(0, 5)
    rule = dict(min_group=5, unit_prorated=0)
    assert unit_answer_rule(role_incomplete=3, unit_incomplete=1, role_left_out=True,
                            **rule) == "complete"
    assert unit_answer_rule(role_incomplete=12, unit_incomplete=6, role_left_out=False,
                            **rule) == "all"
    # Six incomplete sets in the rest of the role but two in the unit: the unit's two
    # would show as its spread minus its scores, so they are left out of the unit's.
    assert unit_answer_rule(role_incomplete=8, unit_incomplete=2, role_left_out=False,
                            **rule) == "complete"
    # The same with two prorated scores in the unit: nothing safe remains.
    assert unit_answer_rule(role_incomplete=8, unit_incomplete=2, role_left_out=False,
                            min_group=5, unit_prorated=2) == "withheld"


# The rules on a round ----------------------------------------------------------------------


def test_bands_merge_into_runs_everywhere_the_round_shows_them():
    # Leaders: 3 score 50, 25 score 70, 4 score 90 -> 41-100: 32.
    people = ([("leader", "A", scoring(50))] * 3 + [("leader", "A", scoring(70))] * 25
              + [("leader", "A", scoring(90))] * 4)
    answers = answers_of(people)
    scored = score_respondents(answers)
    bands = shown_bands(scored, min_group=5)
    assert bands[["band", "first", "last", "count", "merged"]].values.tolist() == [
        ["0-20", "0-20", "0-20", 0, False], ["21-40", "21-40", "21-40", 0, False],
        ["41-100", "41-60", "81-100", 32, True]]
    summary = round_summary("r", scored, received=32, log=LOG, answers=answers)
    assert summary["roles"]["leader"]["bands"] == {
        "0-20": 0, "21-40": 0, "41-60": None, "61-80": None, "81-100": None}
    assert summary["roles"]["leader"]["band_runs"] == {"41-100": 32}
    assert summary["headlines"]["top_band"] == {"leader": "41-100"}
    assert comparable_bands(bands).empty                    # nothing to compare band by band
    # With a threshold of 3, every band stands alone.
    assert not shown_bands(scored, min_group=3)["merged"].any()


def test_too_few_scored_hide_the_score_figures_not_the_spread():
    people = [("employee", "A", scoring(70))] * 4 + [("employee", "A", [3] * 19 + [None])] * 6
    answers = answers_of(people)
    figures = round_figures(score_respondents(answers), answers, min_group=5)
    assert figures.shown == ["employee"] and figures.scores_shown == []
    assert figures.bands.empty and figures.units.empty
    # The six incomplete sets count in the spread; E20 has only the four answers.
    assert set(figures.spread["item"]) == set(INS.role_items("employee")["item"]) - {"E20"}


def test_few_incomplete_answer_sets_are_left_out_of_every_figure():
    people = [("employee", "A", scoring(70))] * 8 + [("employee", "A", [1] * 19 + [None])] * 2
    answers = answers_of(people)
    scored = score_respondents(answers)
    figures = round_figures(scored, answers, min_group=5)
    assert figures.left_out == {"employee": 2}
    assert (figures.spread["answers"] == 8).all()           # the two sets do not count
    assert (figures.items["answers"] == 8).all()
    # Five incomplete sets are enough to count: the spread has 13 answers per statement.
    people += [("employee", "A", [1] * 19 + [None])] * 3
    answers = answers_of(people)
    figures = round_figures(score_respondents(answers), answers, min_group=5)
    assert figures.left_out == {}
    assert figures.spread.loc[figures.spread["item"] == "E01", "answers"].iloc[0] == 13


def test_statements_with_few_answers_are_left_out():
    people = [("leader", "A", scoring(60))] * 8
    answers = answers_of(people)
    blank = (answers["item"] == "L20") & (answers["respondent"] > "L0002")
    answers.loc[blank, "points"] = pd.NA                     # L20: two answers of eight
    figures = round_figures(score_respondents(answers, max_missing=1), answers, min_group=5)
    assert "L20" not in set(figures.spread["item"]) and "L20" not in set(figures.items["item"])
    assert len(set(figures.spread["item"])) == 19


def test_units_merge_into_other_units_with_its_own_check():
    people = ([("employee", "Big", scoring(70))] * 12 + [("employee", "Mid", scoring(70))] * 6
              + [("employee", "Tiny", scoring(50))] * 2 + [("employee", None, scoring(90))])
    answers = answers_of(people)
    figures = round_figures(score_respondents(answers), answers, min_group=5)
    units = figures.units
    # Tiny (2) and the one without a unit make 3: Mid joins them.
    assert units["unit"].tolist()[:1] == ["Big"] and units["other"].tolist() == [False, True]
    assert units.loc[units["other"], "units"].iloc[0] == ("Mid", "Tiny")
    assert units["respondents"].tolist() == [12, 9]
    assert units["scored"].sum() == 21                       # the groups cover the role
    # Other units: 2 score 50, 6 score 70, 1 scores 90; bands merge to safe runs.
    runs = figures.unit_bands[figures.unit_bands["group"] == 1]
    assert all(safe(n, 5) for n in runs["count"])
