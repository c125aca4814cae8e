"""Reading round folders: real export files written to tmp_path as the tools write them.

Every test builds files whose points are known by hand, reads them with
:func:`mus_analysis.read.read_round` and checks the exact points, the rows the
answers came from, the cleaning log, and the one-line errors for bad input.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from mus_analysis import RoundError, band_of, load_instrument, read_round, score_respondents
from mus_analysis.read import answer_points

INS = load_instrument()
ROLES = ("leader", "employee")
ITEMS = {role: INS.role_items(role)["item"].tolist() for role in ROLES}
TEXT = {lang: INS.item_text(lang) for lang in ("da", "en")}
SECTION_OF = dict(zip(INS.items["item"], INS.items["section"]))
SECTION_TEXT = {lang: dict(zip(INS.sections["section"], INS.sections[lang]))
                for lang in ("da", "en")}
LABELS = {"da": ["Aldrig", "Sjældent", "Af og til", "Oftest", "Altid"],
          "en": ["Never", "Rarely", "Sometimes", "Mostly", "Always"]}

# Personal data planted in the exports; none of it may come out of the reader.
NAMES = ["Karen Østergaard", "Mads Bæk", "Lis Holm", "Jens Ravn"]
MAILS = [f"person{n}@styrelsen.example.dk" for n in range(4)]
IPS = ["192.0.2.17", "192.0.2.18", "192.0.2.19", "192.0.2.20"]
COMMENT = "Min chef Bent Hemmeligsen lytter aldrig"
PLANTED = [*NAMES, *MAILS, *IPS, COMMENT, "Hemmeligsen", "@styrelsen"]

MS_META_DA = ["Id", "Starttidspunkt", "Sluttidspunkt", "Mail", "Navn", "Senest ændret"]
MS_META_EN = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]

# Hand-made answer sets: points per statement in questionnaire order, None = blank.
FULL_100 = [5] * 20
MIXED_60 = [1, 2, 3, 4, 5] * 4
ONE_BLANK = [4] * 19 + [None]


# ------------------------------------------------------------------ helpers


def label(points: int | None, lang: str = "da") -> str:
    return "" if points is None else LABELS[lang][points - 1]


def write_csv(path: Path, rows: list[list], *, sep: str = ";", encoding: str = "cp1252",
              quoting: int = csv.QUOTE_MINIMAL, newline: str = "\r\n") -> Path:
    """Write rows as a CSV file the way a spreadsheet program saves one."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, quoting=quoting, lineterminator=newline)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """Write a workbook, one sheet per entry; None leaves a cell empty."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    sheet.cell(row=r, column=c, value=value)
    workbook.save(path)
    return path


def ms_forms_rows(role: str, point_sets: list[list], *, lang: str = "da",
                  unit: list[str] | None = None) -> list[list]:
    """Rows of a Microsoft Forms download: metadata, statements, comment."""
    meta = MS_META_DA if lang == "da" else MS_META_EN
    unit_header = ["Hvilken enhed er du ansat i?"] if unit else []
    header = [*meta, *unit_header, *(TEXT[lang][i] for i in ITEMS[role]),
              "Har du kommentarer til MUS-processen?"]
    rows = [header]
    for n, points in enumerate(point_sets):
        meta_values = [n + 1, "3/1/25 9:00:00", "3/1/25 9:07:12", MAILS[n % 4],
                       NAMES[n % 4], "3/1/25 9:07:12"]
        unit_value = [unit[n]] if unit else []
        answers = [label(p, lang) for p in points]
        rows.append([*meta_values, *unit_value, *answers, COMMENT])
    return rows


def google_rows(role: str, point_sets: list[list], *, lang: str = "da") -> list[list]:
    """Rows of a Google Forms responses sheet: grid headers 'Section [statement]'."""
    meta = ["Tidsstempel", "Mailadresse"] if lang == "da" else ["Timestamp", "Email address"]
    header = [*meta, *(f"{SECTION_TEXT[lang][SECTION_OF[i]]} [{TEXT[lang][i]}]"
                       for i in ITEMS[role])]
    rows = [header]
    for n, points in enumerate(point_sets):
        rows.append(["2026/01/05 10:12:01 AM CET", MAILS[n % 4],
                     *(label(p, lang) for p in points)])
    return rows


def id_rows(role: str, point_sets: list[list], *, header=None) -> list[list]:
    """Rows with item ids as headers and codes 1-5 as answers."""
    header = header or ITEMS[role]
    return [list(header), *([("" if p is None else p) for p in points]
                            for points in point_sets)]


def round_dir(tmp_path: Path, name: str = "runde-2025") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def points_of(data, role: str) -> list[list]:
    """Points per respondent of one role, in questionnaire order, None when missing."""
    answers = data.answers[data.answers["role"] == role]
    wide = answers.pivot(index="respondent", columns="item", values="points")
    wide = wide.loc[sorted(wide.index), ITEMS[role]]
    return [[None if pd.isna(v) else int(v) for v in row] for row in wide.to_numpy()]


def rows_of(data, role: str) -> list[tuple[str, int]]:
    frame = data.respondents[data.respondents["role"] == role].sort_values("respondent")
    return list(zip(frame["file"], frame["row"]))


def log_entries(data, action: str | None = None) -> list[tuple]:
    log = data.log if action is None else data.log[data.log["action"] == action]
    return [(f, None if pd.isna(r) else int(r), c, v)
            for f, r, c, v in log[["file", "row", "column", "value"]].itertuples(index=False)]


def all_cells(frame: pd.DataFrame) -> list[str]:
    return [str(v) for v in [*frame.columns, *frame.to_numpy().ravel()]]


def assert_no_personal_data(data, *, tables: bool = True) -> None:
    """No planted name, e-mail, IP or comment in any cell the reader returns.

    ``tables`` also searches the tables' frames, which keep the raw statement,
    role and unit cells (so not what a respondent typed into an answer cell).
    """
    frames = [data.answers, data.respondents, data.log]
    frames += [t.frame for t in data.tables] if tables else []
    for frame in frames:
        for cell in all_cells(frame):
            leaked = [p for p in PLANTED if p.casefold() in cell.casefold()]
            assert not leaked, f"{leaked} leaked in {cell!r}"


# ----------------------------------------------------------- layouts: files


def test_ms_forms_danish_workbooks_one_per_role(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "MUS-test for ledere.xlsx",
               {"Sheet1": ms_forms_rows("leader", [FULL_100, MIXED_60],
                                        unit=["Økonomi", ""])})
    write_xlsx(folder / "MUS-test for medarbejdere.xlsx",
               {"Sheet1": ms_forms_rows("employee", [MIXED_60, ONE_BLANK, FULL_100],
                                        unit=["HR", "IT", "HR"])})

    data = read_round(folder)

    assert data.round == "runde-2025"
    assert data.received == 5
    assert points_of(data, "leader") == [FULL_100, MIXED_60]
    assert points_of(data, "employee") == [MIXED_60, ONE_BLANK, FULL_100]
    assert rows_of(data, "leader") == [("MUS-test for ledere.xlsx", 2),
                                       ("MUS-test for ledere.xlsx", 3)]
    assert rows_of(data, "employee") == [("MUS-test for medarbejdere.xlsx", r)
                                         for r in (2, 3, 4)]
    respondents = data.respondents.set_index("respondent")
    units = {k: None if pd.isna(v) else v for k, v in respondents["unit"].items()}
    assert units == {"L0001": "Økonomi", "L0002": None,
                                             "E0001": "HR", "E0002": "IT", "E0003": "HR"}
    assert set(data.respondents["round"]) == {"runde-2025"}
    assert list(data.answers.columns) == ["round", "role", "respondent", "unit", "item",
                                          "points"]
    assert str(data.answers["points"].dtype) == "Int64"
    assert len(data.answers) == 5 * 20
    dropped = data.log[data.log["action"] == "dropped column"]
    assert set(dropped["column"]) == {*MS_META_DA, "Har du kommentarer til MUS-processen?"}
    assert_no_personal_data(data)


