"""Comparing rounds: the statistics by hand, the tables, the exports and the command.

The statistics are checked against values worked out by hand (Mann-Whitney U,
Holm, the t interval) or published for a public dataset (Cronbach's alpha).
The rounds are CSV exports written to tmp_path whose answers are known: some
statements move by a lot between the rounds, every other statement gets
exactly the same answers in both.
"""

from __future__ import annotations

import csv
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyreadstat  # noqa: E402
import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from mus_analysis import analyse_round, load_instrument  # noqa: E402
from mus_analysis import compare_text as ct  # noqa: E402
from mus_analysis.compare import (  # noqa: E402
    CompareError,
    answers_table,
    check_rounds,
    codebook,
    compare_analyses,
    compare_rounds,
    comparison_summary,
    respondents_table,
    round_pairs,
    write_comparison,
)
from mus_analysis.compare_cli import compare  # noqa: E402
from mus_analysis.plot import ROLE_PALETTE  # noqa: E402
from mus_analysis.stats import cronbach_alpha, holm, mann_whitney, mean_ci  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
INS = load_instrument()
ITEMS = {role: INS.role_items(role)["item"].tolist() for role in ("leader", "employee")}
FILES = {"leader": "Ledere.csv", "employee": "Medarbejdere.csv"}

# Statements whose answers move between the two test rounds: before, after.
MOVED = {
    "L06": ([1, 2, 2, 1], [5, 4, 5, 5]),   # leaders: up
    "L14": ([5, 5, 4, 5], [1, 2, 1, 2]),   # leaders: down
    "E07": ([1, 2, 1, 2], [4, 5, 5, 4]),   # employees: up
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------- stats


def test_mann_whitney_matches_u_counted_by_hand():
    # Pairs (x, y) with x > y: only x=4 beats y=3, so U_x = 1 of 3 * 4 = 12
    # pairs. Exact two-sided p: of the C(7, 3) = 35 equally likely rankings,
    # U = 0 and U = 1 occur once each, so p = 2 * 2/35.
    result = mann_whitney([1, 2, 4], [3, 5, 6, 7])
    assert result.u == 1
    assert result.p == pytest.approx(4 / 35)
    assert result.rank_biserial == pytest.approx(2 * 1 / 12 - 1)
    assert (result.n_x, result.n_y) == (3, 4)


def test_mann_whitney_with_ties_matches_the_normal_approximation_by_hand():
    x, y = [1, 2, 2, 3], [2, 3, 3, 4, 5]
    # U_x counted pair by pair, ties one half: 1 -> 0; 2 -> 0.5 (twice); 3 -> 1 + 2 * 0.5.
    assert mann_whitney(x, y).u == 3.0
    # Normal approximation with tie and continuity corrections: N = 9, ties of
    # three 2s and three 3s; var = n1 n2 / 12 * (N + 1 - sum(t^3 - t) / (N (N - 1))).
    var = 4 * 5 / 12 * (10 - (24 + 24) / (9 * 8))
    z = (abs(3.0 - 4 * 5 / 2) - 0.5) / math.sqrt(var)
    assert mann_whitney(x, y).p == pytest.approx(math.erfc(z / math.sqrt(2)))
    # Rank-biserial = share of pairs where x wins minus share where y wins (Cliff's delta).
    wins = sum((a > b) - (a < b) for a in x for b in y)
    assert mann_whitney(x, y).rank_biserial == pytest.approx(wins / (len(x) * len(y)))


def test_mann_whitney_sides_and_edge_cases():
    x, y = [1, 2, 2, 3, None], [2, 3, 3, 4, 5]
    assert mann_whitney(x, y).u + mann_whitney(y, x).u == 4 * 5
    assert mann_whitney(y, x).rank_biserial == pytest.approx(0.7)
    same = mann_whitney([3, 3, 3], [3, 3])
    assert same.p == 1.0 and same.rank_biserial == 0.0
    empty = mann_whitney([], [1, 2])
    assert np.isnan(empty.p) and (empty.n_x, empty.n_y) == (0, 2)


def test_holm_on_a_hand_worked_example():
    # Sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03, 0.03 * 2 = 0.06, 0.04 * 1 = 0.04 -> 0.06
    # (kept monotone), returned in the order given.
    np.testing.assert_allclose(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])


