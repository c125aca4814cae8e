"""Units: figures per unit and role, the spread of one chosen unit, `report --unit`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mus_analysis import load_instrument, tables, text
from mus_analysis.analysis import analyse_data
from mus_analysis.errors import RoundError
from mus_analysis.read import LOG_COLUMNS, RoundData
from mus_analysis.report import ReportJob
from mus_analysis.units import find_unit, unit_slug

INS = load_instrument()
PREFIX = {"leader": "L", "employee": "E"}
KEY = bytes(range(32))


def round_data(people: list[tuple]) -> RoundData:
    """RoundData from [(role, unit or None, [20 points])]; None is a blank answer."""
    answers, respondents, count = [], [], {"leader": 0, "employee": 0}
    for role, unit, points in people:
        count[role] += 1
        rid = f"{PREFIX[role]}{count[role]:04d}"
        respondents.append({"round": "r", "role": role, "respondent": rid, "unit": unit,
                            "file": f"{role}.csv", "row": count[role] + 1})
        answers += [{"round": "r", "role": role, "respondent": rid, "unit": unit,
                     "item": f"{PREFIX[role]}{i:02d}", "points": p}
                    for i, p in enumerate(points, start=1)]
    return RoundData(
        round="r", answers=pd.DataFrame(answers).astype({"points": "Int64", "unit": "string"}),
        respondents=pd.DataFrame(respondents).astype({"unit": "string"}),
        log=pd.DataFrame(columns=LOG_COLUMNS), tables=[], received=len(respondents))


def people(role: str, unit: str | None, n: int, points: int = 4, *, blank: bool = False):
    answers = [points] * 20
    if blank:
        answers[0] = None
    return [(role, unit, list(answers))] * n


# Names ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "slug"), [
    ("HR og Løn", "hr-og-loen"), ("Økonomi", "oekonomi"), ("Å/../../etc", "aa-etc"),
    ("<img src=x onerror=alert(1)>", "img-src-x-onerror-alert-1"), ("***", "unit"),
    ("Café Ærø", "cafe-aeroe"),
])
def test_unit_slug_is_a_safe_folder_name(name, slug):
    assert unit_slug(name) == slug


def test_find_unit_ignores_case_and_spacing_but_prefers_the_exact_name():
    units = ["HR og Løn", "Økonomi", "IT", "it"]
    assert find_unit("hr  og løn", units) == "HR og Løn"
    assert find_unit(" ØKONOMI ", units) == "Økonomi"
    assert find_unit("it", units) == "it" and find_unit("It", units) is None
    assert find_unit("Jura", units) is None


def test_report_job_of_a_unit_has_its_own_name_and_parameter(tmp_path):
    round_job = ReportJob(round_dir=tmp_path / "2026", out_dir=tmp_path / "out")
    unit_job = ReportJob(round_dir=tmp_path / "2026", out_dir=tmp_path / "out",
                         unit="HR og Løn")
    assert round_job.name == "2026" and "unit" not in round_job.parameters(Path())
    assert unit_job.name == "2026--hr-og-loen"
    assert unit_job.folder == tmp_path / "out" / "2026--hr-og-loen"
    assert unit_job.parameters(Path())["unit"] == "HR og Løn"


# Figures per unit ------------------------------------------------------------------------


def test_units_table_groups_small_units_as_other_units():
    data = round_data(people("employee", "Big", 9) + people("employee", "Mid", 7, 3)
                      + people("employee", "Tiny", 4, 2) + people("employee", None, 1, 5)
                      + people("leader", "Big", 6))
    analysis = analyse_data(data, key=KEY)
    table = tables.units(analysis, "employee", "en")
    rows = table.frame.to_dict("records")
    assert [r["Unit"] for r in rows] == ["Big", "Mid", "Other units (Tiny)"]
    assert [r["Responses"] for r in rows] == [9, 7, 5]       # Tiny and the one without unit
    assert rows[0]["Mean score"] == 80.0
    assert table.sheet == "Units, employees"
    # Leaders: one unit only, which is the whole role.
    assert tables.units(analysis, "leader", "en").frame["Unit"].tolist() == ["Big"]
    summary = analysis.summary["units"]["employee"]
    assert {k: v for k, v in summary[2].items() if k not in ("bands", "band_runs")} == {
        "unit": None, "units": ["Tiny"], "other": True, "respondents": 5, "scored": 5,
        "mean_score": 52.0}
    # With Tiny at 2, "other units" (3) is too small, and Mid, the smallest, joins it.
    data = round_data(people("employee", "Big", 9) + people("employee", "Mid", 7, 3)
                      + people("employee", "Tiny", 2, 2) + people("employee", None, 1, 5))
    rows = tables.units(analyse_data(data, key=KEY), "employee", "en").frame
    assert rows["Unit"].tolist() == ["Big", "Other units (Mid, Tiny)"]


def test_units_that_cannot_be_shown_apart_get_a_sentence():
    data = round_data(people("employee", "A", 6) + people("employee", "B", 2))
    analysis = analyse_data(data, key=KEY)
    assert analysis.units.empty and analysis.summary["units"] == {"employee": []}
    assert tables.units(analysis, "employee", "da") is None
    assert "ingen enhed kan vises for sig med mindst 5" in text.units_notes(analysis, "da")


def test_a_round_without_units_has_no_units_section_and_refuses_a_unit():
    data = round_data(people("employee", None, 6))
    analysis = analyse_data(data, key=KEY)
    assert not analysis.has_units and "units" not in analysis.summary
    with pytest.raises(RoundError, match="has no unit column"):
        analyse_data(data, unit="A", key=KEY)


# The spread of one unit -----------------------------------------------------------------------


def test_unit_spread_statuses_say_why_a_role_is_not_shown():
    data = round_data(people("employee", "A", 6) + people("employee", "B", 6, 2)
                      + people("employee", "C", 3) + people("employee", "D", 2)
                      + people("leader", "A", 2))
    for unit, status in (("A", {"leader": "role withheld", "employee": "shown"}),
                         ("C", {"leader": "absent", "employee": "merged"})):
        analysis = analyse_data(data, unit=unit, key=KEY)
        assert analysis.unit.status == status
        assert analysis.summary["unit"] == {"name": unit, "roles": status}
    analysis = analyse_data(data, unit="a", key=KEY)          # matched without case
    assert analysis.unit.name == "A"
    spread = tables.unit_spread(analysis, "employee", "en").frame
    assert spread["Answers in total"].tolist() == [6] * 20 and spread["Mostly"].eq(6).all()
    notes = text.unit_notes(analysis, "en")
    assert "**Leaders:** not shown, as there are fewer than 5 responses." in notes
    with pytest.raises(RoundError, match=r"has no unit 'Jurra'; close: 'A'|its units are"):
        analyse_data(data, unit="Jurra", key=KEY)


def test_unit_spread_leaves_statements_out_when_the_rest_would_be_too_few():
    # A: 6 complete sets. B: 5 incomplete sets (so none scored): all answer E20, two
    # also E01-E18. "Other units" (B) has no score figures, so A is shown apart.
    data = round_data(people("employee", "A", 6) + people("employee", "B", 5))
    answers = data.answers
    b = answers["respondent"].isin([f"E{i:04d}" for i in range(7, 12)])
    two = answers["respondent"].isin(["E0007", "E0008"])
    blank = b & ((answers["item"] == "E19") | (~two & (answers["item"] != "E20")))
    data.answers.loc[blank, "points"] = pd.NA
    analysis = analyse_data(data, unit="A", key=KEY)
    assert analysis.figures.left_out == {}                   # five incomplete sets count
    assert analysis.unit.status["employee"] == "shown"
    # The rest of the role answered E01-E18 twice (too few), E19 never and E20 five times.
    assert set(analysis.unit.spread["item"]) == {"E19", "E20"}
    table = tables.unit_spread(analysis, "employee", "en").frame
    assert table["Answers in total"].tolist() == [None] * 18 + [6, 6]


def test_unit_spread_counts_complete_sets_when_its_incomplete_ones_would_show():
    # A: 6 complete and 2 incomplete; B: 4 incomplete. The role has 6 incomplete (safe),
    # but A's 2 would show as A's spread minus A's scores: A counts complete sets only.
    data = round_data(people("employee", "A", 6) + people("employee", "A", 2, blank=True)
                      + people("employee", "B", 6) + people("employee", "B", 4, blank=True))
    analysis = analyse_data(data, unit="A", key=KEY)
    assert analysis.figures.left_out == {}
    assert analysis.unit.status["employee"] == "shown"
    assert analysis.unit.complete_only == ["employee"]
    assert set(analysis.unit.spread["answers"]) == {6}
    assert "only responses that answer every statement" in text.unit_notes(analysis, "en")


# The command -------------------------------------------------------------------------------


def run(*args):
    return subprocess.run([sys.executable, "-m", "mus_analysis", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def unit_round(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raw") / "runde-2026"
    folder.mkdir()
    for role in ("leader", "employee"):
        items = INS.role_items(role)["item"].tolist()
        rows = [{"Afdeling": unit, **{item: 1 + (n + j) % 5 for j, item in enumerate(items)}}
                for unit in ("Økonomi", "HR og Løn", "Jura") for n in range(6 if unit != "Jura"
                                                                            else 2)]
        pd.DataFrame(rows).to_csv(folder / f"{role}.csv", index=False, sep=";")
    return folder


def test_report_for_one_unit_from_the_command_line(unit_round, tmp_path):
    result = run("report", unit_round, "--out", tmp_path, "--unit", "økonomi")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "runde-2026--oekonomi"
    page = (folder / "runde-2026--oekonomi.html").read_text("utf-8")
    assert "MUS-testen: runde-2026, Økonomi" in page
    assert 'id="unit-spread"' in page and "Spredning i Økonomi: ledere" in page
    assert "Øvrige enheder (Jura)" not in page                # Jura alone is too small
    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert summary["unit"] == {"name": "Økonomi",
                               "roles": {"leader": "shown", "employee": "shown"}}
    assert (folder / "figures" / "unit-spread-employee.svg").is_file()
    assert not (tmp_path / "runde-2026").exists()             # the round's report untouched


def test_unknown_unit_fails_with_one_line(unit_round, tmp_path):
    result = run("report", unit_round, "--out", tmp_path, "--unit", "Økonommi")
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "has no unit 'Økonommi'" in lines[0] and "'Økonomi'" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "runde-2026--oekonommi" / "runde-2026--oekonommi.html").exists()