def test_answers_and_respondents_frames_by_hand(tmp_path):
    """Two leaders in a Danish Excel CSV, every output cell written out by hand."""
    folder = round_dir(tmp_path, "2025")
    first = [4, 3] + [5] * 18            # 96 points
    second = [None, "Ved ikke"] + [1] * 18
    rows = [["Navn", "Afdeling", *ITEMS["leader"]],
            [NAMES[0], "Økonomi", *first],
            [NAMES[1], " ", *second]]
    write_csv(folder / "ledere.csv", rows)

    data = read_round(folder)

    expected_points = [*first, None, None, *[1] * 18]
    expected = pd.DataFrame({
        "round": "2025",
        "role": "leader",
        "respondent": ["L0001"] * 20 + ["L0002"] * 20,
        "unit": pd.array(["Økonomi"] * 20 + [pd.NA] * 20, dtype="string"),
        "item": ITEMS["leader"] * 2,
        "points": pd.array(expected_points, dtype="Int64"),
    })
    # The key columns are categorical (a large round has millions of rows).
    answers = data.answers.astype({c: "string" for c in expected.columns[:5]})
    pd.testing.assert_frame_equal(answers, expected, check_dtype=False)
    assert str(data.answers["points"].dtype) == "Int64"
    respondents = pd.DataFrame({
        "round": "2025", "role": "leader", "respondent": ["L0001", "L0002"],
        "unit": pd.array(["Økonomi", pd.NA], dtype="string"),
        "file": "ledere.csv", "row": [2, 3], "source_id": ""})
    pd.testing.assert_frame_equal(data.respondents, respondents, check_dtype=False)
    assert log_entries(data) == [("ledere.csv", None, "Navn", ""),
                                 ("ledere.csv", 3, "L02", "Ved ikke"),
                                 ("2025", None, "", "")]
    assert data.log["reason"].iloc[-1] == "no employee answers in this round"
    assert data.received == 2
    assert_no_personal_data(data)


def test_ms_forms_english_interface_and_labels(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "Leaders.xlsx",
               {"Form1": ms_forms_rows("leader", [MIXED_60, FULL_100], lang="en")})
    write_xlsx(folder / "Employees.xlsx",
               {"Form1": ms_forms_rows("employee", [ONE_BLANK], lang="en")})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert points_of(data, "employee") == [ONE_BLANK]
    dropped = set(data.log.loc[data.log["action"] == "dropped column", "column"])
    assert set(MS_META_EN) <= dropped
    assert_no_personal_data(data)


def test_columns_in_any_order_map_by_header_not_position(tmp_path):
    folder = round_dir(tmp_path)
    rows = ms_forms_rows("leader", [MIXED_60, [3] * 19 + [1]])
    order = list(range(len(rows[0])))
    random.Random(7).shuffle(order)
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": [[row[i] for i in order] for row in rows]})
    write_csv(folder / "medarbejdere.csv", id_rows("employee", [FULL_100]))

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, [3] * 19 + [1]]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_google_forms_csv_with_grid_headers(tmp_path, lang):
    folder = round_dir(tmp_path)
    # Google writes UTF-8 without BOM, comma separated, quoting where needed.
    write_csv(folder / "MUS ledere (svar).csv", google_rows("leader", [MIXED_60], lang=lang),
              sep=",", encoding="utf-8", newline="\n")
    write_csv(folder / "MUS medarbejdere (svar).csv",
              google_rows("employee", [FULL_100, ONE_BLANK], lang=lang),
              sep=",", encoding="utf-8", newline="\n")

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [FULL_100, ONE_BLANK]
    assert rows_of(data, "employee") == [("MUS medarbejdere (svar).csv", 2),
                                         ("MUS medarbejdere (svar).csv", 3)]
    table = next(t for t in data.tables if t.file.startswith("MUS ledere"))
    assert table.detected["separator"] == ","
    assert table.detected["encoding"] == "utf-8"
    assert_no_personal_data(data)


def test_danish_excel_csv_semicolon_cp1252_crlf(tmp_path):
    folder = round_dir(tmp_path)
    rows = ms_forms_rows("employee", [MIXED_60, FULL_100, [2] * 20])
    path = write_csv(folder / "Medarbejdere.csv", rows)
    write_csv(folder / "Ledere.csv", ms_forms_rows("leader", [[3] * 20]))
    raw = path.read_bytes()
    assert b"\r\n" in raw and "Sjældent".encode("cp1252") in raw  # really cp1252 + CRLF

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60, FULL_100, [2] * 20]
    assert points_of(data, "leader") == [[3] * 20]
    table = next(t for t in data.tables if t.file == "Medarbejdere.csv")
    assert (table.detected["encoding"], table.detected["separator"]) == ("cp1252", ";")
    assert_no_personal_data(data)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
def test_csv_encodings_separators_and_quoting(tmp_path, encoding, sep, quoting):
    folder = round_dir(tmp_path)
    # Statement texts hold commas, so the separator must not be guessed from them.
    write_csv(folder / "ledere.csv", ms_forms_rows("leader", [MIXED_60, ONE_BLANK]),
              sep=sep, encoding=encoding, quoting=quoting)
    write_csv(folder / "medarbejdere.csv", ms_forms_rows("employee", [FULL_100]),
              sep=sep, encoding=encoding, quoting=quoting)

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, ONE_BLANK]
    assert points_of(data, "employee") == [FULL_100]
    assert {t.detected["separator"] for t in data.tables} == {sep}
    assert data.log[data.log["action"] == "set to missing"].empty


def test_semicolon_csv_with_decimal_comma_codes(tmp_path):
    """Danish Excel writes codes as '4,0'; the commas are not the separator."""
    folder = round_dir(tmp_path)
    rows = [ITEMS["leader"], *([f"{p},0" for p in points] for points in (MIXED_60, FULL_100))]
    write_csv(folder / "ledere.csv", rows)
    write_csv(folder / "medarbejdere.csv", id_rows("employee", [MIXED_60]))

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]


def test_quoted_multiline_comment_keeps_row_numbers(tmp_path):
    """A spreadsheet row is a CSV record, even when a quoted cell spans lines."""
    folder = round_dir(tmp_path)
    rows = [[*ITEMS["employee"], "Kommentar"],
            [*MIXED_60, "første linje\r\nanden linje; med semikolon"],
            [*FULL_100, ""]]
    write_csv(folder / "medarbejdere.csv", rows)
    write_csv(folder / "ledere.csv", id_rows("leader", [FULL_100]))

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60, FULL_100]
    assert rows_of(data, "employee") == [("medarbejdere.csv", 2), ("medarbejdere.csv", 3)]


# --------------------------------------------------------- layouts: headers


ID_STYLES = {
    "L01": lambda item: item,
    "l01": lambda item: item.lower(),
    "L1": lambda item: f"{item[0]}{int(item[1:])}",
    "l1": lambda item: f"{item[0].lower()}{int(item[1:])}",
    "L01. text": lambda item: f"{item}. {TEXT['da'][item]}",
    "L01 text": lambda item: f"{item} {TEXT['da'][item]}",
    "L1: text": lambda item: f"{item[0]}{int(item[1:])}: {TEXT['da'][item]}",
    "L01 - text": lambda item: f"{item} - {TEXT['da'][item]}",
    "L01 English": lambda item: f"{item}. {TEXT['en'][item]}",
    "Grid [L01]": lambda item: f"Spørgsmål [{item}]",
}


