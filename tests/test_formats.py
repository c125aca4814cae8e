"""Survey tools' exports, each written to tmp_path as the tool writes it.

Every layout carries the metadata columns and personal data the tool puts in
its exports; each test reads the file, checks the exact points and rows, and
checks that none of the personal data reaches the reader's output or the
files a report is built from.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from mus_analysis import RoundError, analyse_round, load_instrument, read_round
from mus_analysis.analysis import write_processed, write_summary

INS = load_instrument()
ROLES = ("leader", "employee")
ITEMS = {role: INS.role_items(role)["item"].tolist() for role in ROLES}
TEXT = {lang: INS.item_text(lang) for lang in ("da", "en")}
LABELS = ["Aldrig", "Sjældent", "Af og til", "Oftest", "Altid"]

FULL_100 = [5] * 20
MIXED_60 = [1, 2, 3, 4, 5] * 4
ONE_BLANK = [4] * 19 + [None]
HALF_DONE = [3] * 8 + [None] * 12   # an unfinished response
QUESTION = "Hvor ofte gælder følgende for dig?"
UNIT_QUESTION = "Hvilken enhed er du ansat i?"
COMMENT_QUESTION = "Har du kommentarer til MUS-processen?"

# Personal data planted in the exports; none of it may come out.
FIRST = ["Karen", "Mads", "Lis", "Jens", "Ida"]
LAST = ["Østergaard", "Bæk", "Holmkjær", "Ravnsborg", "Kjærsgaard"]
MAILS = [f"person{n}@styrelsen.example.dk" for n in range(5)]
IPS = ["192.0.2.17", "192.0.2.18", "192.0.2.19", "192.0.2.20", "192.0.2.21"]
COMMENT = "Min chef Bent Hemmeligsen lytter aldrig"
GEO = ["55.6761", "12.5683"]
PLANTED = [*FIRST[:2], *LAST, *MAILS, *IPS, COMMENT, "Hemmeligsen", "@styrelsen", *GEO]


# ------------------------------------------------------------------ helpers


def label(points: int | None) -> str:
    return "" if points is None else LABELS[points - 1]


def write_csv(path: Path, rows: list[list], *, sep: str = ",", encoding: str = "utf-8-sig",
              quoting: int = csv.QUOTE_MINIMAL, newline: str = "\r\n", tail: str = "") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, quoting=quoting, lineterminator=newline)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((buffer.getvalue() + tail).encode(encoding))
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    sheet.cell(row=r, column=c, value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def points_of(data, role: str) -> list[list]:
    answers = data.answers[data.answers["role"] == role]
    wide = answers.pivot(index="respondent", columns="item", values="points")
    wide = wide.loc[sorted(wide.index), ITEMS[role]]
    return [[None if pd.isna(v) else int(v) for v in row] for row in wide.to_numpy()]


def rows_of(data, role: str) -> list[tuple[str, int]]:
    frame = data.respondents[data.respondents["role"] == role].sort_values("respondent")
    return list(zip(frame["file"], frame["row"]))


def units_of(data, role: str) -> list:
    frame = data.respondents[data.respondents["role"] == role].sort_values("respondent")
    return [None if pd.isna(u) else u for u in frame["unit"]]


def logged(data, action: str) -> list[tuple]:
    log = data.log[data.log["action"] == action]
    return [(f, None if pd.isna(r) else int(r), c, v, why)
            for f, r, c, v, why in log[["file", "row", "column", "value", "reason"]]
            .itertuples(index=False)]


def assert_no_personal_data(folder: Path, tmp_path: Path) -> None:
    """Nothing planted in the exports reaches the reader's output or the processed files."""
    analysis = analyse_round(folder, min_group=1)
    data = analysis.data
    frames = [data.answers, data.respondents, data.log, *(t.frame for t in data.tables)]
    cells = [str(v) for f in frames for v in [*f.columns, *f.to_numpy().ravel()]]
    out = tmp_path / "outputs"
    write_processed(analysis, out / "processed")
    write_summary(analysis, out)
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json"):
            cells.append(path.read_text("utf-8-sig"))
    for cell in cells:
        leaked = [p for p in PLANTED if p.casefold() in cell.casefold()]
        assert not leaked, f"{leaked} leaked in {cell[:200]!r}"