def test_holm_leaves_missing_out_of_the_family_and_caps_at_one():
    # m = 3: 0.02 * 3 = 0.06, 0.4 * 2 = 0.8, 0.5 * 1 = 0.5 -> 0.8; 0.6 * 3 > 1 -> 1.
    np.testing.assert_allclose(holm([0.5, np.nan, 0.4, 0.02]), [0.8, np.nan, 0.8, 0.06])
    np.testing.assert_allclose(holm([0.6, 0.9]), [1.0, 1.0])
    assert holm([]).size == 0
    with pytest.raises(ValueError, match="between 0 and 1"):
        holm([0.5, 1.2])


def test_mean_ci_from_t_quantiles_by_hand():
    # Mean 6, squared deviations 9 + 1 + 1 + 9 + 0 = 20, s^2 = 5, s / sqrt(5) = 1;
    # t(0.975, 4) = 2.776445 and t(0.95, 4) = 2.131847 from a table of t quantiles.
    mean, low, high = mean_ci([3, 5, 7, 9, 6])
    assert mean == 6
    assert (low, high) == pytest.approx((6 - 2.776445, 6 + 2.776445), abs=1e-6)
    assert mean_ci([3, 5, 7, 9, 6], confidence=0.90)[1:] == pytest.approx(
        (6 - 2.131847, 6 + 2.131847), abs=1e-6)
    assert mean_ci(pd.array([4, None], dtype="Int64"))[0] == 4
    assert np.isnan(mean_ci([4])[1]) and np.isnan(mean_ci([])[0])
    with pytest.raises(ValueError, match="confidence"):
        mean_ci([1, 2], confidence=95)


# pingouin's dataset "cronbach_alpha" (raphaelvallat/pingouin,
# pingouin/datasets/cronbach_alpha.csv): 15 subjects, items Q1-Q10, scores 1-7.
# Its documentation (pingouin.cronbach_alpha, Examples) gives
# alpha = 0.591719 with the 95% interval [0.195, 0.84], tested there against
# R's psych package; the interval is Feldt's.
PINGOUIN_CRONBACH = {
    "Q1": [3, 5, 7, 2, 6, 1, 4, 2, 6, 5, 4, 4, 5, 6, 4],
    "Q2": [2, 4, 3, 4, 5, 2, 3, 4, 5, 4, 3, 2, 5, 5, 3],
    "Q3": [4, 6, 5, 3, 6, 3, 5, 4, 5, 6, 5, 3, 6, 5, 5],
    "Q4": [1, 3, 5, 3, 5, 4, 3, 3, 5, 4, 2, 2, 2, 4, 5],
    "Q5": [4, 5, 6, 2, 4, 2, 5, 7, 1, 3, 5, 5, 3, 2, 3],
    "Q6": [5, 1, 4, 2, 4, 5, 2, 2, 6, 5, 3, 3, 3, 2, 1],
    "Q7": [1, 2, 3, 2, 4, 2, 1, 2, 5, 3, 2, 4, 2, 1, 3],
    "Q8": [4, 5, 3, 6, 6, 3, 2, 4, 2, 1, 3, 2, 4, 4, 2],
    "Q9": [3, 5, 6, 6, 7, 5, 4, 6, 3, 7, 4, 3, 4, 6, 3],
    "Q10": [2, 5, 5, 3, 5, 2, 3, 5, 2, 2, 1, 4, 5, 5, 4],
}


def test_cronbach_alpha_matches_pingouins_published_value():
    alpha, low, high = cronbach_alpha(pd.DataFrame(PINGOUIN_CRONBACH))
    assert alpha == pytest.approx(0.591719, abs=1e-6)
    assert (low, high) == pytest.approx((0.195, 0.84), abs=5e-4)


