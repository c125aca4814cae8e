"""The command line end to end: run it, then read the files it wrote."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mus_analysis import load_instrument

INS = load_instrument()
LABELS = ["Aldrig", "Sjældent", "Af og til", "Oftest", "Altid"]
NAMES = ["Karen Østergaard", "Mads Bæk", "Lis Holm", "Jens Ravn", "Ida Kjær", "Ole Friis"]


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "mus_analysis", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=600)


def leader_workbook(path: Path, point_sets: list[list]) -> None:
    """A Microsoft Forms download (Danish interface) of the leader form."""
    rows = []
    for n, points in enumerate(point_sets):
        row = {"Id": n + 1, "Starttidspunkt": "2025-03-01 09:00:00",
               "Sluttidspunkt": "2025-03-01 09:07:00", "Mail": f"leder{n}@styrelsen.example.dk",
               "Navn": NAMES[n % len(NAMES)], "Enhed": "Økonomi"}
        for text, p in zip(INS.role_items("leader")["da"], points):
            row[text] = "" if p is None else f" {LABELS[p - 1].upper()} "
        rows.append(row)
    pd.DataFrame(rows).to_excel(path, index=False)


def employee_csv(path: Path, point_sets: list[list]) -> None:
    """A CSV saved by Danish Excel: semicolons, cp1252, codes as numbers."""
    rows = []
    for n, points in enumerate(point_sets):
        row = {"Navn": NAMES[n % len(NAMES)], "E-mail": f"mdb{n}@styrelsen.example.dk",
               "Afdeling": "HR"}
        for text, p in zip(INS.role_items("employee")["da"], points):
            row[text] = "" if p is None else f"{p},0"
        rows.append(row)
    pd.DataFrame(rows).to_csv(path, sep=";", index=False, encoding="cp1252", lineterminator="\r\n")


@pytest.fixture
def hand_round(tmp_path):
    """A round whose every score is known: leaders 100, 81, 61, 41, 20 and one
    incomplete; employees 80, 60, 40, 21, 21."""
    folder = tmp_path / "raw" / "runde-2025"
    folder.mkdir(parents=True)
    leader_workbook(folder / "Ledere.xlsx", [
        [5] * 20, [5] + [4] * 19, [4] * 1 + [3] * 19, [3] + [2] * 19, [1] * 20,
        [5] * 19 + [None]])
    employee_csv(folder / "Medarbejdere.csv", [
        [4] * 20, [3] * 20, [2] * 20, [2] + [1] * 19, [1] * 19 + [2]])
    return folder


def test_report_writes_html_summary_and_notebook(hand_round, tmp_path):
    out = tmp_path / "reports"
    result = run("report", hand_round, "--out", out)
    assert result.returncode == 0, result.stderr
    folder = out / "runde-2025"
    assert sorted(p.name for p in folder.iterdir()) == [
        "build.json", "figures", "runde-2025.html", "runde-2025.ipynb", "summary.json",
        "tables.xlsx"]

    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    assert summary["round"] == "runde-2025"
    # Bands are merged into runs where a band alone would count 1 to 4 people, and
    # the one incomplete leader is left out of the leaders' figures (anonymity.py).
    assert summary["roles"]["leader"] == {
        "respondents": 6, "scored": 5, "mean_score": round((100 + 81 + 61 + 41 + 20) / 5, 2),
        "bands": {"0-20": None, "21-40": None, "41-60": None, "61-80": None, "81-100": None},
        "band_runs": {"0-100": 5}, "incomplete_left_out": 1, "withheld": False}
    assert summary["roles"]["employee"] == {
        "respondents": 5, "scored": 5, "mean_score": round((80 + 60 + 40 + 21 + 21) / 5, 2),
        "bands": {"0-20": 0, "21-40": None, "41-60": None, "61-80": None, "81-100": 0},
        "band_runs": {"21-80": 5}, "withheld": False}

    html = (folder / "runde-2025.html").read_text("utf-8")
    assert html.count("<img") == 4                  # bands, 2 x spread, pairs
    assert "data:image/svg+xml;base64," in html
    assert "Oversigt over tendenser" in html and "Oversigt over spredning" in html
    assert "def " not in html and "import mus_analysis" not in html   # no code shown
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_personal_data_never_reaches_outputs(hand_round, tmp_path):
    out = tmp_path / "reports"
    assert run("report", hand_round, "--out", out).returncode == 0
    processed = hand_round.parent.parent / "processed" / "runde-2025"
    assert {p.name for p in processed.iterdir()} == {
        f"{t}.{ext}" for t in ("answers", "respondents", "cleaning_log")
        for ext in ("csv", "parquet")} | {".mus-analysis-processed"}
    for folder in (out, processed):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for needle in [*NAMES, "styrelsen.example.dk", "leder0@", "mdb3@"]:
                    for enc in ("utf-8", "cp1252"):
                        assert needle.encode(enc) not in data, (needle, path)


def test_processed_tables_are_tidy(hand_round, tmp_path):
    assert run("report", hand_round, "--out", tmp_path / "r").returncode == 0
    processed = hand_round.parent.parent / "processed" / "runde-2025"
    answers = pd.read_parquet(processed / "answers.parquet")
    assert list(answers.columns) == ["round", "role", "respondent", "unit", "item", "points"]
    assert len(answers) == 11 * 20
    respondents = pd.read_csv(processed / "respondents.csv", encoding="utf-8-sig")
    leaders = respondents[respondents["role"] == "leader"].sort_values("row")
    assert leaders["score"].tolist()[:5] == [100, 81, 61, 41, 20]
    assert leaders["reason"].fillna("").tolist()[5] == "1 of 20 statements not answered"
    assert (processed / "answers.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_english_report(hand_round, tmp_path):
    result = run("report", hand_round, "--out", tmp_path / "r", "--lang", "en")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "r" / "runde-2025" / "runde-2025.html").read_text("utf-8")
    assert '<html lang="en">' in html
    assert "Overview of trends" in html and "Oversigt over tendenser" not in html


def test_small_role_is_withheld_in_report(tmp_path):
    folder = tmp_path / "lille"
    folder.mkdir()
    leader_workbook(folder / "Ledere.xlsx", [[4] * 20, [3] * 20])
    employee_csv(folder / "Medarbejdere.csv", [[4] * 20] * 5)
    result = run("report", folder, "--out", tmp_path / "r")
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "r" / "lille" / "summary.json").read_text("utf-8"))
    assert summary["roles"]["leader"] == {"respondents": 2, "withheld": True}
    html = (tmp_path / "r" / "lille" / "lille.html").read_text("utf-8")
    assert "færre end 5" in html
    assert html.count("<img") == 2   # bands and the employees' spread only


def test_works_from_any_directory(hand_round, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("report", hand_round, "--out", "out", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "out" / "runde-2025" / "summary.json").is_file()


def test_bad_round_gives_one_line_and_no_report(tmp_path):
    folder = tmp_path / "tom"
    folder.mkdir()
    (folder / "noter.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    result = run("report", folder, "--out", tmp_path / "r")
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1
    assert "noter.csv" in lines[0] and "matches neither questionnaire" in lines[0]
    assert "Fix:" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "r" / "tom" / "tom.html").exists()
    assert not (tmp_path / "r" / "tom" / "summary.json").exists()


def test_failed_run_keeps_the_previous_report(hand_round, tmp_path):
    out = tmp_path / "r"
    assert run("report", hand_round, "--out", out).returncode == 0
    before = (out / "runde-2025" / "summary.json").read_text("utf-8")
    (hand_round / "Medarbejdere.csv").write_bytes(b"PK\x03\x04 not a csv")
    result = run("report", hand_round, "--out", out)
    assert result.returncode == 1
    assert (out / "runde-2025" / "summary.json").read_text("utf-8") == before
    assert (out / "runde-2025" / "runde-2025.failed.ipynb").is_file()
    assert not [p for p in out.iterdir() if p.name.endswith((".partial", ".old"))]


def test_batch_builds_every_round_and_reports_failures(hand_round, tmp_path):
    raw = hand_round.parent
    broken = raw / "broken"
    broken.mkdir()
    (broken / "svar.xlsx").write_bytes(b"this is not a workbook")
    result = run("batch", raw, "--out", tmp_path / "r")
    assert result.returncode == 1
    status = {line.split()[1].rstrip(":"): line for line in result.stdout.splitlines()}
    assert status["runde-2025"].startswith("built")
    assert status["broken"].startswith("failed") and "svar.xlsx" in status["broken"]
    assert (tmp_path / "r" / "runde-2025" / "runde-2025.html").is_file()
    assert not (tmp_path / "r" / "broken" / "broken.html").exists()