def round_dir(tmp_path: Path, name: str = "runde-2025") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


# ---------------------------------------------------------------- Qualtrics


QUALTRICS_META = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/Copenhagen"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/Copenhagen"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date",
     '{"ImportId":"recordedDate","timeZone":"Europe/Copenhagen"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]
# (status as text, as a number, finished) of each response written.
QUALTRICS_ROWS = [("IP Address", "0", True), ("Survey Preview", "1", True),
                  ("IP Address", "0", False), ("Spam", "8", True), ("IP Address", "0", True)]


def qualtrics_rows(role: str, point_sets: list[list], *, numeric: bool = False,
                   with_block: bool = True) -> list[list]:
    """A Qualtrics export: internal names, question texts, import ids, then answers."""
    names = [m[0] for m in QUALTRICS_META] + ["Q1"]
    texts = [m[1] for m in QUALTRICS_META] + [UNIT_QUESTION]
    ids = [m[2] for m in QUALTRICS_META] + ['{"ImportId":"QID1"}']
    for n, item in enumerate(ITEMS[role], start=1):
        names.append(f"Q2_{n}")
        texts.append(f"{QUESTION} - {TEXT['da'][item]}" if with_block else TEXT["da"][item])
        ids.append(f'{{"ImportId":"QID2_{n}"}}')
    names.append("Q3")
    texts.append(COMMENT_QUESTION)
    ids.append('{"ImportId":"QID3_TEXT"}')
    rows = [names, texts, ids]
    for n, points in enumerate(point_sets):
        status, code, finished = QUALTRICS_ROWS[n % len(QUALTRICS_ROWS)]
        preview = status == "Survey Preview"
        meta = ["2025-03-03 09:12:44", "2025-03-03 09:19:02", code if numeric else status,
                "" if preview else IPS[n], "100" if finished else "45", "378",
                ("1" if finished else "0") if numeric else str(finished),
                "2025-03-03 09:19:03", f"R_1x{n}AbCdEfGhIjK", LAST[n], FIRST[n], MAILS[n],
                "", GEO[0], GEO[1], "preview" if preview else "email", "DA"]
        unit = ["2" if numeric else "Økonomi"]
        answers = [("" if p is None else str(p)) if numeric else label(p) for p in points]
        rows.append([*meta, *unit, *answers, COMMENT])
    return rows


@pytest.mark.parametrize("numeric", [False, True], ids=["choice-text", "numeric-values"])
def test_qualtrics_csv_three_header_rows(tmp_path, numeric):
    folder = round_dir(tmp_path)
    sets = [MIXED_60, FULL_100, HALF_DONE, [1] * 20, ONE_BLANK]
    write_csv(folder / "MUS_ledere_March 3, 2025_09.20.csv",
              qualtrics_rows("leader", sets, numeric=numeric))
    write_csv(folder / "MUS_medarbejdere_March 3, 2025_09.21.csv",
              qualtrics_rows("employee", [FULL_100, MIXED_60, ONE_BLANK], numeric=numeric,
                             with_block=False))

    data = read_round(folder)

    # The preview (row 5) and the spam (row 7) are dropped; the unfinished
    # response keeps its answers.
    assert points_of(data, "leader") == [MIXED_60, HALF_DONE, ONE_BLANK]
    assert rows_of(data, "leader") == [("MUS_ledere_March 3, 2025_09.20.csv", r)
                                       for r in (4, 6, 8)]
    assert points_of(data, "employee") == [FULL_100, ONE_BLANK]
    assert units_of(data, "leader") == ["2" if numeric else "Økonomi"] * 3
    file = "MUS_ledere_March 3, 2025_09.20.csv"
    status = ("1", "8") if numeric else ("Survey Preview", "Spam")
    assert logged(data, "dropped row") == [
        (file, 5, "Response Type", status[0],
         "Qualtrics status 'Survey Preview': not a respondent's answers"),
        (file, 7, "Response Type", status[1],
         "Qualtrics status 'Spam': not a respondent's answers"),
        ("MUS_medarbejdere_March 3, 2025_09.21.csv", 5, "Response Type", status[0],
         "Qualtrics status 'Survey Preview': not a respondent's answers")]
    table = next(t for t in data.tables if t.file == file)
    assert table.detected["layout"] == "Qualtrics"
    assert table.detected["header_rows"] == [1, 2, 3]
    assert table.detected["encoding"] == "utf-8-sig"
    assert data.received == 5 + 3
    assert data.log[data.log["action"] == "set to missing"].empty
    dropped = dict(zip(data.log["column"], data.log["reason"]))
    assert dropped["Recipient Email"] == "personal data (e-mail address)"
    assert dropped["Recipient Last Name"] == "personal data (name)"
    assert dropped["IP Address"] == "personal data (IP address)"
    assert dropped["Location Latitude"] == "personal data (location)"
    assert dropped["Response ID"] == "survey metadata"
    assert_no_personal_data(folder, tmp_path)