@pytest.mark.parametrize("style", list(ID_STYLES))
def test_item_id_headers(tmp_path, style):
    header = ID_STYLES[style]
    folder = round_dir(tmp_path)
    write_csv(folder / "ledere.csv",
              id_rows("leader", [MIXED_60], header=[header(i) for i in ITEMS["leader"]]))
    write_csv(folder / "medarbejdere.csv",
              id_rows("employee", [FULL_100], header=[header(i) for i in ITEMS["employee"]]))

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [FULL_100]


# The source form's spellings (typos, "fx."/"fx", "overfor", hyphenated line
# breaks) and the corrected ones must all be accepted as headers.
SOURCE_SPELLINGS = {
    "E03": "Jeg oplever, at min leder er godt foreberedt til min MUS",
    "E09": "Mine udviklingsbehov drøftes under MUS \n(fx. kompetencer, motivation, "
           "employability eller fortsatte karriere)",
    "E18": "Jeg oplever, at jeg er åben over for min leders nye ideer og forslag \n"
           "(fx. til nye måder at arbejde på, store og små hverdagsforbedringer)",
    "E15": "Jeg oplever, at der er en systematisk og tværgående opsamling af de \n"
           "generelle behov fra MUS-runden på arbejdspladsen",
    "L15": "Jeg bidrager til, at der er en systematisk og tværgående opsamling af de "
           "generelle behov fra MUS-runden på arbejds-\npladsen",
    "L19": "Jeg oplever, at medarbejderne er åbne overfor nye ideer og forslag",
    "L20": "Jeg er åben over for medarbejdernes nye ideer og forslag \n(fx til nye måder "
           "at arbejde på, store og små hverdagsforbedringer)",
}
CORRECTED_SPELLINGS = {
    "E03": "Jeg oplever, at min leder er godt forberedt til min MUS.",
    "E09": "mine udviklingsbehov drøftes under MUS (fx kompetencer, motivation, "
           "employability eller fortsatte karriere)",
    "L19": "Jeg oplever, at medarbejderne er åbne over for nye ideer og forslag",
    "L01": "MUS\u00a0gennemføres ",
    "L02": "JEG ER GODT FORBEREDT TIL MUS",
}


@pytest.mark.parametrize("spellings", [SOURCE_SPELLINGS, CORRECTED_SPELLINGS],
                         ids=["source", "corrected"])
def test_statement_text_spellings(tmp_path, spellings):
    folder = round_dir(tmp_path)
    for role, name in (("leader", "ledere.xlsx"), ("employee", "medarbejdere.xlsx")):
        header = [spellings.get(i, TEXT["da"][i]) for i in ITEMS[role]]
        write_xlsx(folder / name, {"Sheet1": id_rows(role, [MIXED_60], header=header)})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [MIXED_60]
    assert data.log[data.log["reason"] == "not a statement of the questionnaire"].empty


def test_header_below_title_rows_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path):
    folder = round_dir(tmp_path)
    rows = [["MUS-test 2025, ledere"], [], ITEMS["leader"], MIXED_60, [], [], FULL_100]
    write_xlsx(folder / "ledere.xlsx", {"Ark1": rows})
    csv_rows = [ITEMS["employee"], [""] * 20, FULL_100, [""] * 20, MIXED_60, [], []]
    write_csv(folder / "medarbejdere.csv", csv_rows)

    data = read_round(folder)

    assert rows_of(data, "leader") == [("ledere.xlsx", 4), ("ledere.xlsx", 7)]
    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert rows_of(data, "employee") == [("medarbejdere.csv", 3), ("medarbejdere.csv", 5)]
    assert next(t for t in data.tables if t.file == "ledere.xlsx").header_row == 3
    assert data.received == 4


def test_surveymonkey_two_header_rows(tmp_path):
    """Row 1: metadata and the question; row 2: the statement under each column."""
    folder = round_dir(tmp_path)
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
            "Email Address", "First Name", "Last Name", "Custom Data 1"]
    question = ["Hvor ofte gælder udsagnet for dig?", *[""] * 19]
    rows = [[*meta, *question],
            [*[""] * len(meta), *(TEXT["da"][i] for i in ITEMS["employee"])]]
    for n, points in enumerate([MIXED_60, ONE_BLANK]):
        rows.append([1000 + n, 42, "03/01/2025", "03/01/2025", IPS[n], MAILS[n],
                     *NAMES[n].split(), "", *(label(p) for p in points)])
    write_xlsx(folder / "medarbejdere.xlsx", {"Sheet": rows})

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60, ONE_BLANK]
    assert rows_of(data, "employee") == [("medarbejdere.xlsx", 3), ("medarbejdere.xlsx", 4)]
    assert_no_personal_data(data)


def test_csv_with_title_lines_above_the_header(tmp_path):
    folder = round_dir(tmp_path)
    rows = [["MUS-test 2025 - ledere"], [], ITEMS["leader"], MIXED_60, FULL_100]
    write_csv(folder / "ledere.csv", rows)

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert rows_of(data, "leader") == [("ledere.csv", 4), ("ledere.csv", 5)]
    assert data.tables[0].header_row == 3


def test_utf16_tab_separated_export(tmp_path):
    """SurveyXact's CSV export: tab separated UTF-16 with a byte order mark."""
    folder = round_dir(tmp_path)
    write_csv(folder / "medarbejdere.csv", ms_forms_rows("employee", [MIXED_60]), sep="\t",
              encoding="utf-16")

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60]
    assert data.tables[0].detected["encoding"] == "utf-16"


def test_lock_files_and_hidden_files_are_skipped(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": id_rows("leader", [FULL_100])})
    (folder / "~$ledere.xlsx").write_bytes(b"owner")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "noter.docx").write_bytes(b"PK\x03\x04")

    data = read_round(folder)

    assert [t.file for t in data.tables] == ["ledere.xlsx"]


# ------------------------------------------------------ layouts: role split


def test_one_workbook_with_a_sheet_per_role(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "MUS-test 2025.xlsx", {
        "Ledere": ms_forms_rows("leader", [FULL_100, MIXED_60]),
        "Medarbejdere": id_rows("employee", [ONE_BLANK, MIXED_60, FULL_100]),
        "Oversigt": [["Antal besvarelser", 5]],
        "Tom": [],
    })

    data = read_round(folder)

    assert points_of(data, "leader") == [FULL_100, MIXED_60]
    assert points_of(data, "employee") == [ONE_BLANK, MIXED_60, FULL_100]
    assert rows_of(data, "employee") == [("MUS-test 2025.xlsx (sheet 'Medarbejdere')", r)
                                         for r in (2, 3, 4)]
    ignored = data.log[data.log["action"] == "ignored sheet"]
    assert sorted(ignored["file"]) == ["MUS-test 2025.xlsx (sheet 'Oversigt')",
                                       "MUS-test 2025.xlsx (sheet 'Tom')"]
    assert_no_personal_data(data)


def test_sheet_names_do_not_override_the_statements(tmp_path):
    """A sheet named for one role but holding the other role's form is read by content."""
    folder = round_dir(tmp_path)
    write_xlsx(folder / "runde.xlsx", {
        "Ledere": id_rows("employee", [MIXED_60]),
        "Medarbejdere": id_rows("leader", [FULL_100]),
    })

    data = read_round(folder)

    assert points_of(data, "leader") == [FULL_100]
    assert points_of(data, "employee") == [MIXED_60]
    notes = data.log[data.log["action"] == "note"]
    assert len(notes) == 2


@pytest.mark.parametrize("role_header", ["Rolle", "Role", "rolle", "Er du leder eller "
                                         "medarbejder?"])
