"""round.toml: each key read, checked, and honoured by the reader, the analysis and reports."""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mus_analysis import RoundError, analyse_round, load_instrument, read_round
from mus_analysis.report import resolve_job
from mus_analysis.settings import RoundSettings, load_settings

INS = load_instrument()
ITEMS = {role: INS.role_items(role)["item"].tolist() for role in ("leader", "employee")}
TEXT = INS.item_text("da")
MIXED_60 = [1, 2, 3, 4, 5] * 4
FULL_100 = [5] * 20
ONE_BLANK = [4] * 19 + [None]
EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "raw"


def write_csv(path: Path, rows: list[list], sep: str = ";") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def numbered_rows(point_sets: list[list], *, prefix: str = "", extra=("Navn", "Afdeling")):
    """A workplace's own sheet: a name, a unit, and the statements headed by their numbers."""
    header = [*extra, *(f"{prefix}{n}" for n in range(1, 21))]
    rows = [header]
    for n, points in enumerate(point_sets):
        rows.append([f"Person {n}", "HR", *("" if p is None else p for p in points)])
    return rows


def points_of(data, role: str) -> list[list]:
    answers = data.answers[data.answers["role"] == role]
    wide = answers.pivot(index="respondent", columns="item", values="points")
    wide = wide.loc[sorted(wide.index), ITEMS[role]]
    return [[None if pd.isna(v) else int(v) for v in row] for row in wide.to_numpy()]


def toml(folder: Path, text: str) -> Path:
    path = folder / "round.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "runde-2026"
    folder.mkdir()
    return folder


# ----------------------------------------------------------------- loading


def test_no_round_toml_gives_the_defaults(folder):
    settings = load_settings(folder)
    assert settings == RoundSettings()
    assert (settings.lang, settings.min_group, settings.max_missing) == ("da", 5, 0)
    assert settings.source is None and settings.unit is None and not settings.roles


def test_every_key(folder):
    write_csv(folder / "Ledere.csv", numbered_rows([MIXED_60]))
    write_csv(folder / "Medarbejdere.csv", numbered_rows([FULL_100], prefix="Spm. "))
    (folder / "vores-mus.toml").write_text(
        (Path(__file__).parent.parent / "mus_analysis" / "data" / "instrument.toml")
        .read_text("utf-8"), encoding="utf-8")
    toml(folder, """
title = "MUS-runden foråret 2026"
date = 2026-04-30
lang = "en"
min_group = 3
max_missing = 2
answer_codes = "1-5"
instrument = "vores-mus.toml"
unit = ["Afdeling", "Enhed"]

[roles]
leader = "Ledere.csv"
employee = ["Medarbejdere.csv"]

[columns]
"1" = 1
[columns."Medarbejdere.csv"]
"Spm. 1" = "e1"
""")
    settings = load_settings(folder)

    assert settings.title == "MUS-runden foråret 2026"
    assert settings.date == datetime.date(2026, 4, 30)
    assert (settings.lang, settings.min_group, settings.max_missing) == ("en", 3, 2)
    assert settings.answer_codes == "1-5"
    assert settings.instrument == (folder / "vores-mus.toml").resolve()
    assert settings.unit == ("Afdeling", "Enhed")
    assert settings.roles == {"Ledere.csv": "leader", "Medarbejdere.csv": "employee"}
    assert settings.columns == {"": {"1": 1}, "Medarbejdere.csv": {"Spm. 1": "E01"}}
    assert settings.role_of("Ledere.csv") == "leader"
    assert settings.columns_of("Medarbejdere.csv") == {
        "1": ("columns", 1), "Spm. 1": ('columns."Medarbejdere.csv"', "E01")}
    assert settings.source == folder / "round.toml"
    assert "title" in settings.given and "roles" in settings.given