def test_qualtrics_excel_export(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "MUS ledere.xlsx",
               {"Sheet0": qualtrics_rows("leader", [FULL_100, MIXED_60, ONE_BLANK])})

    data = read_round(folder)

    assert points_of(data, "leader") == [FULL_100, ONE_BLANK]
    assert rows_of(data, "leader") == [("MUS ledere.xlsx", 4), ("MUS ledere.xlsx", 6)]
    assert data.tables[0].detected["layout"] == "Qualtrics"
    assert_no_personal_data(folder, tmp_path)


# --------------------------------------------------------------- SurveyXact


def surveyxact_sheets(role: str, point_sets: list[list], *, order: list[str] | None = None,
                      texts: str = "statement") -> dict[str, list[list]]:
    """SurveyXact's dataset export: Dataset (codes), Variables (texts), Labels."""
    order = order or LABELS
    code_of = {LABELS.index(lab) + 1: code for code, lab in enumerate(order, start=1)}
    items = ITEMS[role]
    header = ["respondentid", "b_navn", "b_email", "b_afdeling",
              *(f"s_{n}" for n in range(1, 21)), "s_21", "statoverall_4", "closetime"]
    dataset = [header]
    for n, points in enumerate(point_sets):
        codes = ["" if p is None else code_of[p] for p in points]
        codes[-1] = 6 if n == 1 else codes[-1]   # "Ved ikke" once: an answer without points
        dataset.append([51000 + n, f"{FIRST[n]} {LAST[n]}", MAILS[n], 1 + n % 2, *codes,
                        COMMENT, 3, "03-03-2025 09:19"])
    statement = {"statement": lambda i: TEXT["da"][i],
                 "question": lambda i: f"{QUESTION} - {TEXT['da'][i]}"}[texts]
    variables = [["Variable", "Text"], ["respondentid", "Respondent-id"],
                 ["b_navn", "Navn"], ["b_email", "E-mail"], ["b_afdeling", "Afdeling"],
                 *([f"s_{n}", statement(i)] for n, i in enumerate(items, start=1)),
                 ["s_21", COMMENT_QUESTION], ["statoverall_4", "Status"],
                 ["closetime", "Afslutningstidspunkt"]]
    labels = [["Variable", "Value", "Label"], ["b_afdeling", 1, "Økonomi"],
              ["b_afdeling", 2, "HR"]]
    for n in range(1, 21):
        labels += [[f"s_{n}", code, lab] for code, lab in enumerate(order, start=1)]
        labels.append([f"s_{n}", 6, "Ved ikke"])
    labels += [["statoverall_4", 1, "Ikke besvaret"], ["statoverall_4", 2, "Delvist besvaret"],
               ["statoverall_4", 3, "Gennemført"]]
    return {"Dataset": dataset, "Variables": variables, "Labels": labels}


def test_surveyxact_excel_dataset_with_variables_and_labels(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "MUS-test ledere 2025.xlsx",
               surveyxact_sheets("leader", [MIXED_60, FULL_100, ONE_BLANK]))
    write_xlsx(folder / "MUS-test medarbejdere 2025.xlsx",
               surveyxact_sheets("employee", [FULL_100, MIXED_60], texts="question"))

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, [5] * 19 + [None], ONE_BLANK]
    assert points_of(data, "employee") == [FULL_100, MIXED_60[:19] + [None]]
    assert units_of(data, "leader") == ["Økonomi", "HR", "Økonomi"]
    sheet = "MUS-test ledere 2025.xlsx (sheet 'Dataset')"
    assert rows_of(data, "leader") == [(sheet, 2), (sheet, 3), (sheet, 4)]
    # "Ved ikke" is a real answer that carries no points: missing, and logged.
    assert (sheet, 3, "s_20", "Ved ikke", "not an answer on the scale") \
        in logged(data, "set to missing")
    table = next(t for t in data.tables if t.label == sheet)
    assert table.detected["layout"] == "SurveyXact"
    assert table.detected["columns"]["leader"]["s_1"] == "L01"
    assert table.detected["unit_column"] == "b_afdeling"
    assert table.detected["dropped_columns"]["b_navn"] == "personal data (name)"
    assert table.detected["dropped_columns"]["statoverall_4"] == "survey metadata"
    assert not logged(data, "ignored sheet")
    assert_no_personal_data(folder, tmp_path)