def test_one_table_with_a_role_column(tmp_path, role_header):
    folder = round_dir(tmp_path)
    header = ["Navn", role_header, *ITEMS["leader"], *ITEMS["employee"]]
    blank = [""] * 20
    rows = [header,
            [NAMES[0], "Leder", *MIXED_60, *blank],
            [NAMES[1], "MEDARBEJDERE", *blank, *FULL_100],
            [NAMES[2], " employee\u00a0", *blank, *ONE_BLANK],
            [NAMES[3], "ledere", *FULL_100, *blank],
            ["", "Leader", *[2] * 20, *blank],
            ["", "medarbejder", *blank, *[1] * 20]]
    write_csv(folder / "MUS-test.csv", rows)

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100, [2] * 20]
    assert points_of(data, "employee") == [FULL_100, ONE_BLANK, [1] * 20]
    assert rows_of(data, "leader") == [("MUS-test.csv", r) for r in (2, 5, 6)]
    assert rows_of(data, "employee") == [("MUS-test.csv", r) for r in (3, 4, 7)]
    assert data.received == 6
    assert data.log[data.log["action"] == "dropped row"].empty
    assert_no_personal_data(data)


def test_role_value_that_is_neither_role_is_logged_and_dropped(tmp_path):
    folder = round_dir(tmp_path)
    rows = [["Rolle", *ITEMS["leader"], *ITEMS["employee"]],
            ["leder", *MIXED_60, *[""] * 20],
            ["Direktør", *FULL_100, *[""] * 20],
            ["", *[""] * 20, *FULL_100],
            ["medarbejder", *[""] * 20, *MIXED_60]]
    write_xlsx(folder / "MUS.xlsx", {"Svar": rows})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [MIXED_60]
    assert log_entries(data, "dropped row") == [("MUS.xlsx", 3, "Rolle", "Direktør"),
                                                ("MUS.xlsx", 4, "Rolle", "")]
    assert data.received == 4


def test_group_column_naming_teams_is_not_the_role(tmp_path):
    folder = round_dir(tmp_path)
    rows = [["Gruppe", *ITEMS["leader"]], ["Team Nord", *MIXED_60], ["Team Syd", *FULL_100]]
    write_csv(folder / "ledere.csv", rows)

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert data.tables[0].detected["role_column"] is None


def test_group_column_naming_roles_is_the_role(tmp_path):
    folder = round_dir(tmp_path)
    rows = [["Respondentgruppe", *ITEMS["leader"], *ITEMS["employee"]],
            ["Ledere", *MIXED_60, *[""] * 20], ["Ukendt", *FULL_100, *[""] * 20],
            ["Medarbejdere", *[""] * 20, *FULL_100]]
    write_csv(folder / "alle.csv", rows)

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [FULL_100]
    assert log_entries(data, "dropped row") == [("alle.csv", 3, "Respondentgruppe", "Ukendt")]


SHARED = {"L01": "E01", "L02": "E02", "L04": "E04", "L05": "E05", "L16": "E17"}
EMPLOYEE_POINTS = dict(zip(ITEMS["employee"], [4] * 10 + [2] * 10))


def test_shared_statements_may_be_one_column_answered_by_both_roles(tmp_path):
    """A form asking the five statements both roles share once, for everyone."""
    assert all(TEXT["da"][leader] == TEXT["da"][employee]
               for leader, employee in SHARED.items())
    employee_only = [i for i in ITEMS["employee"] if i not in SHARED.values()]
    header = ["Rolle", *(TEXT["da"][i] for i in ITEMS["leader"]),
              *(TEXT["da"][i] for i in employee_only)]
    leader_row = ["leder", *MIXED_60, *[""] * len(employee_only)]
    employee_row = ["medarbejder",
                    *(EMPLOYEE_POINTS[SHARED[i]] if i in SHARED else "" for i in ITEMS["leader"]),
                    *(EMPLOYEE_POINTS[i] for i in employee_only)]
    folder = round_dir(tmp_path)
    write_csv(folder / "alle.csv", [header, leader_row, employee_row])

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [[4] * 10 + [2] * 10]


def branching_form_rows(*, employee_rows: int = 1) -> list[list]:
    """One form for both roles: the shared statements head two columns each."""
    header = ["Navn", "Er du leder eller medarbejder?",
              *(TEXT["da"][i] for i in ITEMS["leader"]),
              *(TEXT["da"][i] for i in ITEMS["employee"])]
    rows = [header, [NAMES[0], "Leder", *MIXED_60, *[""] * 20]]
    for n in range(employee_rows):
        rows.append([NAMES[1 + n], "Medarbejder", *[""] * 20,
                     *(EMPLOYEE_POINTS[i] for i in ITEMS["employee"])])
    return rows


def test_branching_form_with_shared_statements_twice(tmp_path):
    """Which of two same-text columns is whose is told by the rows that answered them."""
    folder = round_dir(tmp_path)
    write_xlsx(folder / "MUS-test.xlsx", {"Svar": branching_form_rows(employee_rows=2)})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert points_of(data, "employee") == [[4] * 10 + [2] * 10] * 2
    columns = data.tables[0].detected["columns"]
    assert sorted(columns["leader"].values()) == ITEMS["leader"]
    assert sorted(columns["employee"].values()) == ITEMS["employee"]
    assert_no_personal_data(data)


def test_branching_form_with_only_one_role_answering(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "MUS-test.xlsx", {"Svar": branching_form_rows(employee_rows=0)})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    assert data.tables[0].detected["roles"] == ["leader"]


def test_same_text_columns_both_answered_by_one_role_is_an_error(tmp_path):
    folder = round_dir(tmp_path)
    rows = branching_form_rows()
    rows[1][2 + 20] = 3   # the leader also answered the employees' "MUS gennemføres"
    write_xlsx(folder / "MUS-test.xlsx", {"Svar": rows})
    with pytest.raises(RoundError, match=r"MUS-test\.xlsx: columns 'MUS gennemføres' and "
                                         r"'MUS gennemføres' both hold statement L01/E01.* "
                                         r"Fix: rename the columns to the item ids"):
        read_round(folder)


# ---------------------------------------------------------------- answers

ANSWER_CASES = [
    ("Aldrig", 1), ("Sjældent", 2), ("Af og til", 3), ("Oftest", 4), ("Altid", 5),
    ("never", 1), ("RARELY", 2), ("sometimes", 3), ("Mostly", 4), ("always", 5),
    ("  altid ", 5), ("af\u00a0og\u00a0til", 3), ("\u00a0Oftest\u00a0", 4),
    ("SJÆLDENT", 2), ("Af og  til", 3),
    ("1", 1), ("5", 5), (" 3 ", 3), ("4.0", 4), ("4,0", 4), ("2.00", 2),
    ("", None), ("   ", None), ("\u00a0", None),
]
INVALID_ANSWERS = ["SjÃ¦ldent", "Ved ikke", "6", "0", "-1", "4.5", "3,5", "x", "N/A",
                   "1e0", "+4", "٤", "5 - Altid", "nan", "None", "True"]


@pytest.mark.parametrize(("value", "points"), ANSWER_CASES)
def test_answer_points_reads_labels_and_codes(value, points):
    values = pd.Series([value, "Altid"], dtype="str")
    result, invalid = answer_points(values, INS)
    if points is None:
        assert result.iloc[0] is pd.NA
    else:
        assert result.iloc[0] == points
    assert result.iloc[1] == 5
    assert not invalid.any()
    assert str(result.dtype) == "Int64"


@pytest.mark.parametrize("value", INVALID_ANSWERS)
def test_answer_points_never_guesses(value):
    result, invalid = answer_points(pd.Series([value, "Oftest"], dtype="str"), INS)
    assert result.iloc[0] is pd.NA
    assert invalid.tolist() == [True, False]
    assert result.iloc[1] == 4