def test_cronbach_alpha_uses_complete_rows_and_handles_edge_cases():
    data = pd.DataFrame(PINGOUIN_CRONBACH)
    with_gap = pd.concat([data, pd.DataFrame({"Q1": [np.nan], "Q2": [1]})], ignore_index=True)
    assert cronbach_alpha(with_gap)[0] == pytest.approx(0.591719, abs=1e-6)
    # Identical items: k/(k-1) * (1 - k s^2 / (k^2 s^2)) = 1.
    assert cronbach_alpha(pd.DataFrame({"a": [1, 2, 4], "b": [1, 2, 4]}))[0] == pytest.approx(1)
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [1], "b": [2]}))[0])
    assert np.isnan(cronbach_alpha(pd.DataFrame({"a": [3, 3], "b": [2, 2]}))[0])
    with pytest.raises(TypeError, match="DataFrame"):
        cronbach_alpha([[1, 2], [3, 4]])


# ------------------------------------------------------------- test rounds


def _answers(role: str, n: int, after: bool) -> list[list[int]]:
    """Answers of ``n`` respondents: varied, the same in both rounds except MOVED."""
    rows = []
    for i in range(n):
        row = []
        for j, item in enumerate(ITEMS[role]):
            if item in MOVED:
                pattern = MOVED[item][after]
                row.append(pattern[i % len(pattern)])
            else:
                row.append(1 + (i * 3 + j * (i % 4 + 1)) % 5)
        rows.append(row)
    return rows