BAD = [
    ("min_grup = 3", r"`min_grup` is not a setting; the settings are title, date, lang, "
                     r"min_group, .* Fix: did you mean `min_group`\?"),
    ("lang = \"dk\"", r"the value for `lang` must be one of \['da', 'en'\], but 'dk' was "
                      r"given\. Fix: correct `lang`"),
    ("min_group = 0", r"`min_group` must be a whole number of 1 or more, but 0 was given"),
    ("min_group = 2.5", r"`min_group` must be a whole number of 1 or more, but 2\.5 was given"),
    ("max_missing = 20", r"`max_missing` must be a whole number from 0 to 19, but 20 was "
                         r"given"),
    ("answer_codes = \"2-6\"", r"`answer_codes` must be one of \['1-5', '0-4'\], but '2-6'"),
    ("date = \"31/12/2025\"", r"`date` must be a date such as 2026-04-30, but '31/12/2025'"),
    ("unit = 3", r"`unit` must be a column header or column letter, a list of them"),
    ("title = \"\"", r"`title` must be a text"),
    ("instrument = \"mangler.toml\"", r"`instrument` names 'mangler\.toml', which is not a "
                                      r"file"),
    ("[roles]\nledere = \"Ledere.csv\"", r"`roles\.ledere` is not a role; the roles are "
                                         r"\['leader', 'employee'\]\. Fix: did you mean"),
    ("[roles]\nleader = \"Lederne.csv\"", r"`roles\.leader` names 'Lederne\.csv', which is not "
                                          r"a file of the round folder\. Did you mean "
                                          r"'Ledere\.csv'\?"),
    ("[roles]\nleader = \"Ledere.csv\"\nemployee = \"Ledere.csv\"",
     r"'Ledere\.csv' is named under both roles"),
    ("[columns]\n\"Spm. 1\" = \"L21\"", r"the value for `columns\.\"Spm\. 1\"` must be an "
                                        r"item id from L01 to E20, or a statement number from "
                                        r"1 to 20 of the file's role, but 'L21' was given"),
    ("[columns]\n\"Spm. 1\" = 21", r"`columns\.\"Spm\. 1\"` must be .* but 21 was given"),
    ("[columns]\nA = \"L01\"\nB = \"l1\"", r"`columns` maps both 'A' and 'B' to 'L01'"),
    ("[columns.\"Lederne.csv\"]\nA = \"L01\"", r"`columns\.\"Lederne\.csv\"` names "
                                               r"'Lederne\.csv', which is not a file"),
    ("lang = da", r"is not valid TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[b[0].split("=")[0].strip()
                                                        for b in BAD])
def test_invalid_settings_name_the_key_and_the_allowed_values(folder, text, message):
    write_csv(folder / "Ledere.csv", numbered_rows([MIXED_60]))
    toml(folder, text + "\n")
    with pytest.raises(RoundError, match=r"^round\.toml: (the value for )?" + message):
        load_settings(folder)
    with pytest.raises(RoundError, match=r"^round\.toml: "):
        read_round(folder)


def test_invalid_instrument_file_is_named(folder):
    (folder / "vores.toml").write_text("name = 'x'\n", encoding="utf-8")
    toml(folder, 'instrument = "vores.toml"\n')
    with pytest.raises(RoundError, match=r"round\.toml: `instrument` names a file that is not "
                                         r"a valid instrument: .*vores\.toml"):
        load_settings(folder)


# ------------------------------------------------------ the column mapping


@pytest.mark.parametrize("prefix", ["", "Spm. "], ids=["1..20", "Spm. 1..Spm. 20"])
def test_numbered_headers_mapped_by_statement_number(folder, prefix):
    write_csv(folder / "Ledere.csv", numbered_rows([MIXED_60, FULL_100], prefix=prefix))
    write_csv(folder / "Medarbejdere.csv", numbered_rows([ONE_BLANK], prefix=prefix))
    mapping = "\n".join(f'"{prefix}{n}" = {n}' for n in range(1, 21))
    toml(folder, f"[columns]\n{mapping}\n")

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert points_of(data, "employee") == [ONE_BLANK]
    assert set(data.respondents["unit"]) == {"HR"}
    table = data.tables[0]
    assert table.detected["columns"]["leader"][f"{prefix}7"] == "L07"
    assert table.detected["mapped"][f"{prefix}7"] == f"{prefix}7"
    assert "Person 0" not in data.log.to_string()


def test_numbered_headers_mapped_per_file_by_item_id(folder):
    write_csv(folder / "svar-a.csv", numbered_rows([MIXED_60], prefix="Spm. "))
    write_csv(folder / "svar-b.csv", numbered_rows([FULL_100], prefix="Spm. "))
    lead = "\n".join(f'"Spm. {n}" = "L{n:02d}"' for n in range(1, 21))
    staff = "\n".join(f'"Spm. {n}" = "E{n}"' for n in range(1, 21))
    toml(folder, f'[columns."svar-a.csv"]\n{lead}\n[columns."svar-b.csv"]\n{staff}\n')

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [FULL_100]