def test_values_off_the_scale_are_logged_and_missing(tmp_path):
    folder = round_dir(tmp_path)
    odd = {1: "SjÃ¦ldent", 3: "Ved ikke", 7: "6", 12: "0", 19: "3,5"}
    points = [2] * 20
    cells = [odd.get(n, "Sjældent") for n in range(20)]
    rows = ms_forms_rows("leader", [points, points])
    rows[2][len(MS_META_DA):len(MS_META_DA) + 20] = cells
    write_csv(folder / "Ledere.csv", rows, encoding="utf-8-sig")
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [FULL_100]))

    data = read_round(folder)

    expected = [None if n in odd else 2 for n in range(20)]
    assert points_of(data, "leader") == [points, expected]
    logged = log_entries(data, "set to missing")
    assert logged == [("Ledere.csv", 3, TEXT["da"][ITEMS["leader"][n]], value)
                      for n, value in sorted(odd.items())]
    reasons = set(data.log.loc[data.log["action"] == "set to missing", "reason"])
    assert reasons == {"not an answer on the scale"}


def test_excel_number_cells_and_text_codes(tmp_path):
    folder = round_dir(tmp_path)
    as_int = list(MIXED_60)
    as_float = [float(p) for p in MIXED_60]
    as_text = [str(p) if n % 2 else f"{p},0" for n, p in enumerate(MIXED_60)]
    write_xlsx(folder / "ledere.xlsx",
               {"Ark1": [ITEMS["leader"], as_int, as_float, as_text, [4.5] + [5] * 19]})
    write_xlsx(folder / "medarbejdere.xlsx", {"Ark1": id_rows("employee", [FULL_100])})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60] * 3 + [[None] + [5] * 19]
    assert log_entries(data, "set to missing") == [("ledere.xlsx", 5, "L01", "4.5")]


def test_rows_without_any_answer_are_logged_not_scored(tmp_path):
    folder = round_dir(tmp_path)
    rows = ms_forms_rows("leader", [MIXED_60, [None] * 20, FULL_100])
    rows[2][len(MS_META_DA) + 3] = "Ved ikke"  # the only answer given is not on the scale
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": rows})
    write_xlsx(folder / "medarbejdere.xlsx", {"Sheet1": id_rows("employee", [FULL_100])})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert rows_of(data, "leader") == [("ledere.xlsx", 2), ("ledere.xlsx", 4)]
    assert ("ledere.xlsx", 3, "", "") in log_entries(data, "dropped row")
    assert ("ledere.xlsx", 3, TEXT["da"]["L04"], "Ved ikke") in log_entries(data)
    assert data.received == 3 + 1
    assert_no_personal_data(data)


def test_file_with_a_header_but_no_answers_is_noted(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": ms_forms_rows("leader", [])})
    write_csv(folder / "medarbejdere.csv", id_rows("employee", [MIXED_60]))

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60]
    assert set(data.respondents["role"]) == {"employee"}
    assert ("ledere.xlsx", None, "", "") in log_entries(data, "note")
    assert data.received == 1


def test_round_without_any_answer_is_an_error(tmp_path):
    folder = round_dir(tmp_path, "runde-tom")
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": ms_forms_rows("leader", [])})
    write_csv(folder / "medarbejdere.csv", ms_forms_rows("employee", [[None] * 20]))
    with pytest.raises(RoundError, match=r"runde-tom: no row of its exports answers a "
                                         r"statement \(1 rows received\)\. Fix: check"):
        read_round(folder)


def test_round_whose_every_role_value_is_unknown_is_an_error(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "alle.csv", [["Rolle", *ITEMS["leader"]], ["Direktør", *FULL_100]])
    with pytest.raises(RoundError, match=r"no row of its exports answers a statement"):
        read_round(folder)


def test_header_only_file_with_missing_columns_is_still_an_error(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "ledere.csv", [ITEMS["leader"][1:]])
    with pytest.raises(RoundError, match=r"1 leader statement\(s\) have no column: L01"):
        read_round(folder)


# ----------------------------------------------------------------- privacy


def test_email_typed_into_an_answer_is_not_logged(tmp_path):
    folder = round_dir(tmp_path)
    cells = [label(p) for p in MIXED_60]
    cells[0] = f"Skriv til {MAILS[0]}"
    write_csv(folder / "ledere.csv", [[TEXT["da"][i] for i in ITEMS["leader"]], cells])

    data = read_round(folder)

    assert log_entries(data, "set to missing") == [
        ("ledere.csv", 2, TEXT["da"]["L01"], "Skriv til <e-mail address>")]
    assert_no_personal_data(data, tables=False)


def test_personal_columns_never_leave_the_reader(tmp_path):
    folder = round_dir(tmp_path)
    header = ["Respondent ID", "IP Address", "Email Address", "First Name", "Last Name",
              "Fornavn", "Efternavn", "E-mail", "Kommentar", "Uddyb gerne", "Hvilken enhed?",
              *ITEMS["leader"]]
    rows = [header]
    for n, points in enumerate([MIXED_60, FULL_100]):
        rows.append([n + 1, IPS[n], MAILS[n], *NAMES[n].split(), *NAMES[n].split(), MAILS[n],
                     COMMENT, COMMENT, "Økonomi", *points])
    write_csv(folder / "ledere.csv", rows, encoding="utf-8-sig")
    write_csv(folder / "medarbejdere.csv",
              [["Navn", "Mail", *ITEMS["employee"]], [NAMES[2], MAILS[2], *FULL_100]])

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert set(data.respondents["unit"].dropna()) == {"Økonomi"}
    assert_no_personal_data(data)
    reasons = dict(zip(data.log["column"], data.log["reason"]))
    assert reasons["IP Address"] == "personal data (IP address)"
    assert reasons["Email Address"] == "personal data (e-mail address)"
    assert reasons["Efternavn"] == "personal data (name)"
    assert reasons["Kommentar"] == "personal data (free text)"


# ------------------------------------------------------------------ errors


def test_empty_folder(tmp_path):
    folder = round_dir(tmp_path, "tom")
    with pytest.raises(RoundError, match=r"tom: holds no CSV or Excel \(\.xlsx\) file\. Fix: "):
        read_round(folder)