def write_round(folder: Path, *, leaders: int, employees: int, after: bool) -> Path:
    """A round folder with one CSV per role, item ids as headers, points as answers."""
    folder.mkdir(parents=True)
    for role, n in (("leader", leaders), ("employee", employees)):
        with open(folder / FILES[role], "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(ITEMS[role])
            writer.writerows(_answers(role, n, after))
    return folder


@pytest.fixture(scope="module")
def rounds(tmp_path_factory) -> list[Path]:
    base = tmp_path_factory.mktemp("rounds")
    return [write_round(base / "2025", leaders=12, employees=30, after=False),
            write_round(base / "2026", leaders=12, employees=30, after=True)]


@pytest.fixture(scope="module")
def comparison(rounds):
    return compare_rounds(rounds)


# ---------------------------------------------------------------- tables


def test_moved_statements_are_significant_and_the_others_not(comparison):
    changes = comparison.changes.set_index("item")
    assert len(changes) == 40
    assert set(changes.index[changes["significant"]]) == set(MOVED)
    assert changes.loc["L06", "delta"] == pytest.approx(4.75 - 1.5)
    assert changes.loc["L14", "delta"] < 0 and changes.loc["L14", "rank_biserial"] == -1
    assert changes.loc["E07", "rank_biserial"] == 1
    unmoved = changes.drop(index=list(MOVED))
    assert (unmoved["delta"] == 0).all() and (unmoved["p"] == 1).all()


def test_holm_family_is_every_statement_between_two_rounds(comparison):
    changes = comparison.changes
    np.testing.assert_allclose(changes["p_adjusted"], holm(changes["p"]))
    assert (changes["p_adjusted"] >= changes["p"]).all()


def test_scores_have_the_t_interval_of_the_scored_respondents(comparison):
    scores = comparison.scores.set_index(["round", "role"])
    for analysis in comparison.analyses:
        for role in ("leader", "employee"):
            part = analysis.respondents[(analysis.respondents["role"] == role)]
            expected = mean_ci(part.loc[part["scored"], "score"])
            row = scores.loc[(analysis.round, role)]
            assert row["status"] == "shown" and row["scored"] == len(part)
            assert (row["mean_score"], row["ci_low"], row["ci_high"]) == pytest.approx(expected)
    shares = comparison.bands.groupby(["round", "role"])["share"].sum()
    np.testing.assert_allclose(shares, 1.0)


def test_gaps_pairs_and_reliability_tables(comparison):
    pairs = comparison.pair_changes.set_index("pair")
    assert pairs.loc["P07", "employee_item"] == "E07" and pairs.loc["P07", "employee_significant"]
    assert not pairs.loc["P07", "leader_significant"]
    gaps = comparison.gap_changes.set_index("pair")
    # P06 = L06/E06: only the leaders moved, so the gap grew by the leaders' change.
    assert gaps.loc["P06", "change"] == pytest.approx(4.75 - 1.5)
    assert gaps.loc["P01", "change"] == 0
    reliability = comparison.reliability
    assert set(reliability["section"]) == {"A", "B", "C", "D", "all"}
    assert len(reliability) == 2 * 2 * 5
    assert (reliability.loc[reliability["section"] == "all", "items"] == 20).all()


def test_round_pairs_compare_consecutive_rounds_and_first_to_last():
    pairs = round_pairs(["a", "b", "c"])
    assert pairs.values.tolist() == [["a", "b", True, False], ["b", "c", True, False],
                                     ["a", "c", False, True]]
    assert round_pairs(["a", "b"]).values.tolist() == [["a", "b", True, True]]


def test_rounds_that_cannot_be_compared_raise(rounds, tmp_path):
    one = analyse_round(rounds[0])
    with pytest.raises(CompareError, match="at least two rounds"):
        check_rounds([one])
    with pytest.raises(CompareError, match="given twice"):
        check_rounds([one, analyse_round(rounds[0])])
    with pytest.raises(CompareError, match="different min_group"):
        check_rounds([one, analyse_round(rounds[1], min_group=3)])
    with pytest.raises(CompareError, match="list of round folders"):
        compare_rounds(str(rounds[0]))
    with pytest.raises(CompareError, match="is not a folder"):
        compare_rounds([rounds[0], tmp_path / "nowhere"])
    with pytest.raises(ValueError, match="`alpha`"):
        compare_rounds(rounds, alpha=5)


# -------------------------------------------------------------- anonymity


def test_a_role_withheld_in_one_round_is_not_compared(rounds, tmp_path):
    few = write_round(tmp_path / "2027", leaders=3, employees=30, after=True)
    result = compare_analyses([analyse_round(rounds[0]), analyse_round(few)])

    assert set(result.changes["role"]) == {"employee"}
    compared = result.compared.set_index("role")
    assert not compared.loc["leader", "compared"]
    assert compared.loc["leader", "status_to"] == "withheld"
    assert result.gap_changes.empty
    scores = result.scores.set_index(["round", "role"])
    assert scores.loc[("2027", "leader"), "status"] == "withheld"
    assert np.isnan(scores.loc[("2027", "leader"), "mean_score"])
    assert set(result.bands.loc[result.bands["round"] == "2027", "role"]) == {"employee"}
    assert set(result.reliability.loc[result.reliability["round"] == "2027", "role"]) == {
        "employee"}

    summary = comparison_summary(result)
    assert summary["scores"]["2027"]["leader"] == {"respondents": 3, "withheld": True}
    assert summary["comparisons"][0]["roles_compared"] == ["employee"]
    assert not any(item.startswith("L") for item in summary["comparisons"][0]["statements"])

    # The exports leave the withheld role's rows out.
    for table in (answers_table(result.analyses), respondents_table(result.analyses)):
        assert not ((table["round"] == "2027") & (table["role"] == "leader")).any()

    text = ct.moved(result, ("2025", "2027"), "en")
    assert "The leaders' answers are not compared, because 2027 has fewer than 5 leaders" in text
    assert "L06" not in text and "E07" in text


# ------------------------------------------------------------------ words


def test_moved_text_names_the_moved_statements_only(comparison):
    for lang in ("da", "en"):
        text = ct.moved(comparison, ("2025", "2026"), lang)
        named = set(re.findall(r"\*\*([LE]\d\d)\*\*", text))
        assert named == set(MOVED)
    text = ct.moved(comparison, ("2025", "2026"), "en")
    assert "The leaders' answers moved on 2 of 20 statements:" in text
    assert "**L14** I find that MUS supports trust and cooperation between me and the " \
           "employees: down from 4.75 to 1.50 points" in text
    assert "The employees' answers moved on 1 of 20 statements:" in text


def test_changes_table_marks_the_moved_rows(comparison):
    table = ct.changes_table(comparison, ("2025", "2026"), "da")
    marks = table["Flyttet"]
    assert marks["L06"] == "▲ op" and marks["L14"] == "▼ ned" and marks["E07"] == "▲ op"
    assert (marks.drop(index=list(MOVED)) == "").all()


def test_display_tables_in_both_languages(comparison):
    for lang in ("da", "en"):
        assert len(ct.scores_table(comparison, lang)) == 4
        assert len(ct.gaps_table(comparison, lang)) == 20
        assert len(ct.reliability_table(comparison, lang)) == 4
    assert ct.scores_table(comparison, "da").iloc[0]["Gennemsnitlig pointsum"].count(",") == 1
    with pytest.raises(ValueError, match="`lang`"):
        ct.words("de")


# ----------------------------------------------------------------- charts


def test_item_changes_chart_colours_the_moved_bars(comparison):
    fig = ct.plot_item_changes(comparison.changes, step=("2025", "2026"), alpha=0.05,
                               lang="en")
    leaders, employees = fig.axes[:2]
    labels = [t.get_text().split()[0] for t in leaders.get_yticklabels()]
    # seaborn draws the bars hue level by hue level: find each bar's row by its position.
    bars = {labels[round(bar.get_y() + bar.get_height() / 2)]: bar for bar in leaders.patches}
    colours = {label: bar.get_facecolor() for label, bar in bars.items()}
    assert colours["L06"] == to_rgba(ROLE_PALETTE["leader"])
    assert colours["L14"] == to_rgba(ROLE_PALETTE["leader"])
    assert colours["L01"] == to_rgba(ct.NOT_SIGNIFICANT)
    widths = {label: bar.get_width() for label, bar in bars.items()}
    assert widths["L06"] == pytest.approx(3.25) and widths["L01"] == 0


def test_band_chart_stacks_to_the_whole_of_each_round(comparison):
    fig = ct.plot_band_shares(comparison.bands, rounds=comparison.rounds, lang="da")
    bands = comparison.bands
    for ax, role in zip(fig.axes[:2], ("leader", "employee")):
        totals = {}
        for bar in ax.patches:
            y = round(bar.get_y() + bar.get_height() / 2)
            totals[y] = totals.get(y, 0) + bar.get_width()
        # A round whose report merged the role's bands for anonymity has no bar.
        drawn = [y for y, name in enumerate(comparison.rounds)
                 if ((bands["round"] == name) & (bands["role"] == role)).any()]
        assert totals == pytest.approx(dict.fromkeys(drawn, 100))
    # The 2025 employees' bands, shown as the run 41-80 in their report, are left out.
    assert set(bands.loc[bands["role"] == "employee", "round"]) == {"2026"}


def test_mean_chart_draws_the_t_interval(comparison):
    respondents = respondents_table(comparison.analyses)
    ax = ct.plot_mean_scores(respondents, rounds=comparison.rounds, lang="en")
    scores = comparison.scores.set_index(["round", "role"])
    expected = scores.loc[("2025", "leader"), ["ci_low", "ci_high"]].tolist()
    # Each error bar with its caps is one line: its lowest and highest y are the interval.
    intervals = [(np.nanmin(line.get_ydata()), np.nanmax(line.get_ydata()))
                 for line in ax.lines if np.isnan(line.get_ydata()).any()]
    assert len(intervals) == 4
    assert any(np.allclose(i, expected) for i in intervals)


# ----------------------------------------------------------------- exports


def test_alt_text_of_the_changes_chart_names_what_moved(comparison):
    # L06 1.5 -> 4.75, L14 4.75 -> 1.5 (12 leaders); E07 1.5 -> 4.5 (30 employees).
    assert ct.changes_alt(comparison, ("2025", "2026"), "en") == (
        "Change in mean answer from 2025 to 2026. Leaders: moved: L06 Strategic goals "
        "communicated +3.25, L14 Trust and cooperation \u22123.25; the other 18 statements "
        "did not move; Employees: moved: E07 Clear feedback +3.00; the other 19 statements "
        "did not move.")
    assert ct.changes_alt(comparison, ("2025", "2026"), "da").startswith(
        "Ændring i gennemsnitligt svar fra 2025 til 2026. Ledere: flyttet sig: L06 Strategiske "
        "mål kommunikeret +3,25, L14 Tillid og samarbejde \u22123,25; de øvrige 18 udsagn har "
        "ikke flyttet sig;")


def test_changes_chart_writes_its_scale_the_danish_way(comparison):
    fig = ct.plot_item_changes(comparison.changes, step=("2025", "2026"),
                               alpha=comparison.alpha, lang="da")
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[-1].get_xticklabels() if t.get_text()]
    assert "+2,00" in ticks and "\u22122,00" in ticks and "0" in ticks
    assert not any("." in t for t in ticks)