def test_column_letters(folder):
    write_csv(folder / "ledere.csv", numbered_rows([MIXED_60], prefix="Q"))
    letters = [chr(ord("C") + n) for n in range(20)]   # C..V
    mapping = "\n".join(f'{letter} = "L{n:02d}"' for n, letter in enumerate(letters, start=1))
    toml(folder, f'[columns."ledere.csv"]\n{mapping}\n')

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert data.tables[0].detected["mapped"]["Q1"] == "C"


def test_mapping_wins_over_a_header_text(folder):
    """A header that reads as another statement's text is taken as the mapping says."""
    header = [TEXT[i] for i in ITEMS["leader"]]
    header[0], header[1] = header[1], header[0]   # the tool swapped two headers
    write_csv(folder / "ledere.csv", [header, MIXED_60])
    toml(folder, f'[columns]\n"{header[0]}" = "L01"\n"{header[1]}" = "L02"\n')

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]


BY_NUMBER = "\n".join(f'"Spm. {n}" = {n}' for n in range(1, 21))
BY_ID = "\n".join(f'"Spm. {n}" = "L{n:02d}"' for n in range(2, 21))
IMPOSSIBLE = [
    (f'[columns]\n{BY_NUMBER}\n"Spm. 21" = "L01"',
     r"round\.toml: `columns` maps 'Spm\. 21', which is neither a column header nor a column "
     r"letter of any export\. Fix: copy the header"),
    (f'[columns."ledere.csv"]\n{BY_NUMBER}\nZZ = "L21"',
     r"round\.toml: the value for `columns\.\"ledere\.csv\"\.ZZ` must be an item id"),
    (f'[columns."ledere.csv"]\nZZ = "L01"\n{BY_ID}',
     r"round\.toml: `columns\.\"ledere\.csv\"` maps 'ZZ', which is neither a column header "
     r"nor a column letter of ledere\.csv"),
    (f'[columns]\n"Sp. 1" = "L01"\n{BY_ID}',
     r"ledere\.csv: 1 leader statement\(s\) have no column: L01 .* round\.toml `columns` "
     r"maps 'Sp\. 1', which no column here has\."),
    (f'[columns]\n"Spm. 1" = "E01"\n{BY_ID}',
     r"ledere\.csv: has statements of both questionnaires but no role column"),
    ('[roles]\nleader = "ledere.csv"\n[columns]\n' + "\n".join(
        f'"Spm. {n}" = "E{n:02d}"' for n in range(1, 21)),
     r"round\.toml: `roles\.leader` names ledere\.csv, but its columns are the employee "
     r"questionnaire\. Fix: name it under roles\.employee"),
    (f'[columns]\n"Navn" = "L01"\n"Spm. 1" = "L01"\n{BY_ID}',
     r"round\.toml: `columns` maps both 'Navn' and 'Spm\. 1' to 'L01'"),
    (f'[columns]\n"Navn" = "L01"\n{BY_ID}\n[columns."ledere.csv"]\n"Spm. 1" = "L01"',
     r"ledere\.csv: columns 'Navn' and 'Spm\. 1' both map to statement L01"),
    (f'[roles]\nleader = "ledere.csv"\n[columns]\n{BY_NUMBER}\n"Navn" = "L01"',
     r"ledere\.csv: columns 'Navn' and 'Spm\. 1' both map to statement L01"),
]


@pytest.mark.parametrize(("text", "message"), IMPOSSIBLE)
def test_impossible_mappings_are_named(folder, text, message):
    write_csv(folder / "ledere.csv", numbered_rows([MIXED_60], prefix="Spm. "))
    toml(folder, text + "\n")
    with pytest.raises(RoundError, match=message):
        read_round(folder)