def test_folder_with_no_readable_file(tmp_path):
    folder = round_dir(tmp_path)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    (folder / "rapport.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".~lock.ledere.csv#").write_text("x")
    with pytest.raises(RoundError, match=r"runde-2025: holds no CSV or Excel .* Fix: put "):
        read_round(folder)


def test_old_excel_format_names_the_fix(tmp_path):
    folder = round_dir(tmp_path)
    (folder / "ledere.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(RoundError, match=r"ledere\.xls: \.xls files cannot be read\. Fix: .*"
                                         r"save it as \.xlsx"):
        read_round(folder)


def test_not_a_folder(tmp_path):
    with pytest.raises(RoundError, match="is not a folder"):
        read_round(tmp_path / "findes-ikke")


def test_file_matching_neither_questionnaire(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "ledere.csv", id_rows("leader", [FULL_100]))
    write_csv(folder / "trivsel.csv", [["Navn", "Hvordan trives du?"], [NAMES[0], "Godt"]])
    with pytest.raises(RoundError, match=r"trivsel\.csv: matches neither questionnaire.* "
                                         r"Fix: .*remove it from the round folder"):
        read_round(folder)


def test_missing_statement_columns_are_named(tmp_path):
    folder = round_dir(tmp_path)
    rows = ms_forms_rows("leader", [MIXED_60])
    keep = [n for n, h in enumerate(rows[0]) if h not in (TEXT["da"]["L07"], TEXT["da"]["L13"])]
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": [[row[n] for n in keep] for row in rows]})
    with pytest.raises(RoundError, match=r"ledere\.xlsx: 2 leader statement\(s\) have no "
                                         r"column: L07 .*L13 .*Fix: export all statements"):
        read_round(folder)


def test_many_missing_statement_columns_are_counted(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "medarbejdere.csv", [ITEMS["employee"][:12], [4] * 12])
    with pytest.raises(RoundError, match=r"8 employee statement\(s\) have no column: E13 .*"
                                         r"E17 .* and 3 more\."):
        read_round(folder)


def test_header_naming_two_statements(tmp_path):
    folder = round_dir(tmp_path)
    header = list(ITEMS["leader"])
    header[1] = "L02 MUS gennemføres"
    write_csv(folder / "ledere.csv", [header, MIXED_60])
    with pytest.raises(RoundError, match=r"ledere\.csv: column 'L02 MUS gennemføres' names "
                                         r"both L02 \(by its id\) and L01 \(by its text\)\. "
                                         r"Fix: "):
        read_round(folder)


@pytest.mark.parametrize("second", ["L01", "l1", "MUS gennemføres", "L01. MUS gennemføres"])
def test_two_columns_naming_one_statement(tmp_path, second):
    folder = round_dir(tmp_path)
    header = [*ITEMS["leader"], second]
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": [header, [*MIXED_60, 3]]})
    with pytest.raises(RoundError, match=rf"ledere\.xlsx: columns 'L01' and '{second}' both "
                                         r"map to statement L01\. Fix: remove or rename"):
        read_round(folder)


def test_two_text_columns_of_one_statement_without_a_role_column(tmp_path):
    folder = round_dir(tmp_path)
    header = [*(TEXT["da"][i] for i in ITEMS["leader"]), TEXT["da"]["L01"]]
    write_csv(folder / "ledere.csv", [header, [*MIXED_60, 5]])
    with pytest.raises(RoundError, match=r"ledere\.csv: columns 'MUS gennemføres' and "
                                         r"'MUS gennemføres' both map to statement L01\."):
        read_round(folder)


def _truncated_xlsx(path: Path) -> bytes:
    write_xlsx(path, {"Sheet1": id_rows("leader", [FULL_100] * 20)})
    raw = path.read_bytes()
    return raw[: len(raw) // 2]


@pytest.mark.parametrize("name, content", [
    ("ledere.xlsx", lambda p: random.Random(1).randbytes(4096)),
    ("ledere.xlsx", _truncated_xlsx),
    ("ledere.xlsx", lambda p: b""),
], ids=["random-bytes", "truncated", "empty"])
def test_unreadable_workbook(tmp_path, name, content):
    folder = round_dir(tmp_path)
    path = folder / name
    path.write_bytes(content(path))
    with pytest.raises(RoundError, match=r"ledere\.xlsx: cannot be read as an Excel workbook "
                                         r".*Fix: check that the file is a complete \.xlsx"):
        read_round(folder)


def test_csv_named_xlsx_says_to_rename_it(tmp_path):
    folder = round_dir(tmp_path)
    (folder / "ledere.xlsx").write_bytes(b"Rolle;L01\nleder;4\n")
    with pytest.raises(RoundError, match=r"^ledere\.xlsx: is a text \(CSV\) file with an Excel "
                                         r"name\. Fix: rename it to ledere\.csv\.$"):
        read_round(folder)


def test_zip_named_csv(tmp_path):
    folder = round_dir(tmp_path)
    with zipfile.ZipFile(folder / "ledere.csv", "w") as archive:
        archive.writestr("ledere.csv", "L01;L02\n4;5\n")
    with pytest.raises(RoundError, match=r"ledere\.csv: is a zip or Excel file with a text "
                                         r"file's name\. Fix: rename it"):
        read_round(folder)


def test_binary_named_csv(tmp_path):
    folder = round_dir(tmp_path)
    (folder / "ledere.csv").write_bytes(b"L01;L02\x00\x01\x02" * 50)
    with pytest.raises(RoundError, match=r"ledere\.csv: contains NUL bytes.*Fix: export"):
        read_round(folder)


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", b"\xef\xbb\xbf", b" ; ;\r\n"])
def test_empty_csv(tmp_path, content):
    folder = round_dir(tmp_path)
    (folder / "ledere.csv").write_bytes(content)
    with pytest.raises(RoundError, match=r"ledere\.csv: .*empty.* Fix: export"):
        read_round(folder)


def test_ragged_csv_names_the_line(tmp_path):
    """A row wider than the header (an unquoted separator) would shift its answers."""
    folder = round_dir(tmp_path)
    text = ";".join(ITEMS["leader"]) + "\r\n" + ";".join(["4"] * 20) + "\r\n" \
        + "Godt; men travlt;" + ";".join(["4"] * 20) + "\r\n"
    (folder / "ledere.csv").write_text(text, encoding="utf-8")
    with pytest.raises(RoundError, match=r"ledere\.csv: is not a well-formed CSV file: line 3 "
                                         r"has 22 cells but the header has 20.* Fix: put "
                                         r"cells that hold the separator in quotes"):
        read_round(folder)


def test_invalid_utf8_after_a_bom(tmp_path):
    folder = round_dir(tmp_path)
    (folder / "ledere.csv").write_bytes(b"\xef\xbb\xbfL01;L02\r\nSj\xe6ldent;4\r\n")
    with pytest.raises(RoundError, match=r"ledere\.csv: starts as UTF-8 but byte 0xe6 .* "
                                         r"Fix: save it .* 'CSV UTF-8'"):
        read_round(folder)


def test_both_questionnaires_without_a_role_column(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "alle.csv",
              [[*ITEMS["leader"], *ITEMS["employee"]], [*MIXED_60, *[""] * 20]])
    with pytest.raises(RoundError, match=r"alle\.csv: has statements of both questionnaires "
                                         r"but no role column\. Fix: split it .*'Rolle'"):
        read_round(folder)


def test_error_messages_are_one_line(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "ledere.csv", [ITEMS["leader"][:19], [4] * 19])
    with pytest.raises(RoundError) as caught:
        read_round(folder)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("ledere.csv: ")


# ------------------------------------------------------------------ scores


def sums_to(total: int) -> list[int]:
    """20 answers, each 1-5, summing to ``total`` (20-100)."""
    extra = total - 20
    return [1 + min(4, max(0, extra - 4 * n)) for n in range(20)]


BAND_EDGES = [(20, "0-20"), (21, "21-40"), (40, "21-40"), (41, "41-60"), (60, "41-60"),
              (61, "61-80"), (80, "61-80"), (81, "81-100"), (100, "81-100")]


def test_scores_and_bands_at_every_band_edge(tmp_path):
    folder = round_dir(tmp_path)
    sets = [sums_to(total) for total, _ in BAND_EDGES]
    assert [sum(s) for s in sets] == [total for total, _ in BAND_EDGES]
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": ms_forms_rows("leader", sets)})
    write_csv(folder / "medarbejdere.csv",
              [[TEXT["da"][i] for i in ITEMS["employee"]],
               *([label(p) for p in s] for s in sets)])

    data = read_round(folder)
    scores = score_respondents(data.answers, data.respondents).sort_values(["role", "row"])

    for role in ROLES:
        mine = scores[scores["role"] == role]
        assert mine["score"].tolist() == [total for total, _ in BAND_EDGES]
        assert mine["band"].tolist() == [band for _, band in BAND_EDGES]
        assert mine["scored"].all() and not mine["prorated"].any()
        assert mine["row"].tolist() == list(range(2, 2 + len(BAND_EDGES)))


def test_band_of_takes_whole_scores_to_their_band_and_refuses_scores_outside():
    scores = pd.Series([total for total, _ in BAND_EDGES] + [None], dtype="Int64")
    assert band_of(scores).tolist() == [band for _, band in BAND_EDGES] + [pd.NA]
    assert band_of(scores).index.equals(scores.index)
    # Between whole numbers, as the score rounds half up: 40.5 is 41.
    halves = pd.Series([20.4, 20.5, 40.49, 40.5, 80.5, 99.5])
    assert band_of(halves).tolist() == ["0-20", "21-40", "21-40", "41-60", "81-100", "81-100"]
    with pytest.raises(ValueError, match=r"The scores \[101\.0\] lie outside every band "
                                         r"\(0-100\)"):
        band_of(pd.Series([20, 101]))


@pytest.mark.parametrize(("answered", "total", "max_missing", "score"), [
    (19, 75, 1, 79),   # 75 / 19 * 20 = 78.95
    (16, 50, 4, 63),   # 50 / 16 * 20 = 62.5 exactly: half up, not to even
    (16, 58, 4, 73),   # 72.5 -> 73
    (18, 36, 2, 40),   # 36 / 18 * 20 = 40
    (19, 19, 1, 20),
    (19, 95, 5, 100),
])
def test_prorated_scores_round_half_up(tmp_path, answered, total, max_missing, score):
    points = [1] * answered
    for n in range(total - answered):
        points[n % answered] += 1
    assert sum(points) == total and max(points) <= 5
    given = points + [None] * (20 - answered)
    random.Random(total).shuffle(given)
    folder = round_dir(tmp_path)
    write_csv(folder / "ledere.csv", id_rows("leader", [given, FULL_100]))

    data = read_round(folder)
    strict = score_respondents(data.answers).set_index("respondent")
    lenient = score_respondents(data.answers, max_missing=max_missing).set_index("respondent")
    too_strict = score_respondents(data.answers, max_missing=20 - answered - 1)

    assert points_of(data, "leader")[0] == given
    assert lenient.loc["L0001", ["score", "prorated", "scored"]].tolist() == [score, True, True]
    assert lenient.loc["L0002", ["score", "prorated"]].tolist() == [100, False]
    assert strict.loc["L0001", "scored"] == False  # noqa: E712
    assert strict.loc["L0001", "score"] is pd.NA
    assert strict.loc["L0001", "reason"] == f"{20 - answered} of 20 statements not answered"
    assert too_strict.set_index("respondent").loc["L0001", "scored"] == False  # noqa: E712


def test_unreadable_answers_count_as_missing_when_scoring(tmp_path):
    folder = round_dir(tmp_path)
    given = [label(p) for p in MIXED_60]
    given[4] = "Ved ikke"   # was 5
    write_csv(folder / "ledere.csv", [[TEXT["da"][i] for i in ITEMS["leader"]], given])

    data = read_round(folder)
    scored = score_respondents(data.answers, max_missing=1).iloc[0]

    # 55 points over 19 answers: 55 / 19 * 20 = 57.89 -> 58
    assert (scored["answered"], scored["score"], scored["band"]) == (19, 58, "41-60")


# ----------------------------------------------------- units, names, notes


@pytest.mark.parametrize(("header", "is_unit"), [
    ("Afdelingsleders navn", False), ("Navn på teamleder", False), ("Enhedschef (navn)", False),
    ("Afdelingsnavn", True), ("Enhed", True), ("Hvilken enhed er du ansat i?", True),
    ("Enhedsnavn", True), ("Team", True), ("Hvilken afdeling er du ansat i?", True),
])
def test_personal_words_win_over_unit_words(tmp_path, header, is_unit):
    folder = round_dir(tmp_path)
    rows = [[header, *ITEMS["leader"]], [NAMES[0], *MIXED_60], [NAMES[1], *FULL_100]]
    write_csv(folder / "ledere.csv", rows)

    data = read_round(folder)

    table = data.tables[0]
    if is_unit:
        assert table.detected["unit_column"] == header
        assert data.respondents["unit"].tolist() == NAMES[:2]   # the values, as given
    else:
        assert table.detected["unit_column"] is None
        assert table.detected["dropped_columns"] == {header: "personal data (name)"}
        assert_no_personal_data(data)


def test_files_are_named_relative_to_the_round_folder(tmp_path):
    folder = round_dir(tmp_path)
    (folder / "2025").mkdir()
    (folder / "2025" / "ledere.csv").write_bytes(b"L01;L02\x00\x01\x02" * 50)
    with pytest.raises(RoundError) as caught:
        read_round(folder)
    assert str(caught.value).startswith("2025/ledere.csv: contains NUL bytes")
    assert str(tmp_path) not in str(caught.value)

    (folder / "2025" / "ledere.csv").unlink()
    (folder / "2025" / "ledere.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(RoundError, match=r"^2025/ledere\.xls: \.xls files cannot be read"):
        read_round(folder)

    (folder / "2025" / "ledere.xls").unlink()
    write_csv(folder / "2025" / "ledere.csv", id_rows("leader", [FULL_100]))
    write_csv(folder / "medarbejdere.csv", [ITEMS["employee"][:19], [4] * 19])
    with pytest.raises(RoundError, match=r"^medarbejdere\.csv: 1 employee statement"):
        read_round(folder)
    write_csv(folder / "medarbejdere.csv", id_rows("employee", [MIXED_60]))
    data = read_round(folder)
    assert rows_of(data, "leader") == [("2025/ledere.csv", 2)]
    assert points_of(data, "employee") == [MIXED_60]


def test_notes_and_readme_files_are_ignored_and_logged(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "ledere.csv", id_rows("leader", [FULL_100]))
    (folder / "noter.txt").write_text(f"Husk at spørge {NAMES[0]} om tallene.\n", "utf-8")
    (folder / "README.txt").write_text("Eksporteret fra Forms 3. marts.\nLedere og "
                                       "medarbejdere.\n", "utf-8")
    (folder / "tom.txt").write_bytes(b"")
    (folder / "README.md").write_text("# Runde 2025\n", "utf-8")
    (folder / "rapport.pdf").write_bytes(b"%PDF-1.4")

    data = read_round(folder)

    assert points_of(data, "leader") == [FULL_100]
    assert sorted(log_entries(data, "ignored file")) == [
        (name, None, "", "") for name in ("README.md", "README.txt", "noter.txt", "rapport.pdf",
                                          "tom.txt")]
    reasons = dict(zip(data.log["file"], data.log["reason"]))
    assert reasons["noter.txt"] == "no statement columns"
    assert reasons["tom.txt"] == "is empty."
    assert reasons["rapport.pdf"] == "not a CSV or Excel export"
    assert_no_personal_data(data)


def test_a_txt_export_with_statements_is_read(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "ledere.txt", ms_forms_rows("leader", [MIXED_60]), sep="\t",
              encoding="utf-16")

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]


@pytest.mark.parametrize("style", ["1. text", "1) text", "1 text", "Spm. 1: text", "Q1 - text",
                                   "1.1 text"])
def test_numbered_statement_headers_match_by_text(tmp_path, style):
    def header(n: int, item: str) -> str:
        text = TEXT["da"][item]
        return {"1. text": f"{n}. {text}", "1) text": f"{n}) {text}", "1 text": f"{n} {text}",
                "Spm. 1: text": f"Spm. {n}: {text}", "Q1 - text": f"Q{n} - {text}",
                "1.1 text": f"3.{n} {text}"}[style]
    folder = round_dir(tmp_path)
    # Numbered as in the survey, not by item: the text decides.
    items = list(reversed(ITEMS["employee"]))
    rows = [[header(n, i) for n, i in enumerate(items, start=1)],
            [p for p in reversed(MIXED_60)]]
    write_csv(folder / "medarbejdere.csv", rows)

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60]


def test_ms_forms_quiz_columns_are_not_statements(tmp_path):
    folder = round_dir(tmp_path)
    rows = ms_forms_rows("leader", [MIXED_60])
    extra = ["Total points", "Quiz feedback", f"Points - {TEXT['da']['L01']}",
             f"Feedback - {TEXT['da']['L01']}", f"Point - {TEXT['da']['L02']}"]
    rows[0] += extra
    rows[1] += ["0", "", "0", "", "0"]
    write_xlsx(folder / "ledere.xlsx", {"Sheet1": rows})

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    dropped = data.tables[0].detected["dropped_columns"]
    assert {h: dropped[h] for h in extra} == {h: "not a statement of the questionnaire"
                                              for h in extra}


# ------------------------------------------------------- found by a tester


def test_the_same_export_twice_is_refused_naming_both(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "Ledere.csv", ms_forms_rows("leader", [MIXED_60, FULL_100]))
    (folder / "Ledere (1).csv").write_bytes((folder / "Ledere.csv").read_bytes())
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [MIXED_60]))
    with pytest.raises(RoundError, match=r"^Ledere \(1\)\.csv: has the same content as "
                                         r"Ledere\.csv: the same export twice .* Fix: remove "
                                         r"one of the two files\.$"):
        read_round(folder)