def test_surveyxact_labels_in_another_order_map_by_meaning(tmp_path):
    folder = round_dir(tmp_path)
    reverse = list(reversed(LABELS))   # code 1 = Altid .. code 5 = Aldrig
    write_xlsx(folder / "ledere.xlsx", surveyxact_sheets("leader", [MIXED_60, FULL_100],
                                                         order=reverse))

    data = read_round(folder)

    dataset = pd.read_excel(folder / "ledere.xlsx", sheet_name="Dataset", engine="calamine")
    assert dataset["s_1"].tolist() == [5, 1]   # the codes really are reversed
    assert points_of(data, "leader") == [MIXED_60, [5] * 19 + [None]]


@pytest.mark.parametrize(("labels", "problem"), [
    (["Helt uenig", "Uenig", "Hverken eller", "Enig", "Helt enig"],
     r"no code is labelled 'Aldrig', 'Sjældent'"),
    (["Aldrig", "Aldrig", "Af og til", "Oftest", "Altid"], r"codes 1, 2 have the same answer"),
])
def test_surveyxact_labels_that_are_not_the_scale_are_refused(tmp_path, labels, problem):
    folder = round_dir(tmp_path)
    sheets = surveyxact_sheets("leader", [MIXED_60])
    sheets["Labels"] = [row for row in sheets["Labels"] if row[0] != "s_3"]
    sheets["Labels"] += [["s_3", code, lab] for code, lab in enumerate(labels, start=1)]
    write_xlsx(folder / "ledere.xlsx", sheets)
    with pytest.raises(RoundError, match=rf"ledere\.xlsx \(sheet 'Dataset'\): the labels of s_3 "
                                         rf"\(1='.*\) are not the answer scale of the MUS test: "
                                         rf"{problem}.* Fix: label each code"):
        read_round(folder)


def surveyxact_csv(folder: Path, role: str, point_sets: list[list]) -> None:
    """SurveyXact's CSV export: dataset, labels and structure, tab separated UTF-16."""
    sheets = surveyxact_sheets(role, point_sets)
    structure = [["variableName", "variableType", "text"]]
    structure += [[name, "single" if name.startswith("s_") else "text", text]
                  for name, text in sheets["Variables"][1:]]
    labels = [["variableName", "value", "label"], *sheets["Labels"][1:]]
    for name, rows in (("dataset", sheets["Dataset"]), ("labels", labels),
                       ("structure", structure)):
        write_csv(folder / f"{name}.csv", rows, sep="\t", encoding="utf-16")


def test_surveyxact_csv_export_tab_separated_utf16(tmp_path):
    folder = round_dir(tmp_path)
    surveyxact_csv(folder / "ledere", "leader", [FULL_100, MIXED_60])
    surveyxact_csv(folder / "medarbejdere", "employee", [MIXED_60, ONE_BLANK, FULL_100])
    assert (folder / "ledere" / "dataset.csv").read_bytes()[:2] == b"\xff\xfe"

    data = read_round(folder)

    assert points_of(data, "leader") == [FULL_100, MIXED_60[:19] + [None]]
    assert points_of(data, "employee") == [MIXED_60, [4] * 19 + [None], FULL_100]
    assert rows_of(data, "employee") == [("medarbejdere/dataset.csv", r) for r in (2, 3, 4)]
    assert units_of(data, "employee") == ["Økonomi", "HR", "Økonomi"]
    table = next(t for t in data.tables if t.file == "ledere/dataset.csv")
    assert (table.detected["layout"], table.detected["encoding"],
            table.detected["separator"]) == ("SurveyXact", "utf-16", "\t")
    assert table.detected["metadata"] == ["ledere/labels.csv", "ledere/structure.csv"]
    assert_no_personal_data(folder, tmp_path)