def test_alt_texts_of_the_score_charts_give_every_round(comparison):
    means = ct.means_alt(comparison, "en")
    found = re.findall(r"(\d{4}) (\d+\.\d) \((\d+\.\d)–(\d+\.\d)\)", means)
    assert [year for year, *_ in found] == ["2025", "2026", "2025", "2026"]
    for _, mean, low, high in found:
        assert float(low) < float(mean) < float(high)
    bands = ct.bands_alt(comparison, "da")
    assert bands.startswith("Andel i hver pointgruppe pr. runde. ")
    parts = bands.removeprefix("Andel i hver pointgruppe pr. runde. ").rstrip(".").split("; ")
    assert [part.split(":")[0] for part in parts] == [
        "Ledere 2025", "Ledere 2026", "Medarbejdere 2025", "Medarbejdere 2026"]
    # Employees 2025: 26 score 41-60 and 4 score 61-80; 4 is too few to show alone.
    assert parts[2] == "Medarbejdere 2025: vises ikke"
    for part in parts[:2] + parts[3:]:
        shares = [int(x) for x in re.findall(r"(\d+) %", part.split(":")[1])]
        assert sum(shares) == pytest.approx(100, abs=2)


def test_exports_codebook_and_spss_file(comparison, tmp_path):
    write_comparison(comparison, tmp_path, lang="en")
    data = tmp_path / "data"
    answers = pd.read_parquet(data / "answers.parquet")
    assert len(answers) == 2 * (12 + 30) * 20
    assert (data / "answers.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    respondents = pd.read_csv(data / "respondents.csv", encoding="utf-8-sig")
    assert len(respondents) == 2 * (12 + 30)

    book = pd.read_csv(data / "codebook.csv", encoding="utf-8-sig", keep_default_na=False)
    for file, columns in (("answers", answers.columns), ("respondents", respondents.columns)):
        described = book.loc[(book["file"] == file) & (book["code"] == ""), "column"]
        assert list(described) == list(columns)
    points = book[(book["file"] == "answers") & (book["column"] == "points")
                  & (book["code"] != "")]
    assert points[["code", "label"]].values.tolist() == [
        ["1", "Never"], ["2", "Rarely"], ["3", "Sometimes"], ["4", "Mostly"], ["5", "Always"]]
    markdown = (data / "codebook.md").read_text(encoding="utf-8")
    assert "| `section_A` | number | Mean points in section A" in markdown

    frame, meta = pyreadstat.read_sav(data / "respondents.sav")
    assert len(frame) == 2 * (12 + 30)
    assert meta.column_names_to_labels["L06"] == INS.item_text("en")["L06"]
    assert meta.variable_value_labels["L06"][5.0] == "Always"
    assert meta.variable_value_labels["round"] == {1.0: "2025", 2.0: "2026"}
    assert meta.variable_value_labels["role"] == {1.0: "Leaders", 2.0: "Employees"}
    leader = frame[(frame["round"] == 2) & (frame["role"] == 1)].iloc[0]
    assert leader["L06"] == MOVED["L06"][1][0] and np.isnan(leader["E01"])
    assert set(codebook(comparison.analyses, lang="da")["file"]) == {
        "answers", "respondents", "respondents.sav"}

    summary = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    assert summary["rounds"] == ["2025", "2026"]


# ----------------------------------------------------------------- command


def _html_rows(html: str) -> dict[str, str]:
    """Table rows of the page keyed by their first header cell."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        head = re.search(r"<th>(.*?)</th>", row, flags=re.S)
        if head:
            rows[head.group(1).strip()] = row
    return rows


def _check_output(folder: Path, name: str, lang: str) -> None:
    summary = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    leader = summary["scores"]["2025"]["leader"]
    assert leader["scored"] == 12 and len(leader["ci95"]) == 2
    assert leader["ci95"][0] < leader["mean_score"] < leader["ci95"][1]
    assert sum(leader["band_shares"].values()) == pytest.approx(1)
    statements = summary["comparisons"][0]["statements"]
    assert {k for k, v in statements.items() if v["significant"]} == set(MOVED)
    assert statements["L06"]["delta"] == pytest.approx(3.25)
    assert statements["L06"]["p_adjusted"] < 0.05
    assert statements["L01"] == {**statements["L01"], "delta": 0.0, "p_adjusted": 1.0,
                                 "significant": False}

    html = (folder / f"{name}.html").read_text(encoding="utf-8")
    assert html.count("<img") >= 3 and "<script" not in html
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert len(alts) == html.count("<img") and all(len(alt) > 40 for alt in alts)
    rows = _html_rows(html)
    mark = {"da": ("▲ op", "▼ ned"), "en": ("▲ up", "▼ down")}[lang]
    assert mark[0] in rows["L06"] and mark[1] in rows["L14"] and mark[0] in rows["E07"]
    for item in ("L01", "L07", "E06", "E14"):
        assert "▲" not in rows[item] and "▼" not in rows[item]
    prose = re.findall(r"<strong>([LE]\d\d)</strong>", html)
    assert set(prose) == set(MOVED)
    for file in ("answers.parquet", "answers.csv", "respondents.parquet", "respondents.csv",
                 "respondents.sav", "codebook.csv", "codebook.md"):
        assert (folder / "data" / file).is_file()


def test_compare_command_writes_the_page_json_and_data(rounds, tmp_path):
    result = CliRunner().invoke(compare, [str(rounds[0]), str(rounds[1]), "--out",
                                          str(tmp_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "2025_vs_2026"
    assert result.stdout.strip() == str(folder / "2025_vs_2026.html")
    _check_output(folder, "2025_vs_2026", "en")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _run(*args: str) -> subprocess.CompletedProcess:
    code = "from mus_analysis.compare_cli import compare; compare()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)


def test_compare_command_in_a_subprocess(rounds, tmp_path):
    done = _run(str(rounds[0]), str(rounds[1]), "--out", str(tmp_path), "--name", "trend",
                "--min-group", "5", "--alpha", "0.05", "--max-missing", "0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "trend" / "trend.html")
    _check_output(tmp_path / "trend", "trend", "da")


def test_compare_command_errors_are_one_line(rounds, tmp_path):
    done = _run(str(rounds[0]), str(tmp_path / "missing"), "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "is not a folder" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1

    result = CliRunner().invoke(compare, [str(rounds[0]), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == ("error: a comparison needs at least two rounds, but 1 was "
                                     "given. Fix: give two or more round folders, oldest first.")
    assert not (tmp_path / "2025").exists()


def test_a_round_that_fails_in_the_notebook_leaves_no_page(rounds, tmp_path):
    empty = tmp_path / "2027"
    empty.mkdir()
    result = CliRunner().invoke(compare, [str(rounds[0]), str(empty), "--out",
                                          str(tmp_path / "out")])
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith("error: 2025_vs_2027: ") and "holds no CSV or Excel" in message
    assert len(message.splitlines()) == 1
    folder = tmp_path / "out" / "2025_vs_2027"
    assert [p.name for p in folder.iterdir()] == ["2025_vs_2027.failed.ipynb"]