def test_a_response_in_two_exports_is_counted_once(tmp_path):
    """An old and a new download side by side: the ids tell the same responses."""
    folder = round_dir(tmp_path)
    old = ms_forms_rows("leader", [MIXED_60, FULL_100])
    new = ms_forms_rows("leader", [MIXED_60, FULL_100, ONE_BLANK])
    new[1][1] = "3/2/25 10:00:00"  # the files differ, the responses do not
    write_xlsx(folder / "Ledere marts.xlsx", {"Sheet1": old})
    write_xlsx(folder / "Ledere april.xlsx", {"Sheet1": new})
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [MIXED_60]))

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100, ONE_BLANK]
    assert rows_of(data, "leader") == [("Ledere april.xlsx", 2), ("Ledere april.xlsx", 3),
                                       ("Ledere april.xlsx", 4)]
    dropped = data.log[data.log["action"] == "dropped row"]
    assert list(zip(dropped["file"], dropped["row"], dropped["reason"])) == [
        ("Ledere marts.xlsx", 2, "the same response (export id and answers) as Ledere "
                                 "april.xlsx row 2: counted once"),
        ("Ledere marts.xlsx", 3, "the same response (export id and answers) as Ledere "
                                 "april.xlsx row 3: counted once")]


def test_responses_alike_across_files_without_ids_are_kept_and_noted(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "Ledere HR.csv", id_rows("leader", [FULL_100, MIXED_60]))
    write_csv(folder / "Ledere IT.csv", id_rows("leader", [FULL_100, [3] * 20, MIXED_60]))
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [MIXED_60]))

    data = read_round(folder)

    assert points_of(data, "leader") == [FULL_100, MIXED_60, FULL_100, [3] * 20, MIXED_60]
    notes = data.log[data.log["action"] == "note"]
    assert list(zip(notes["file"], notes["reason"])) == [
        ("Ledere IT.csv", "2 response(s) have the same role, unit and answers as responses in "
                          "Ledere HR.csv and no export id: kept, as people may answer alike; "
                          "if the file is a second export of the same answers, remove it")]