# ------------------------------------------------------------- SurveyMonkey


MONKEY_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
               "Email Address", "First Name", "Last Name", "Custom Data 1"]


def monkey_rows(role: str, point_sets: list[list]) -> list[list]:
    """Two header rows: the question over a matrix, the statement under each column."""
    first = [*MONKEY_META, UNIT_QUESTION, QUESTION, *[""] * 19, COMMENT_QUESTION]
    second = [*[""] * len(MONKEY_META), "Response", *(TEXT["da"][i] for i in ITEMS[role]),
              "Open-Ended Response"]
    rows = [first, second]
    for n, points in enumerate(point_sets):
        rows.append([114209351230 + n, 431005422, "03/03/2025 09:12:44 AM",
                     "03/03/2025 09:19:02 AM", IPS[n], MAILS[n], FIRST[n], LAST[n], "",
                     "HR", *(label(p) for p in points), COMMENT])
    return rows


def test_surveymonkey_excel(tmp_path):
    folder = round_dir(tmp_path)
    write_xlsx(folder / "Data_All_250303.xlsx",
               {"Sheet": monkey_rows("employee", [MIXED_60, ONE_BLANK, FULL_100])})

    data = read_round(folder)

    assert points_of(data, "employee") == [MIXED_60, ONE_BLANK, FULL_100]
    assert rows_of(data, "employee") == [("Data_All_250303.xlsx", r) for r in (3, 4, 5)]
    assert units_of(data, "employee") == ["HR"] * 3
    table = data.tables[0]
    assert table.detected["layout"] == "SurveyMonkey"
    assert table.detected["header_rows"] == [1, 2]
    assert table.detected["unit_column"] == UNIT_QUESTION
    assert table.detected["dropped_columns"] == {
        "Respondent ID": "survey metadata", "Collector ID": "survey metadata",
        "Start Date": "survey metadata", "End Date": "survey metadata",
        "IP Address": "personal data (IP address)",
        "Email Address": "personal data (e-mail address)",
        "First Name": "personal data (name)", "Last Name": "personal data (name)",
        "Custom Data 1": "survey metadata", COMMENT_QUESTION: "personal data (free text)"}
    assert_no_personal_data(folder, tmp_path)


def test_surveymonkey_csv(tmp_path):
    folder = round_dir(tmp_path)
    write_csv(folder / "MUS ledere.csv", monkey_rows("leader", [FULL_100, MIXED_60]))

    data = read_round(folder)

    assert points_of(data, "leader") == [FULL_100, MIXED_60]
    assert rows_of(data, "leader") == [("MUS ledere.csv", 3), ("MUS ledere.csv", 4)]
    assert_no_personal_data(folder, tmp_path)


# --------------------------------------------------------------- LimeSurvey


LIME_CODES = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate",
              "datestamp", "ipaddr"]
LIME_TEXT = ["Response ID", "Date submitted", "Last page", "Start language", "Seed",
             "Date started", "Date last action", "IP address"]


def lime_csv(path: Path, role: str, point_sets: list[list], *, headings: str,
             answers: str = "codes", sep: str = ",", length: int = 15) -> Path:
    """LimeSurvey's CSV export: UTF-8 with BOM, every value quoted, CRLF, blank last line."""
    items = ITEMS[role]
    if headings == "code":
        header = [*LIME_CODES, "G1Q1", *(f"G2Q1[SQ{n:03d}]" for n in range(1, 21)), "G3Q1"]
    else:
        def cut(text: str) -> str:   # LimeSurvey's abbreviation: 15 characters by default
            return text if headings == "full" or len(text) <= length else text[:length] + ".. "
        header = [*LIME_TEXT, cut(UNIT_QUESTION),
                  *(f"{cut(QUESTION)} [{cut(TEXT['da'][i])}]" for i in items),
                  cut(COMMENT_QUESTION)]
    rows = [header]
    for n, points in enumerate(point_sets):
        unfinished = n == 2
        meta = [str(n + 1), "" if unfinished else "2025-03-03 09:19:02",
                "1" if unfinished else "3", "da", str(1700000 + n), "2025-03-03 09:12:44",
                "2025-03-03 09:19:02", IPS[n]]
        unit = "AO02" if answers == "codes" else "HR"
        cells = [("" if p is None else f"A{p}") if answers == "codes" else label(p)
                 for p in points]
        rows.append([*meta, unit, *cells, COMMENT])
    return write_csv(path, rows, sep=sep, quoting=csv.QUOTE_ALL, tail="\r\n")


