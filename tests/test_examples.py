"""The example rounds under data/raw: deterministic, in the real tools' layouts, unedited.

These tests read the files with pandas, openpyxl and the csv module only, never
with the kit's reader, so they check the examples independently of the code
the examples exist to test.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import unicodedata
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from mus_analysis import load_instrument

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_examples.py"
RAW = ROOT / "data" / "raw"
FILES = {
    "example-2024": ["MUS-test 2024.xlsx"],
    "example-2025": ["MUS-test for ledere 2025.xlsx", "MUS-test for medarbejdere 2025.xlsx"],
    "example-2026": ["Ledere - svar.csv", "Medarbejdere.csv"],
}
ROLES = ("leader", "employee")
BLANK = "blank"
INVALID = "invalid"
MAIL = re.compile(r"[a-z]+\.[a-z]+@styrelsen\.example\.dk")
FORMS_META = ["Id", "Starttidspunkt", "Sluttidspunkt", "Mail", "Navn", "Senest ændret",
              "Hvilken enhed er du ansat i?"]
FORMS_COMMENT = "Har du kommentarer til MUS-processen?"

INS = load_instrument()
ITEMS = {role: INS.role_items(role)["item"].tolist() for role in ROLES}
TEXT = INS.item_text("da")


def text_key(text: object) -> str:
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\W_]+", "", text)


HEADER_ITEM = {
    role: {text_key(t): item
           for item, da, spellings in INS.role_items(role)[["item", "da", "spellings"]]
           .itertuples(index=False) for t in (da, *spellings)}
    for role in ROLES
}
LABEL_POINTS = {text_key(label): int(points) for lang in ("da", "en")
                for points, label in zip(INS.scale["points"], INS.scale[lang])}


# ----------------------------------------------------------------- helpers


def generate(out: Path, *args: str) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), *args],
                   check=True, capture_output=True)


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def expected_files() -> list[str]:
    return sorted(f"{folder}/{name}" for folder, names in FILES.items() for name in names)


def assert_same_content(a: Path, b: Path) -> None:
    """CSV files must match byte for byte; workbooks sheet by sheet, as parsed."""
    if a.suffix == ".csv":
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs"
        return
    sheets_a = pd.read_excel(a, sheet_name=None, engine="openpyxl")
    sheets_b = pd.read_excel(b, sheet_name=None, engine="openpyxl")
    assert list(sheets_a) == list(sheets_b), f"{a.name}: sheets differ"
    for name in sheets_a:
        pd.testing.assert_frame_equal(sheets_a[name], sheets_b[name], obj=f"{a.name}[{name}]")


def points_of(value: object) -> object:
    """Points 1-5 of one answer cell, BLANK for a blank, INVALID for anything else."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return BLANK
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text == "":
        return BLANK
    if re.fullmatch(r"[1-5](,0)?", text):
        return int(text[0])
    return LABEL_POINTS.get(text_key(text), INVALID)


def read_csv_text(path: Path, **kwargs) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


def read_forms(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name="Sheet1", engine="openpyxl")


def round_answers(year: int) -> dict[str, pd.DataFrame]:
    """Per role: a ``unit`` column and one column per item holding the raw cells."""
    folder = RAW / f"example-{year}"
    frames: dict[str, tuple[pd.DataFrame, str, dict[str, str]]] = {}
    if year == 2024:
        sheets = pd.read_excel(folder / FILES["example-2024"][0], sheet_name=None,
                               engine="openpyxl", dtype=object)
        for role, sheet in zip(ROLES, ("Ledere", "Medarbejdere")):
            frames[role] = (sheets[sheet], "Enhed", {item: item for item in ITEMS[role]})
    elif year == 2025:
        for role, name in zip(ROLES, FILES["example-2025"]):
            df = read_forms(folder / name)
            columns = {c: HEADER_ITEM[role][text_key(c)] for c in df.columns
                       if text_key(c) in HEADER_ITEM[role]}
            frames[role] = (df, FORMS_META[-1], columns)
    else:
        google = read_csv_text(folder / "Ledere - svar.csv")
        columns = {c: HEADER_ITEM["leader"][text_key(c.split("[", 1)[1])]
                   for c in google.columns[3:]}
        frames["leader"] = (google, "Enhed", columns)
        excel = read_csv_text(folder / "Medarbejdere.csv", sep=";", encoding="cp1252")
        columns = {c: HEADER_ITEM["employee"][text_key(c)] for c in excel.columns[3:]}
        frames["employee"] = (excel, "Afdeling", columns)

    out = {}
    for role, (df, unit, columns) in frames.items():
        assert sorted(columns.values()) == ITEMS[role], f"{year} {role}: not every item found"
        answers = df[list(columns)].rename(columns=columns)[ITEMS[role]].astype(object)
        out[role] = pd.concat([df[unit].rename("unit").astype(object), answers], axis=1)
    return out


def points_table(answers: pd.DataFrame) -> pd.DataFrame:
    return answers.drop(columns="unit").map(points_of)