def test_a_role_without_answers_is_noted(tmp_path):
    folder = round_dir(tmp_path, "runde-uden-ledere")
    write_csv(folder / "Ledere.csv", [[TEXT["da"][i] for i in ITEMS["leader"]]])
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [MIXED_60, FULL_100]))

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60, FULL_100]
    notes = data.log[data.log["action"] == "note"]
    assert ("runde-uden-ledere", "no leader answers in this round") in \
        list(zip(notes["file"], notes["reason"]))
    assert ("Ledere.csv", "no answer rows below the header") in \
        list(zip(notes["file"], notes["reason"]))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_header_without_the_trailing_separator_of_its_rows(tmp_path, encoding):
    folder = round_dir(tmp_path)
    header = ";".join(TEXT["da"][i] for i in ITEMS["leader"])
    rows = [";".join(label(p) for p in points) + ";" for points in (MIXED_60, FULL_100)]
    (folder / "Ledere.csv").write_bytes("\r\n".join([header, *rows, ""]).encode(encoding))
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [MIXED_60]))

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    assert rows_of(data, "leader") == [("Ledere.csv", 2), ("Ledere.csv", 3)]
    assert ("Ledere.csv", None, "", "") in log_entries(data, "dropped column")


def test_both_questionnaires_by_text_without_a_role_column(tmp_path):
    """Shared statements head two columns; the missing role column is the problem."""
    folder = round_dir(tmp_path)
    header = [TEXT["da"][i] for i in (*ITEMS["leader"], *ITEMS["employee"])]
    write_csv(folder / "alle.csv", [header, [*(label(p) for p in MIXED_60), *[""] * 20]])
    with pytest.raises(RoundError, match=r"^alle\.csv: has statements of both questionnaires "
                                         r"but no role column\. Fix: split it .*'Rolle'"):
        read_round(folder)


@pytest.mark.parametrize("typed, logged", [
    ("Ved ikke", "Ved ikke"),
    ("6", "6"),
    ("Oftest/Altid", "Oftest/Altid"),
    ("Karen Østergaard", "<text of 16 characters>"),
    ("Mads Bæk", "<text of 8 characters>"),
    ("ring 20 30 40 50", "ring <number>"),
    ("010190-1234", "<number>"),
    ("Det ved jeg ikke rigtig", "<text of 23 characters>"),
    ("bent@", "<text of 5 characters>"),
])
def test_free_text_typed_into_an_answer_is_not_logged(tmp_path, typed, logged):
    folder = round_dir(tmp_path)
    cells = [label(p) for p in MIXED_60]
    cells[3] = typed
    write_csv(folder / "ledere.csv", [[TEXT["da"][i] for i in ITEMS["leader"]], cells],
              encoding="utf-8-sig")

    data = read_round(folder)

    assert log_entries(data, "set to missing") == [("ledere.csv", 2, TEXT["da"]["L04"], logged)]


def test_free_text_typed_as_a_role_is_not_logged(tmp_path):
    folder = round_dir(tmp_path)
    rows = [["Rolle", *ITEMS["leader"]], ["leder", *MIXED_60], [NAMES[0], *FULL_100]]
    write_csv(folder / "alle.csv", rows, encoding="utf-8-sig")

    data = read_round(folder)

    assert log_entries(data, "dropped row") == [("alle.csv", 3, "Rolle",
                                                 "<text of 16 characters>")]
    assert_no_personal_data(data, tables=False)


def test_the_export_s_response_id_is_kept_in_memory_only(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "Ledere.xlsx", {"Sheet1": ms_forms_rows("leader", [MIXED_60, FULL_100])})
    write_csv(folder / "Medarbejdere.csv",
              [["Løbenr", *ITEMS["employee"]], ["17", *MIXED_60], ["18", *FULL_100]])

    data = read_round(folder)

    ids = dict(zip(data.respondents["respondent"], data.respondents["source_id"]))
    assert ids == {"L0001": "1", "L0002": "2", "E0001": "17", "E0002": "18"}
    assert str(data.respondents["source_id"].dtype) == "string"
    for table in data.tables:  # the id column leaves the reader only as source_id
        assert "Id" not in table.frame.to_numpy().ravel().tolist()
        assert "Løbenr" not in table.frame.to_numpy().ravel().tolist()


def test_an_e_mail_column_is_never_the_response_id(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "Ledere.csv", [["ID", *ITEMS["leader"]], [MAILS[0], *MIXED_60]])
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [FULL_100]))

    data = read_round(folder)

    assert data.respondents["source_id"].tolist() == ["", ""]
    assert_no_personal_data(data)


def test_rows_sharing_an_id_but_not_their_answers_are_kept_and_noted(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "Ledere 1.csv", [["ResponseId", *ITEMS["leader"]], ["R_7", *MIXED_60]])
    write_csv(folder / "Ledere 2.csv", [["ResponseId", *ITEMS["leader"]], ["R_7", *FULL_100]])
    write_csv(folder / "Medarbejdere.csv", id_rows("employee", [MIXED_60]))

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    notes = data.log[data.log["reason"].str.startswith("another row has the same export id")]
    assert list(zip(notes["file"], notes["row"])) == [("Ledere 1.csv", 2), ("Ledere 2.csv", 2)]