@pytest.mark.parametrize("sep", [",", ";"])
def test_limesurvey_full_headings_and_answer_codes(tmp_path, sep):
    folder = round_dir(tmp_path)
    lime_csv(folder / "results-survey354216.csv", "leader", [MIXED_60, FULL_100, HALF_DONE],
             headings="full", sep=sep)
    lime_csv(folder / "results-survey354217.csv", "employee", [ONE_BLANK], headings="full",
             answers="text", sep=sep)
    raw = (folder / "results-survey354216.csv").read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"Response ID"') and raw.endswith(b"\r\n\r\n")

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100, HALF_DONE]
    assert points_of(data, "employee") == [ONE_BLANK]
    table = next(t for t in data.tables if t.file == "results-survey354216.csv")
    assert (table.detected["layout"], table.detected["answer_codes"]) == ("LimeSurvey", "A1-A5")
    assert table.detected["dropped_columns"]["IP address"] == "personal data (IP address)"
    assert_no_personal_data(folder, tmp_path)


def test_limesurvey_answer_codes_off_the_scale_are_logged(tmp_path):
    folder = round_dir(tmp_path)
    path = lime_csv(folder / "ledere.csv", "leader", [MIXED_60], headings="full")
    path.write_bytes(path.read_bytes().replace(b'"A5"', b'"A6"', 1))

    data = read_round(folder)

    assert points_of(data, "leader") == [[*MIXED_60[:4], None, *MIXED_60[5:]]]
    assert logged(data, "set to missing") == [
        ("ledere.csv", 2, f"{QUESTION} [{TEXT['da']['L05']}]", "A6",
         "not an answer on the scale")]


def test_limesurvey_abbreviated_headings(tmp_path):
    folder = round_dir(tmp_path)
    lime_csv(folder / "ledere.csv", "leader", [MIXED_60], headings="abbreviated", length=40)

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60]
    columns = data.tables[0].detected["columns"]["leader"]
    assert columns[f"{QUESTION} [Jeg bringer nye ideer og forslag fra MUS.. ]"] == "L17"
    assert sorted(columns.values()) == ITEMS["leader"]


def test_limesurvey_headings_cut_too_short_are_refused(tmp_path):
    folder = round_dir(tmp_path)
    path = lime_csv(folder / "ledere.csv", "leader", [MIXED_60], headings="abbreviated")
    header = path.read_text("utf-8-sig").splitlines()[0]
    assert '"Hvor ofte gælde..  [MUS gennemføres]"' in header

    with pytest.raises(RoundError, match=r"ledere\.csv: column 'Hvor ofte gælde\.\.  \[Jeg "
                                         r"bidrager ti\.\. \]' is cut short and could be any "
                                         r"of L10, L15, L16\. Fix: .*round\.toml \[columns\]"):
        read_round(folder)


def test_limesurvey_question_codes_need_a_column_mapping(tmp_path):
    folder = round_dir(tmp_path)
    lime_csv(folder / "ledere.csv", "leader", [MIXED_60, FULL_100], headings="code")
    with pytest.raises(RoundError, match=r"ledere\.csv: matches neither questionnaire.* "
                                         r"round\.toml \[columns\]"):
        read_round(folder)

    mapping = "\n".join(f'"G2Q1[SQ{n:03d}]" = {n}' for n in range(1, 21))
    (folder / "round.toml").write_text(f"[columns]\n{mapping}\n", encoding="utf-8")
    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, FULL_100]
    table = data.tables[0]
    assert table.detected["layout"] == "LimeSurvey"
    assert table.detected["role_from"] == "the file or sheet name"
    assert table.detected["mapped"]["G2Q1[SQ001]"] == "G2Q1[SQ001]"
    assert_no_personal_data(folder, tmp_path)


# ----------------------------------------------------------- answer scales