def numeric(points: pd.DataFrame) -> pd.DataFrame:
    return points.map(lambda v: float("nan") if v in (BLANK, INVALID) else float(v))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("examples")
    generate(out)
    return out


@pytest.fixture(scope="module")
def rounds() -> dict[int, dict[str, pd.DataFrame]]:
    return {year: round_answers(year) for year in (2024, 2025, 2026)}


# ------------------------------------------------------------- determinism


def test_generator_writes_exactly_the_round_files(generated: Path) -> None:
    assert files_under(generated) == expected_files()


def test_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    generate(tmp_path)
    assert files_under(tmp_path) == files_under(generated)
    for name in files_under(generated):
        assert_same_content(generated / name, tmp_path / name)


def test_seed_option_changes_the_data(generated: Path, tmp_path: Path) -> None:
    generate(tmp_path, "--seed", "1")
    name = "example-2026/Medarbejdere.csv"
    assert (tmp_path / name).read_bytes() != (generated / name).read_bytes()


def test_committed_examples_equal_the_generator_output(generated: Path) -> None:
    committed = sorted(f"{p.parent.name}/{p.name}"
                       for p in RAW.glob("example-*/*") if p.is_file())
    assert committed == expected_files(), "round folders must hold only the generated files"
    for name in committed:
        assert_same_content(RAW / name, generated / name)


# ------------------------------------------------------------------ layout


def test_2024_single_workbook_layout() -> None:
    wb = load_workbook(RAW / "example-2024" / "MUS-test 2024.xlsx", read_only=True)
    assert wb.sheetnames == ["Ledere", "Medarbejdere"]
    for sheet, role, (low, high) in (("Ledere", "leader", (25, 35)),
                                     ("Medarbejdere", "employee", (180, 220))):
        rows = list(wb[sheet].iter_rows(values_only=True))
        assert list(rows[0]) == ["Løbenr", "Enhed", *ITEMS[role]]
        assert low <= len(rows) - 1 <= high
        assert [row[0] for row in rows[1:]] == list(range(1, len(rows)))
        codes = {v for row in rows[1:] for v in row[2:]}
        assert {1, 2, 3, 4, 5, None} <= codes
    wb.close()


@pytest.mark.parametrize("name, role, n_range", [
    ("MUS-test for ledere 2025.xlsx", "leader", (30, 40)),
    ("MUS-test for medarbejdere 2025.xlsx", "employee", (220, 280)),
])
def test_2025_forms_layout(name: str, role: str, n_range: tuple[int, int]) -> None:
    path = RAW / "example-2025" / name
    assert load_workbook(path, read_only=True).sheetnames == ["Sheet1"]
    df = read_forms(path)

    assert list(df.columns[:7]) == FORMS_META
    assert df.columns[-1] == FORMS_COMMENT
    statements = list(df.columns[7:-1])
    assert sorted(HEADER_ITEM[role][text_key(c)] for c in statements) == ITEMS[role]
    if role == "employee":
        assert "Jeg oplever, at min leder er godt foreberedt til min MUS" in statements
        assert any("(fx. kompetencer" in c for c in statements)

    assert n_range[0] <= len(df) <= n_range[1]
    assert df["Id"].tolist() == list(range(1, len(df) + 1))
    assert pd.api.types.is_datetime64_any_dtype(df["Sluttidspunkt"])
    assert df["Sluttidspunkt"].is_monotonic_increasing
    assert (df["Starttidspunkt"] < df["Sluttidspunkt"]).all()
    assert df["Mail"].map(lambda m: MAIL.fullmatch(m) is not None).all()
    assert df["Mail"].is_unique
    assert df["Navn"].str.fullmatch(r"[A-ZÆØÅ]\w+ [A-ZÆØÅ]\w+").all()
    assert df[FORMS_COMMENT].notna().sum() >= 3


def test_2025_forms_comments_name_people() -> None:
    forms = [read_forms(RAW / "example-2025" / name) for name in FILES["example-2025"]]
    first_names = {name.split()[0] for df in forms for name in df["Navn"]}
    notes = [note for df in forms for note in df[FORMS_COMMENT].dropna()]
    named = [n for n in notes if first_names & set(re.findall(r"\w+", n))]
    assert 0 < len(named) < len(notes)


def test_2025_forms_reorder_one_file_only() -> None:
    order = {}
    for role, name in zip(ROLES, FILES["example-2025"]):
        headers = read_forms(RAW / "example-2025" / name).columns[7:-1]
        order[role] = [HEADER_ITEM[role][text_key(c)] for c in headers]
    assert order["leader"] == ITEMS["leader"]
    assert order["employee"] != ITEMS["employee"]