def test_numbered_mapping_needs_a_role(folder):
    write_csv(folder / "svar.csv", numbered_rows([MIXED_60]))
    toml(folder, "[columns]\n" + "\n".join(f'"{n}" = {n}' for n in range(1, 21)) + "\n")
    with pytest.raises(RoundError, match=r"svar\.csv: round\.toml maps its columns by statement "
                                         r"number, but its role cannot be told\. Fix: name the "
                                         r"file under \[roles\]"):
        read_round(folder)
    toml(folder, '[roles]\nemployee = "svar.csv"\n[columns]\n'
         + "\n".join(f'"{n}" = {n}' for n in range(1, 21)) + "\n")
    assert points_of(read_round(folder), "employee") == [MIXED_60]


# -------------------------------------------------------------- roles, unit


def test_roles_tell_files_that_hold_only_shared_statements(folder):
    shared = ["L01", "L02", "L04", "L05", "L16"]
    write_csv(folder / "svar-1.csv", [[TEXT[i] for i in shared], [1, 2, 3, 4, 5]])
    write_csv(folder / "svar-2.csv", [ITEMS["leader"], FULL_100])
    with pytest.raises(RoundError, match=r"svar-1\.csv: holds only statements that both "
                                         r"questionnaires share.*\[roles\] in round\.toml"):
        read_round(folder)
    toml(folder, '[roles]\nemployee = "svar-1.csv"\n')
    with pytest.raises(RoundError, match=r"svar-1\.csv: 15 employee statement\(s\) have no "
                                         r"column"):
        read_round(folder)


@pytest.mark.parametrize("scope", ["runde.xlsx:Ark2", "runde.xlsx"])
def test_roles_name_sheets(folder, scope):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Ark1"
    for row in [ITEMS["leader"], MIXED_60]:
        workbook["Ark1"].append(row)
    second = workbook.create_sheet("Ark2")
    for row in [[f"Spm. {n}" for n in range(1, 21)], FULL_100]:
        second.append(row)
    workbook.save(folder / "runde.xlsx")
    mapping = "\n".join(f'"Spm. {n}" = {n}' for n in range(1, 21))
    toml(folder, f'[roles]\nemployee = "runde.xlsx:Ark2"\n[columns."{scope}"]\n'
                 f"{mapping}\n")

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [FULL_100]
    sheet = next(t for t in data.tables if t.sheet == "Ark2")
    assert sheet.detected["role_from"] == "round.toml roles.employee"

    toml(folder, f'[roles]\nemployee = "runde.xlsx:Ark3"\n[columns."{scope}"]\n'
                 f"{mapping}\n")
    with pytest.raises(RoundError, match=r"round\.toml: `roles\.employee` names the sheet "
                                         r"'Ark3' of runde\.xlsx, which has the sheets "
                                         r"\['Ark1', 'Ark2'\]"):
        read_round(folder)


def test_unit_names_the_unit_column(folder):
    write_csv(folder / "ledere.csv", [["Team", "Afdeling", *ITEMS["leader"]],
                                      ["Nord", "HR", *MIXED_60], ["Syd", "IT", *FULL_100]])
    assert read_round(folder).respondents["unit"].tolist() == ["Nord", "Syd"]
    toml(folder, 'unit = "Afdeling"\n')
    assert read_round(folder).respondents["unit"].tolist() == ["HR", "IT"]
    toml(folder, 'unit = "B"\n')
    assert read_round(folder).respondents["unit"].tolist() == ["HR", "IT"]
    toml(folder, 'unit = ""\n')
    data = read_round(folder)
    assert data.respondents["unit"].isna().all()
    assert data.tables[0].detected["dropped_columns"] == {
        "Team": "not a statement of the questionnaire",
        "Afdeling": "not a statement of the questionnaire"}
    toml(folder, 'unit = "Kontor"\n')
    with pytest.raises(RoundError, match=r"round\.toml: `unit` names \['Kontor'\], which is no "
                                         r"column of any export"):
        read_round(folder)


# ------------------------------------------------- settings reach the report


def small_round(folder: Path) -> None:
    write_csv(folder / "ledere.csv", [ITEMS["leader"], MIXED_60, FULL_100, [4] * 18 + [None] * 2])
    write_csv(folder / "medarbejdere.csv", [ITEMS["employee"], *[FULL_100] * 5])


