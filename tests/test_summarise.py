"""Summary tables and summary.json figures on hand-made answers."""

import pandas as pd
import pytest

from mus_analysis import score_respondents
from mus_analysis.summarise import band_counts, pair_gaps, round_summary, shown_roles, spread

LOG = pd.DataFrame(columns=["file", "row", "column", "value", "action", "reason"])


def answers_of(sets: dict[str, list[list]]) -> pd.DataFrame:
    """Long answers from {role: [[20 points], ...]}; None is a blank answer."""
    rows = []
    for role, people in sets.items():
        prefix = "L" if role == "leader" else "E"
        for n, points in enumerate(people, start=1):
            for i, p in enumerate(points, start=1):
                rows.append({"round": "r", "role": role, "respondent": f"{prefix}{n:04d}",
                             "unit": "U", "item": f"{prefix}{i:02d}", "points": p})
    return pd.DataFrame(rows).astype({"points": "Int64"})


def test_band_counts_and_summary_by_hand():
    # Leaders: scores 100, 81, 80, 40 and one incomplete set; 5 respondents.
    leaders = [[5] * 20, [5] * 1 + [4] * 19, [4] * 20, [2] * 20, [3] * 19 + [None]]
    employees = [[1] * 20, [3] * 20, [3] * 20, [4] * 20, [5] * 20, [1] * 10 + [2] * 10]
    answers = answers_of({"leader": leaders, "employee": employees})
    scored = score_respondents(answers)

    counts = band_counts(scored)
    got = counts.set_index(["role", "band"])["count"]
    assert got["leader"].tolist() == [0, 1, 0, 1, 2]          # 40 | 80 | 81, 100
    assert got["employee"].tolist() == [1, 1, 2, 1, 1]        # 20 | 30 | 60, 60 | 80 | 100

    # The arithmetic with no anonymity rule (a threshold of 1).
    summary = round_summary("r", scored, received=11, log=LOG, min_group=1)
    leader = summary["roles"]["leader"]
    assert leader["respondents"] == 5 and leader["scored"] == 4
    assert leader["mean_score"] == round((100 + 81 + 80 + 40) / 4, 2) == 75.25
    assert summary["roles"]["employee"]["mean_score"] == round(350 / 6, 2) == 58.33
    assert summary["data_quality"]["not_scored"] == 1

    # With the default threshold of 5: four scored leaders are too few for score
    # figures, and the employees' bands (1, 1, 2, 1, 1) become one run.
    summary = round_summary("r", scored, received=11, log=LOG)
    assert summary["roles"]["leader"] == {
        "respondents": 5, "scored": 4, "mean_score": None, "bands": None,
        "scores_withheld": True, "incomplete_left_out": 1, "withheld": False}
    assert summary["roles"]["employee"]["bands"] == dict.fromkeys(
        ["0-20", "21-40", "41-60", "61-80", "81-100"])
    assert summary["roles"]["employee"]["band_runs"] == {"0-100": 6}


def test_small_role_is_withheld_everywhere():
    leaders = [[5] * 20, [4] * 20, [3] * 20]
    employees = [[4] * 20] * 6
    scored = score_respondents(answers_of({"leader": leaders, "employee": employees}))
    assert shown_roles(scored, min_group=5) == ["employee"]
    summary = round_summary("r", scored, received=9, log=LOG, min_group=5)
    assert summary["roles"]["leader"] == {"respondents": 3, "withheld": True}
    assert summary["roles"]["employee"]["bands"]["61-80"] == 6
    # With a lower threshold both are shown.
    assert shown_roles(scored, min_group=3) == ["leader", "employee"]


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "5"])
def test_min_group_must_be_a_positive_whole_number(bad):
    scored = score_respondents(answers_of({"leader": [[3] * 20]}))
    with pytest.raises(ValueError, match="`min_group` must be a whole number"):
        shown_roles(scored, min_group=bad)


def test_spread_counts_every_answer_given():
    # Three leaders; L01 answered 1, 5, blank; the blank is not counted.
    leaders = [[1] * 20, [5] * 20, [None] + [3] * 19]
    table = spread(answers_of({"leader": leaders}))
    l01 = table[table["item"] == "L01"].set_index("points")
    assert l01["count"].tolist() == [1, 0, 0, 0, 1]
    assert l01["share"].tolist() == [0.5, 0, 0, 0, 0.5]
    l02 = table[table["item"] == "L02"].set_index("points")
    assert l02.loc[3, "share"] == pytest.approx(1 / 3)
    assert len(table) == 20 * 5


def test_pair_gaps_sorted_by_size():
    # L02 pairs with E03: leaders 5, employees 2 -> gap 3, the largest.
    leader = [4] * 20
    leader[1] = 5
    employee = [4] * 20
    employee[2] = 2
    employee[0] = 3  # P01: L01 4 vs E01 3 -> gap 1
    gaps = pair_gaps(answers_of({"leader": [leader], "employee": [employee]}))
    assert gaps["pair"].tolist()[:2] == ["P02", "P01"]
    assert gaps["gap"].tolist()[:2] == [3.0, 1.0]
    assert (gaps["gap"].iloc[2:] == 0).all()
