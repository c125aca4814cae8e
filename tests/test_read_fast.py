"""The wide answers a round is read into, the long table built from them, and
scoring from them.

The long answers table (``RoundData.answers``) is built on first use from the
wide answers (``RoundData.wide``) and scoring goes by the wide answers
(:func:`mus_analysis.score.score_round`). These tests check both against the
raw export files, read here with plain pandas, and against scoring the long
table.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mus_analysis import RoundError, load_instrument, read_round, score_respondents
from mus_analysis.analysis import analyse_data
from mus_analysis.pseudonym import pseudonymise
from mus_analysis.read import ANSWER_COLUMNS
from mus_analysis.score import score_round

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "data" / "raw").glob("example-*"))
EXAMPLE_2026 = ROOT / "data" / "raw" / "example-2026"
INS = load_instrument()
KEY = bytes.fromhex("22" * 32)
LABELS = {"aldrig": 1, "sjældent": 2, "af og til": 3, "oftest": 4, "altid": 5}
# Codes 1-5, also written as decimals ("4,0").
CODES = {f"{points}{decimals}": points for points in range(1, 6)
         for decimals in ("", ",0", ".0")}


def cell_key(cell: str) -> str:
    """A cell as its answer is read: any case, stray and non-breaking spaces aside."""
    return " ".join(cell.split()).casefold()


def raw_answers() -> list[tuple]:
    """example-2026's answers in long form, read from its files with plain pandas:
    (role, respondent, unit, item, points), leaders first, each in file order."""
    leaders = pd.read_csv(EXAMPLE_2026 / "Ledere - svar.csv", dtype=str, keep_default_na=False)
    employees = pd.read_csv(EXAMPLE_2026 / "Medarbejdere.csv", sep=";", encoding="cp1252",
                            dtype=str, keep_default_na=False)
    rows = []
    for role, prefix, frame, unit, points in (("leader", "L", leaders, "Enhed", LABELS),
                                              ("employee", "E", employees, "Afdeling", CODES)):
        # Google Forms heads a grid's columns "Title [statement]".
        statements = {header.split("[")[-1].rstrip("]"): header for header in frame.columns}
        for number, row in enumerate(frame.itertuples(index=False), start=1):
            cells = dict(zip(frame.columns, row))
            for item, text in zip(INS.role_items(role)["item"], INS.role_items(role)["da"]):
                rows.append((role, f"{prefix}{number:04d}", cells[unit].strip() or None, item,
                             points.get(cell_key(cells[statements[text]]))))
    return rows


def as_tuples(answers: pd.DataFrame) -> list[tuple]:
    columns = ["role", "respondent", "unit", "item", "points"]
    frame = answers[columns].astype(object)
    return [tuple(None if pd.isna(v) else v for v in row)
            for row in frame.itertuples(index=False)]


# The long table ---------------------------------------------------------------------


def test_the_long_table_holds_the_raw_files_answers():
    data = read_round(EXAMPLE_2026)
    assert not data.log["action"].eq("dropped row").any()  # every row is a respondent
    assert as_tuples(data.answers) == raw_answers()


def test_the_long_table_is_categorical_in_questionnaire_order():
    data = read_round(EXAMPLE_2026)
    answers = data.answers
    assert list(answers.columns) == ANSWER_COLUMNS
    assert [str(answers[c].dtype) for c in ANSWER_COLUMNS] == ["category"] * 5 + ["Int64"]
    assert list(answers["respondent"].cat.categories) == data.respondents["respondent"].tolist()
    assert list(answers["item"].cat.categories) == INS.items["item"].tolist()
    assert list(answers["role"].cat.categories) == ["leader", "employee"]
    assert list(answers["unit"].cat.categories) == sorted(data.respondents["unit"].dropna()
                                                         .unique())
    assert answers["round"].unique().tolist() == ["example-2026"]
    assert answers.index.equals(pd.RangeIndex(len(data.respondents) * 20))


def test_the_long_table_is_built_once_and_then_what_counts():
    data = read_round(EXAMPLE_2026)
    assert data.wide is not None
    answers = data.answers
    assert data.answers is answers and data.wide is None
    # An edit of the long table is scored: the first leader's first answer blanked.
    answers.loc[0, "points"] = pd.NA
    scores = score_round(data).set_index("respondent")
    assert scores.loc["L0001", "missing"] == 1
    assert not scores.loc["L0001", "scored"]


def test_round_data_needs_answers_long_or_wide():
    data = read_round(EXAMPLE_2026)
    with pytest.raises(ValueError, match="long or wide"):
        type(data)(round="r", answers=None, respondents=data.respondents, log=data.log,
                   tables=[], received=0)


# Scoring from the wide answers ------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("max_missing", [0, 2])
def test_scoring_the_wide_answers_equals_scoring_the_long_table(example, max_missing):
    fast = score_round(read_round(example), max_missing=max_missing)
    data = read_round(example)
    long = score_respondents(data.answers, data.respondents, max_missing=max_missing)
    pd.testing.assert_frame_equal(fast, long, check_exact=True)


def test_scores_by_hand_from_the_raw_files():
    scores = score_round(read_round(EXAMPLE_2026), max_missing=1).set_index("respondent")
    # Ledere row 2: Altid, Af og til, Sjældent, Af og til, Sjældent, Oftest, Altid, Oftest,
    # Oftest, Altid, Oftest x 4, Sjældent, Af og til, Oftest x 4.
    assert scores.loc["L0001", ["score", "band", "file", "row"]].tolist() == [
        74, "61-80", "Ledere - svar.csv", 2]
    # Medarbejdere row 2: 4;3;2;2;1;2;3;4;5;2;2;3;2;3;2;3;1;2;3;3.
    assert scores.loc["E0001", ["score", "band", "answered", "prorated"]].tolist() == [
        52, "41-60", 20, False]
    # Medarbejdere row 184 answers "45" once: 19 answers, prorated to 20.
    row = pd.read_csv(EXAMPLE_2026 / "Medarbejdere.csv", sep=";", encoding="cp1252",
                      dtype=str, keep_default_na=False).iloc[184 - 2, 3:].tolist()
    points = [int(cell) for cell in row if cell in CODES]
    assert len(points) == 19
    expected = int(np.floor(sum(points) / 19 * 20 + 0.5))
    assert scores.loc["E0183", ["answered", "score", "prorated", "reason"]].tolist() == [
        19, expected, True, ""]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_analysis_scores_from_the_wide_answers_as_from_the_long_table(example):
    analysis = analyse_data(read_round(example), max_missing=1, key=KEY)
    named = pseudonymise(read_round(example), KEY)
    long = score_respondents(named.answers, named.respondents, max_missing=1)
    pd.testing.assert_frame_equal(analysis.respondents, long, check_exact=True)
    pd.testing.assert_frame_equal(analysis.data.answers, named.answers, check_exact=True)


# A table with a role column, roles mixed ---------------------------------------------


def write_csv(path: Path, rows: list[list]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def test_roles_mixed_in_one_table_are_numbered_leaders_first(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    leader, employee = (INS.role_items(r)["item"].tolist() for r in ("leader", "employee"))
    header = ["Rolle", "Enhed", *leader, *employee]
    rows = [("medarbejder", "A", 2), ("leder", "B", 5), ("medarbejder", "", 3),
            ("leder", "A", 1)]
    lines = [[role, unit, *([str(p)] * 20 if role == "leder" else [""] * 20),
              *([str(p)] * 20 if role != "leder" else [""] * 20)] for role, unit, p in rows]
    write_csv(folder / "svar.csv", [header, *lines])
    data = read_round(folder)
    respondents = data.respondents[["respondent", "unit", "row"]].astype(object)
    assert respondents.where(respondents.notna(), None).values.tolist() == [
        ["L0001", "B", 3], ["L0002", "A", 5], ["E0001", "A", 2], ["E0002", None, 4]]
    scores = score_round(data)
    assert scores["score"].tolist() == [100, 20, 40, 60]
    assert as_tuples(data.answers)[::20] == [
        ("leader", "L0001", "B", "L01", 5), ("leader", "L0002", "A", "L01", 1),
        ("employee", "E0001", "A", "E01", 2), ("employee", "E0002", None, "E01", 3)]


# The role column is told from the first rows, then from all ---------------------------


@pytest.mark.parametrize("last, is_role", [("medarbejder", True), ("Bent", False)])
def test_a_role_column_is_told_from_every_row(tmp_path, last, is_role):
    folder = tmp_path / "round"
    folder.mkdir()
    items = INS.role_items("employee")["item"].tolist()
    rows = [["Type", *items]] + [["medarbejder", *["4"] * 20]] * 1_500
    rows.append([last, *["4"] * 20])
    write_csv(folder / "svar.csv", rows)
    data = read_round(folder)
    assert (data.tables[0].detected["role_column"] == "Type") is is_role
    dropped = data.log[data.log["action"].eq("dropped column")]
    assert dropped["column"].tolist() == ([] if is_role else ["Type"])
    assert len(data.respondents) == 1_501


# Line breaks ------------------------------------------------------------------------


def test_comments_over_several_lines_in_a_large_export_stay_one_cell_each(tmp_path):
    """pyarrow splits a large text into blocks at line feeds, some of which are
    inside comments here: every comment must stay one cell, every row one row."""
    folder = tmp_path / "round"
    folder.mkdir()
    items = INS.role_items("employee")["item"].tolist()
    rows = [["Kommentar", *items]]
    rows += [[f"linje {n}\nog; en til", *[str(1 + n % 5)] * 20] for n in range(60_000)]
    write_csv(folder / "medarbejdere.csv", rows)
    scored = score_round(read_round(folder))
    assert len(scored) == 60_000
    assert scored["score"].iloc[:6].tolist() == [20, 40, 60, 80, 100, 20]
    assert scored["row"].iloc[-1] == 60_001


@pytest.mark.parametrize("newline, empty", [("\n", ""), ("\r\n", ""), ("\n", "\r")])
def test_an_empty_line_in_a_large_export_keeps_the_row_numbers_after_it(tmp_path, newline,
                                                                        empty):
    """The fast parser would skip the empty line and number later rows one short."""
    folder = tmp_path / "round"
    folder.mkdir()
    items = INS.role_items("employee")["item"].tolist()
    lines = [";".join(items)] + [";".join(["4"] * 20)] * 3_000
    lines[1_000] = empty  # file row 1,001
    lines[2_500] = ";".join(["Måske", *["4"] * 19])  # file row 2,501
    (folder / "medarbejdere.csv").write_text(newline.join(lines) + newline, encoding="utf-8")
    data = read_round(folder)
    assert len(data.respondents) == 2_999
    bad = data.log[data.log["action"].eq("set to missing")]
    assert bad[["row", "value"]].values.tolist() == [[2_501, "Måske"]]
    assert data.respondents["row"].iloc[[998, 999]].tolist() == [1_000, 1_002]


def _large_export(folder: Path, header: list[str], last: bytes) -> None:
    """Over a megabyte of rows of answer codes, then ``last`` as the last row."""
    folder.mkdir()
    rows = ";".join(header).encode("utf-8") + b"\r\n" + b"4;" * 19 + b"4\r\n"
    rows += (b"4;" * 19 + b"4\r\n") * 30_000 + last + b"\r\n"
    (folder / "medarbejdere.csv").write_bytes(rows)


def test_a_large_windows_1252_export_with_its_first_letter_far_down_is_read_as_such(tmp_path):
    """Its first megabyte is plain ASCII, so only the parser finds the Windows-1252 byte."""
    items = INS.role_items("employee")["item"].tolist()
    _large_export(tmp_path / "round", items, "Måske;".encode("cp1252") + b"4;" * 18 + b"4")
    data = read_round(tmp_path / "round")
    assert data.tables[0].detected["encoding"] == "cp1252"
    assert len(data.respondents) == 30_002
    bad = data.log[data.log["action"].eq("set to missing")]
    assert bad[["row", "value"]].values.tolist() == [[30_003, "Måske"]]


def test_a_large_utf8_export_with_a_windows_1252_line_far_down_is_refused_by_line(tmp_path):
    texts = INS.role_items("employee")["da"].tolist()  # UTF-8 æ, ø and å in the header
    _large_export(tmp_path / "round", texts, "Måske;".encode("cp1252") + b"4;" * 18 + b"4")
    with pytest.raises(RoundError, match=r"medarbejdere\.csv: line 30003 is not UTF-8 "
                                         r"\(byte 0xe5\), but other lines are"):
        read_round(tmp_path / "round")


@pytest.mark.parametrize("sep", [";", ","])
def test_a_comment_over_two_lines_at_the_parsers_block_edge_is_one_cell(tmp_path, sep):
    """pyarrow reads a large text in blocks of a megabyte, cut at line breaks.
    A comment whose line break is the last one before the cut, and whose second
    line holds separators, must not become the start of a row of its own."""
    folder = tmp_path / "round"
    folder.mkdir()
    items = INS.role_items("employee")["item"].tolist()
    lines = [sep.join(["Id", "Enhed", "Kommentar", *items])]
    row = lambda n, comment: sep.join([str(n), "Jura", comment, *["3"] * 20])  # noqa: E731
    size = len(lines[0]) + 2
    n = 1
    while size < (1 << 20) - 200:
        lines.append(row(n, "ok"))
        size += len(lines[-1]) + 2
        n += 1
    first = "Samtalen var god" + "." * ((1 << 20) - size - 40)
    second = sep.join(["Mere tid", " plan", " og budget"])  # the rest of the row: 23 cells
    lines.append(row(n, f'"{first}\n{second}"'))
    lines += [row(n + k, "ok") for k in range(1, 500)]
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode("utf-8")
    cut = data.rfind(b"\n", 0, 1 << 20)
    assert data[cut - len(first.encode()):cut] == first.encode()  # the cut is inside it
    (folder / "medarbejdere.csv").write_bytes(data)

    read = read_round(folder)
    assert len(read.respondents) == n + 499
    assert set(read.respondents["unit"]) == {"Jura"}
    assert read.respondents["source_id"].tolist() == [str(k) for k in range(1, n + 500)]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_a_nul_byte_far_into_a_large_export_is_refused_by_line(tmp_path, bom):
    items = INS.role_items("employee")["item"].tolist()
    _large_export(tmp_path / "round", items, b"4;" * 19 + b"\x004")
    path = tmp_path / "round" / "medarbejdere.csv"
    path.write_bytes(bom + path.read_bytes())
    with pytest.raises(RoundError, match=r"medarbejdere\.csv: contains NUL bytes \(the first "
                                         r"on line 30003\)"):
        read_round(tmp_path / "round")
