"""``mus-analysis inspect`` and ``init``: what the kit detects, said and written down."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_formats import (
    FULL_100,
    MIXED_60,
    ONE_BLANK,
    qualtrics_rows,
    surveyxact_sheets,
    write_csv,
    write_xlsx,
)

from mus_analysis import read_round
from mus_analysis.cli import main
from mus_analysis.settings import load_settings

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "raw"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict:
    return {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*")}


@pytest.fixture
def examples(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(EXAMPLES, raw, ignore=shutil.ignore_patterns(".gitkeep"))
    return raw


EXPECTED = {
    "example-2024": [
        "MUS-test 2024.xlsx",
        "  sheet 'Ledere'",
        "    read as: Excel workbook",
        "    layout: a plain table (no tool named)",
        "    header: row 1; 30 answer rows below",
        "    role: leader, from the statements in the columns",
        "    unit column: 'Enhed'",
        "    leader statements: 20 columns headed by their item ids L01-L20",
        "      'Løbenr': survey metadata",
        "  sheet 'Medarbejdere'",
        "    header: row 1; 200 answer rows below",
        "    employee statements: 20 columns headed by their item ids E01-E20",
        "The round reads: 30 leaders, 200 employees from 230 rows; dropped rows: 0, answers "
        "set to missing: 3.",
    ],
    "example-2025": [
        "MUS-test for ledere 2025.xlsx",
        "  layout: Microsoft Forms",
        "  header: row 1; 35 answer rows below",
        "  role: leader, from the statements in the columns",
        "  unit column: 'Hvilken enhed er du ansat i?'",
        "    L01 <- 'MUS gennemføres'",
        "    E03 <- 'Jeg oplever, at min leder er godt foreberedt til min MUS'",
        "    'Mail': personal data (e-mail address)",
        "    'Navn': personal data (name)",
        "    'Har du kommentarer til MUS-processen?': personal data (free text)",
        "    'Starttidspunkt': survey metadata",
        "The round reads: 35 leaders, 250 employees from 285 rows; dropped rows: 0, answers "
        "set to missing: 4.",
    ],
    "example-2026": [
        "Ledere - svar.csv",
        "  read as: CSV, encoding utf-8, separator ','",
        "  layout: Google Forms",
        "    L01 <- 'Forberedelse og gennemførelse af MUS [MUS gennemføres]'",
        "  unit column: 'Enhed'",
        "    'Mailadresse': personal data (e-mail address)",
        "Medarbejdere.csv",
        "  read as: CSV, encoding cp1252, separator ';'",
        "  layout: a plain table (no tool named)",
        "  unit column: 'Afdeling'",
        "  answers: labels or codes 1-5",
        "    'E-mail': personal data (e-mail address)",
        "The round reads: 35 leaders, 260 employees from 295 rows; dropped rows: 0, answers "
        "set to missing: 4.",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_inspect_explains_each_example_round(examples, name):
    folder = examples / name
    before = snapshot(examples.parent)

    result = invoke("inspect", folder)

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Round {name} ({folder})"
    assert lines[1] == "round.toml: none; the defaults apply (lang da, min_group 5, max_missing 0)"
    for line in EXPECTED[name]:
        assert line in lines, f"{line!r} not in:\n{result.output}"
    # The counts are those the reader gives.
    data = read_round(folder)
    counts = data.respondents["role"].value_counts()
    assert f"{counts['leader']} leaders, {counts['employee']} employees" in lines[-1]
    # Nothing is written, and no answer cell (names, e-mail addresses) is shown.
    assert snapshot(examples.parent) == before
    assert "@" not in result.output


def test_inspect_shows_tool_layouts_and_dropped_rows(tmp_path):
    folder = tmp_path / "runde"
    write_csv(folder / "MUS ledere.csv",
              qualtrics_rows("leader", [MIXED_60, FULL_100, ONE_BLANK, MIXED_60, FULL_100]))
    write_xlsx(folder / "MUS medarbejdere.xlsx", surveyxact_sheets("employee", [FULL_100]))
    (folder / "noter.txt").write_text("Ring til Karen Østergaard\n", encoding="utf-8")

    result = invoke("inspect", folder)

    assert result.exit_code == 0, result.output
    for line in [
        "MUS ledere.csv",
        "  read as: CSV, encoding utf-8-sig, separator ','",
        "  layout: Qualtrics",
        "  header: rows 1-3 (statements named in row 2); 5 answer rows below",
        "    L01 <- 'Hvor ofte gælder følgende for dig? - MUS gennemføres'",
        "    'Recipient Email': personal data (e-mail address)",
        "  dropped rows: 2 (1 Qualtrics status 'Survey Preview': not a respondent's answers; "
        "1 Qualtrics status 'Spam': not a respondent's answers)",
        "  sheet 'Dataset'",
        "    layout: SurveyXact, described by MUS medarbejdere.xlsx (sheet 'Variables'), "
        "MUS medarbejdere.xlsx (sheet 'Labels')",
        "      E01 <- 's_1' (MUS gennemføres)",
        "    unit column: 'b_afdeling'",
        "  sheet 'Labels'",
        "noter.txt",
        "  ignored: no statement columns",
        "The round reads: 3 leaders, 1 employees from 6 rows; dropped rows: 2, answers set to "
        "missing: 0.",
    ]:
        assert line in result.output.splitlines(), f"{line!r} not in:\n{result.output}"
    assert "Østergaard" not in result.output


def test_inspect_names_each_problem_and_exits_1(tmp_path):
    folder = tmp_path / "runde"
    write_csv(folder / "ledere.csv", [["Navn", *(f"Spm. {n}" for n in range(1, 21))],
                                      ["Karen", *MIXED_60]])
    write_csv(folder / "medarbejdere.xlsx.csv", [["E01"], ["4"]])

    result = invoke("inspect", folder)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    at = lines.index("ledere.csv")
    assert lines[at + 1:at + 4] == ["  read as: CSV, encoding utf-8-sig, separator ','",
                                    "  layout: a plain table (no tool named)",
                                    "  header: row 1"]
    assert "    'Spm. 1': not a statement of the questionnaire" in lines
    assert any(line.startswith("  PROBLEM: matches neither questionnaire") for line in lines)
    assert any(line.startswith("  PROBLEM: 19 employee statement(s) have no column")
               for line in lines)
    assert lines[-1] == "The round does not read: 2 file(s) with a problem above."


def test_inspect_names_a_round_toml_problem(examples):
    folder = examples / "example-2026"
    (folder / "round.toml").write_text("min_grup = 3\n", encoding="utf-8")

    result = invoke("inspect", folder)

    assert result.exit_code == 1
    assert result.output.splitlines()[-2].startswith(
        "PROBLEM (round.toml): `min_grup` is not a setting")


def test_inspect_shows_the_round_toml_in_effect(examples):
    folder = examples / "example-2025"
    (folder / "round.toml").write_text('lang = "en"\nmin_group = 3\n', encoding="utf-8")

    result = invoke("inspect", folder)

    assert result.exit_code == 0
    assert result.output.splitlines()[1] == ("round.toml: sets lang, min_group; in effect: "
                                             "lang en, min_group 3, max_missing 0")


def test_inspect_a_missing_folder(tmp_path):
    result = invoke("inspect", tmp_path / "findes-ikke")
    assert result.exit_code == 1
    assert "is not a folder" in result.output


# -------------------------------------------------------------------- init


def test_init_writes_what_was_detected(examples):
    folder = examples / "example-2026"
    before = read_round(folder)

    result = invoke("init", folder)

    assert result.exit_code == 0, result.output
    text = (folder / "round.toml").read_text("utf-8")
    assert '[roles]\nleader = "Ledere - svar.csv"\nemployee = "Medarbejdere.csv"\n' in text
    assert 'unit = ["Enhed", "Afdeling"]' in text
    assert '# lang = "da"' in text and "# min_group = 5" in text
    settings = load_settings(folder)
    assert settings.roles == {"Ledere - svar.csv": "leader", "Medarbejdere.csv": "employee"}
    assert settings.unit == ("Enhed", "Afdeling")
    assert settings.given == {"unit", "roles"}
    after = read_round(folder)
    assert after.answers.equals(before.answers)
    assert after.respondents.equals(before.respondents)

    again = invoke("init", folder)
    assert again.exit_code == 1 and "exists already" in again.output
    (folder / "round.toml").write_text('lang = "en"\n', encoding="utf-8")
    forced = invoke("init", folder, "--force")
    assert forced.exit_code == 0
    text = (folder / "round.toml").read_text("utf-8")
    assert '\nlang = "en"' in text
    assert load_settings(folder).lang == "en"


def test_init_writes_a_column_template_for_numbered_headers(tmp_path):
    folder = tmp_path / "runde"
    write_csv(folder / "ledere.csv", [["Navn", *(f"Spm. {n}" for n in range(1, 21))],
                                      ["Karen", *MIXED_60], ["Mads", *FULL_100]])

    result = invoke("init", folder)

    assert result.exit_code == 0
    assert "1 problem(s) remain" in result.output
    text = (folder / "round.toml").read_text("utf-8")
    assert '# [columns."ledere.csv"]\n# "Spm. 1" = 1\n# "Spm. 2" = 2\n' in text
    assert '"Navn"' not in text
    load_settings(folder)   # valid as written

    # Uncomment the template and name the role: the round reads.
    text = text.replace('# [columns."ledere.csv"]', '[columns."ledere.csv"]')
    text = "\n".join(line[2:] if line.startswith('# "Spm. ') else line
                     for line in text.splitlines())
    text = text.replace('# leader = "leaders.xlsx"', 'leader = "ledere.csv"')
    (folder / "round.toml").write_text(text, encoding="utf-8")
    data = read_round(folder)
    assert len(data.respondents) == 2
    assert invoke("inspect", folder).exit_code == 0