def codes_csv(path: Path, role: str, point_sets: list[list], *, shift: int) -> Path:
    rows = [ITEMS[role], *([("" if p is None else p + shift) for p in points]
                           for points in point_sets)]
    return write_csv(path, rows, sep=";", encoding="cp1252")


def test_codes_0_to_4_are_read_as_1_to_5(tmp_path):
    folder = round_dir(tmp_path)
    codes_csv(folder / "ledere.csv", "leader", [MIXED_60, [1] * 20, ONE_BLANK], shift=-1)

    data = read_round(folder)

    assert points_of(data, "leader") == [MIXED_60, [1] * 20, ONE_BLANK]
    assert data.tables[0].detected["answer_codes"] == "0-4"


def test_codes_0_to_5_are_refused_until_round_toml_says(tmp_path):
    folder = round_dir(tmp_path)
    rows = [ITEMS["leader"], [0, *MIXED_60[1:]], FULL_100]
    write_csv(folder / "ledere.csv", rows, sep=";")
    with pytest.raises(RoundError, match=r"ledere\.csv: its answers are codes from 0 to 5: 6 "
                                         r"codes for the 5 answers of the scale.* Fix: .*"
                                         r'answer_codes = "0-4" in round\.toml'):
        read_round(folder)

    (folder / "round.toml").write_text('answer_codes = "1-5"\n', encoding="utf-8")
    data = read_round(folder)
    assert points_of(data, "leader") == [[None, *MIXED_60[1:]], FULL_100]
    assert logged(data, "set to missing") == [("ledere.csv", 2, "L01", "0",
                                               "not an answer on the scale")]


# ------------------------------------------------------------ response ids


def _tool_export(tool: str, folder: Path) -> None:
    points = [MIXED_60, FULL_100, HALF_DONE, ONE_BLANK, MIXED_60]
    if tool == "Qualtrics":
        write_csv(folder / "ledere.csv", qualtrics_rows("leader", points))
    elif tool == "SurveyXact":
        write_xlsx(folder / "ledere.xlsx", surveyxact_sheets("leader", points[:3]))
    elif tool == "SurveyMonkey":
        write_xlsx(folder / "ledere.xlsx", {"Sheet": monkey_rows("leader", points[:3])})
    elif tool in ("LimeSurvey codes", "LimeSurvey texts"):
        codes = tool == "LimeSurvey codes"
        lime_csv(folder / "ledere.csv", "leader", points[:3],
                 headings="code" if codes else "full")
        if codes:  # question codes say nothing of the statement: round.toml maps them
            mapping = "".join(f'"G2Q1[SQ{n:03d}]" = {n}\n' for n in range(1, 21))
            (folder / "round.toml").write_text(
                f'[columns]\n{mapping}[roles]\nleader = "ledere.csv"\n', encoding="utf-8")


@pytest.mark.parametrize("tool, ids", [
    ("Qualtrics", ["R_1x0AbCdEfGhIjK", "R_1x2AbCdEfGhIjK", "R_1x4AbCdEfGhIjK"]),
    ("SurveyXact", ["51000", "51001", "51002"]),
    ("SurveyMonkey", ["114209351230", "114209351231", "114209351232"]),
    ("LimeSurvey codes", ["1", "2", "3"]),
    ("LimeSurvey texts", ["1", "2", "3"]),
])
def test_each_tool_s_response_id_is_kept_in_memory_only(tmp_path, tool, ids):
    folder = round_dir(tmp_path)
    _tool_export(tool, folder)

    data = read_round(folder)

    frame = data.respondents.sort_values("respondent")
    assert frame["source_id"].tolist() == ids
    for table in data.tables:
        assert not set(ids) & set(table.frame.to_numpy().ravel().tolist())
    assert not set(ids) & set(data.log["value"])
    # Pseudonyms replace the ids in everything written.
    if tool == "Qualtrics":
        analysis = analyse_round(folder, min_group=1)
        write_processed(analysis, tmp_path / "processed")
        write_summary(analysis, tmp_path)
        for path in [*(tmp_path / "processed").iterdir(), tmp_path / "summary.json"]:
            if path.suffix in (".csv", ".json"):
                text = path.read_text("utf-8-sig")
                assert not [i for i in ids if i in text], path.name