def test_analyse_round_honours_round_toml(folder):
    small_round(folder)
    plain = analyse_round(folder)
    assert (plain.min_group, plain.max_missing) == (5, 0)
    assert plain.withheld == ["leader"]

    toml(folder, 'min_group = 3\nmax_missing = 2\ntitle = "Forår"\n')
    analysis = analyse_round(folder)
    assert (analysis.min_group, analysis.max_missing) == (3, 2)
    assert analysis.withheld == [] and analysis.summary["roles"]["leader"]["scored"] == 3
    assert analysis.data.settings.title == "Forår"

    explicit = analyse_round(folder, min_group=5, max_missing=0)
    assert explicit.withheld == ["leader"] and (explicit.min_group, explicit.max_missing) == (5, 0)


def test_instrument_file_named_in_round_toml(folder):
    text = (Path(__file__).parent.parent / "mus_analysis" / "data" / "instrument.toml") \
        .read_text("utf-8").replace('da = "MUS gennemføres"', 'da = "MUS bliver holdt"')
    (folder / "vores-mus.toml").write_text(text, encoding="utf-8")
    header = [TEXT[i] for i in ITEMS["leader"]]
    header[0] = "MUS bliver holdt"
    write_csv(folder / "ledere.csv", [header, MIXED_60])
    with pytest.raises(RoundError, match="1 leader statement"):
        read_round(folder)
    toml(folder, 'instrument = "vores-mus.toml"\n')

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert analyse_round(folder).instrument.source.endswith("vores-mus.toml")
    assert "ignored file" not in set(data.log["action"])


def test_report_job_takes_round_toml_unless_given(folder):
    small_round(folder)
    job = resolve_job(folder, "reports")
    assert (job.lang, job.min_group, job.max_missing) == ("da", 5, 0)

    toml(folder, 'lang = "en"\nmin_group = 3\nmax_missing = 1\n')
    job = resolve_job(folder, "reports")
    assert (job.lang, job.min_group, job.max_missing) == ("en", 3, 1)
    assert job.parameters(Path("out"))["lang"] == "en"
    assert "round.toml" in job.fingerprint()["inputs"]

    given = resolve_job(folder, "reports", lang="da", min_group=None, max_missing=0)
    assert (given.lang, given.min_group, given.max_missing) == ("da", 3, 0)

    # An invalid round.toml does not stop the planning of a batch; the run fails on it.
    toml(folder, "lang = 'dk'\n")
    assert resolve_job(folder, "reports").lang == "da"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "mus_analysis", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=600)


def test_report_command_uses_round_toml_and_explicit_options_win(tmp_path):
    folder = tmp_path / "raw" / "example-2025"
    shutil.copytree(EXAMPLES / "example-2025", folder)
    toml(folder, 'lang = "en"\nmin_group = 40\n')

    result = run("report", folder, "--out", tmp_path / "r")
    assert result.returncode == 0, result.stderr
    report = tmp_path / "r" / "example-2025"
    html = (report / "example-2025.html").read_text("utf-8")
    assert '<html lang="en">' in html
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    assert summary["roles"]["leader"] == {"respondents": 35, "withheld": True}
    assert json.loads((report / "build.json").read_text("utf-8"))["parameters"]["min_group"] \
        == 40

    result = run("report", folder, "--out", tmp_path / "r", "--lang", "da", "--min-group", "5")
    assert result.returncode == 0, result.stderr
    html = (report / "example-2025.html").read_text("utf-8")
    assert '<html lang="da">' in html
    summary = json.loads((report / "summary.json").read_text("utf-8"))
    assert summary["roles"]["leader"]["withheld"] is False


def test_batch_reports_an_invalid_round_toml_as_that_round_failing(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLES / "example-2026", raw / "example-2026")
    (raw / "bad").mkdir()
    write_csv(raw / "bad" / "ledere.csv", [ITEMS["leader"], *[MIXED_60] * 5])
    toml(raw / "bad", "min_grup = 3\n")

    result = run("batch", raw, "--out", tmp_path / "r", "--jobs", "1", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would build bad" in result.stdout

    result = run("batch", raw, "--out", tmp_path / "r", "--jobs", "1")
    assert result.returncode == 1
    lines = dict(line.split(None, 1)[::-1] for line in result.stdout.splitlines() if line)
    failed = next(line for line in result.stdout.splitlines() if line.startswith("failed"))
    assert "bad: round.toml: `min_grup` is not a setting" in failed
    assert any(line.startswith("built") and "example-2026" in line
               for line in result.stdout.splitlines()), lines