def test_2026_google_forms_csv_layout() -> None:
    raw = (RAW / "example-2026" / "Ledere - svar.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))

    # Written again with every field quoted, the file comes out the same.
    again = io.StringIO(newline="")
    csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    assert again.getvalue().encode("utf-8") == raw

    sections = dict(zip(INS.sections["section"], INS.sections["da"]))
    grid = [f"{sections[s]} [{TEXT[i]}]"
            for i, s in INS.role_items("leader")[["item", "section"]].itertuples(index=False)]
    assert rows[0] == ["Tidsstempel", "Mailadresse", "Enhed", *grid]
    assert "Nye ideer og forslag [Jeg bringer nye ideer og forslag op under MUS]" in rows[0]
    assert 30 <= len(rows) - 1 <= 40
    times = [datetime.strptime(row[0], "%d/%m/%Y %H.%M.%S") for row in rows[1:]]
    assert times == sorted(times)
    assert all(MAIL.fullmatch(row[1]) for row in rows[1:])


def test_2026_excel_semicolon_csv_layout() -> None:
    path = RAW / "example-2026" / "Medarbejdere.csv"
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert raw.count(b"\r\n") == raw.count(b"\n") == len(text.splitlines())
    header = text.splitlines()[0].split(";")
    assert header == ["Navn", "E-mail", "Afdeling", *(TEXT[i] for i in ITEMS["employee"])]

    df = read_csv_text(path, sep=";", encoding="cp1252")
    assert 230 <= len(df) <= 290
    cells = df[header[3:]].stack()
    assert cells.isin(["1", "2", "3", "4", "5", ""]).mean() > 0.99
    assert cells.str.fullmatch(r"[1-5],0").sum() >= 3
    assert (cells == "").sum() >= 3
    assert df["E-mail"].map(lambda m: MAIL.fullmatch(m) is not None).all()


def test_label_files_are_messy() -> None:
    forms = [read_forms(RAW / "example-2025" / name) for name in FILES["example-2025"]]
    google = read_csv_text(RAW / "example-2026" / "Ledere - svar.csv")
    da = set(INS.scale["da"])
    en = set(INS.scale["en"])
    for df in (*forms, google):
        cells = df[[c for c in df.columns if text_key(c) in HEADER_ITEM["leader"]
                    or text_key(c) in HEADER_ITEM["employee"] or "[" in c]]
        values = [v for v in cells.stack().tolist() if isinstance(v, str) and v]
        assert any(v != v.strip() for v in values), "stray spaces"
        assert any(v.strip() not in da and v.strip().casefold() in
                   {d.casefold() for d in da} for v in values), "odd letter case"
        assert any("\xa0" in v for v in values), "non-breaking space"
        has_english = any(v.strip() in en for v in values)
        assert has_english == (df is forms[1]), "English labels only in the 2025 employee file"


# ----------------------------------------------------------------- content


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_units_include_a_small_one(rounds: dict, year: int) -> None:
    counts = {role: rounds[year][role]["unit"].value_counts() for role in ROLES}
    assert set(counts["leader"].index) == set(counts["employee"].index)
    assert 5 <= len(counts["employee"]) <= 6
    small = counts["employee"].idxmin()
    assert 3 <= counts["employee"][small] <= 4
    assert 1 <= counts["leader"][small] <= 2
    assert counts["employee"].drop(small).min() >= 10


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_incomplete_and_invalid_answers(rounds: dict, year: int) -> None:
    invalid = 0
    for role in ROLES:
        points = points_table(rounds[year][role])
        invalid += int((points == INVALID).sum().sum())
        blanks = (points == BLANK).sum(axis=1)
        assert blanks.max() <= 3
        assert 0.05 <= (blanks > 0).mean() <= 0.085, f"{year} {role}: share incomplete"
    assert 2 <= invalid <= 5


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_scores_spread_over_the_bands(rounds: dict, year: int) -> None:
    mean_score = {}
    for role in ROLES:
        scores = numeric(points_table(rounds[year][role])).dropna().sum(axis=1)
        mean_score[role] = scores.mean()
        if role == "employee":
            bands = pd.cut(scores, [20, 40, 60, 80, 100]).value_counts(normalize=True)
            low, *upper = bands.sort_index().tolist()
            assert 0 < low <= 0.05, "a few in 21-40"
            assert min(upper) >= 0.1, "41-60, 61-80 and 81-100 all in use"
    assert mean_score["leader"] > mean_score["employee"] + 3


def test_planted_changes_between_rounds(rounds: dict) -> None:
    means = {(year, role): numeric(points_table(rounds[year][role])).mean()
             for year in rounds for role in ROLES}
    up = {"E06", "E07", "E11", "E12", "L06", "L11"}
    down = {"E14"}
    # Leaders are few, so their unchanged items move more by chance.
    noise = {"leader": 0.35, "employee": 0.2}
    for role in ROLES:
        stable = means[(2025, role)] - means[(2024, role)]
        assert stable.abs().max() < noise[role], f"{role}: 2024-2025 should be stable"
        change = means[(2026, role)] - means[(2025, role)]
        for item, diff in change.items():
            if item in up:
                assert diff > 0.5, f"{item} should improve"
            elif item in down:
                assert diff < -0.4, f"{item} should fall"
            else:
                assert abs(diff) < noise[role], f"{item} should be unchanged"
