"""Hostile text from an export stays text in every file a report writes.

A round whose folder name, unit names, a column header and an answer hold
markup, formulas and dollar signs is built into a report (once for the
round, once for one of its units), and the written files are read back: the
HTML page, tables.xlsx, the figures, summary.json and the processed CSV and
Parquet files.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from openpyxl import load_workbook

import mus_analysis as ma
from mus_analysis import load_instrument
from mus_analysis.formulas import FORMULA_STARTS, neutralise, neutralise_frame

INS = load_instrument()
IMG = "<img src=x onerror=alert(1)>"
MATH = "$\\frac{1}{0}$ & <b>fed</b>"
UNITS = [IMG, '=HYPERLINK("http://x.example","klik")', "+SUM(1)", "-2+3", "@A1", MATH]
HEADER = "=cmd|' /C calc'!A0"
ROUND = "runde <i>&'\""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The report of the hostile round, and the report of its unit IMG."""
    tmp = tmp_path_factory.mktemp("hostile")
    folder = tmp / "raw" / ROUND
    folder.mkdir(parents=True)
    for role in ("leader", "employee"):
        items = INS.role_items(role)["item"].tolist()
        rows = [{"Enhed": unit, HEADER: "x", **{item: 1 + (n + j) % 5
                                               for j, item in enumerate(items)}}
                for unit in UNITS for n in range(6)]
        rows[0][items[3]] = "=2+5"                          # an answer that is a formula
        pd.DataFrame(rows).to_csv(folder / f"{role}.csv", index=False)
    out, processed = tmp / "reports", tmp / "processed"
    round_page = ma.build_report(folder, out, processed_dir=processed)
    unit_page = ma.build_report(folder, out, lang="en", processed_dir=processed, unit=IMG)
    return {"round": round_page, "unit": unit_page, "processed": processed}


class Tags(HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_unit_report_has_a_safe_folder_of_its_own(built):
    page = built["unit"]
    assert page.parent.parent == built["round"].parent.parent      # beside the round's
    assert page.parent.name == f"{ROUND}--img-src-x-onerror-alert-1"
    assert page.name == f"{page.parent.name}.html"


@pytest.mark.parametrize("which", ["round", "unit"])
def test_html_shows_export_text_as_text(built, which):
    source = built[which].read_text("utf-8")
    parsed = Tags(source)
    # No element or attribute from the data: the page's own images are data: URIs.
    assert all(attrs.get("src", "").startswith("data:image/svg+xml;base64,")
               for tag, attrs in parsed.tags if tag == "img")
    assert not any("onerror" in attrs for _, attrs in parsed.tags)
    assert not any(tag in ("b", "i", "script") for tag, _ in parsed.tags)
    assert "<img src=x" not in source and "<b>fed" not in source and "<i>&" not in source
    # ... and the text is there, as the reader should see it.
    text = " ".join(parsed.text)
    assert "&lt;img src=x onerror=alert(1)&gt;" in source
    assert IMG in text and ROUND in text
    assert UNITS[1] in text                                   # the formula as plain text


def test_html_alt_texts_and_title_hold_the_unit_as_text(built):
    source = built["unit"].read_text("utf-8")
    parsed = Tags(source)
    title = re.search(r"<title>(.*?)</title>", source).group(1)
    assert "&lt;img" in title and "<img" not in title
    alts = [attrs["alt"] for tag, attrs in parsed.tags if tag == "img"]
    assert any(IMG in alt for alt in alts)                    # the unit's spread chart
    assert not re.search(r"alt=[\"'][^\"']*<img", source)


def test_tables_xlsx_never_holds_a_formula(built):
    path = built["round"].parent / "tables.xlsx"
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml
    found = {}
    for sheet in load_workbook(path):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                        found[cell.value] = sheet.title
    # The unit table holds the units that start like formulas, stored as text.
    assert {UNITS[1], "+SUM(1)", "-2+3", "@A1"} <= set(found)


def test_figures_hold_the_unit_as_text(built):
    figures = built["unit"].parent / "figures"
    for svg in figures.glob("*.svg"):
        ElementTree.parse(svg)                                # well-formed XML
    title = ElementTree.parse(figures / "unit-spread-leader.svg").getroot().find(
        "{http://www.w3.org/2000/svg}title").text
    assert IMG in title


def test_a_unit_with_dollar_signs_draws_as_text(built, tmp_path):
    folder = built["round"].parent.parent.parent / "raw" / ROUND
    page = ma.build_report(folder, tmp_path, processed_dir=tmp_path / "p", unit=MATH)
    svg = (page.parent / "figures" / "unit-spread-employee.svg").read_text("utf-8")
    assert "\\frac{1}{0}" in svg                             # drawn as text, not as maths


def test_summary_json_keeps_the_names_as_data(built):
    summary = json.loads((built["unit"].parent / "summary.json").read_text("utf-8"))
    assert summary["round"] == ROUND and summary["unit"]["name"] == IMG
    names = {name for groups in summary["units"].values() for g in groups for name in g["units"]}
    assert set(UNITS) <= names


def test_processed_csv_cells_cannot_run_as_formulas(built):
    processed = built["processed"]
    seen = set()
    for path in processed.glob("*.csv"):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not cell.startswith(FORMULA_STARTS), (path.name, cell)
                    seen.add(cell)
    assert {"'=2+5", "'" + HEADER, "'+SUM(1)", "'-2+3", "'@A1", "'" + UNITS[1]} <= seen
    # Parquet keeps the text exactly as the export had it.
    answers = pd.read_parquet(processed / "answers.parquet")
    assert set(UNITS) <= set(answers["unit"].astype(str))
    log = pd.read_parquet(processed / "cleaning_log.parquet")
    assert HEADER in set(log["column"]) and "=2+5" in set(log["value"])


def test_neutralise_changes_text_only():
    assert neutralise("=1+1") == "'=1+1" and neutralise("Borgerservice") == "Borgerservice"
    frame = pd.DataFrame({"=a": ["-x", "y"], "n": [-1.5, 2.0],
                          "s": pd.array(["@z", None], dtype="string")})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=a", "n", "s"]
    assert out["'=a"].tolist() == ["'-x", "y"]
    assert out["n"].tolist() == [-1.5, 2.0] and out["s"].dtype == frame["s"].dtype
    assert out["s"].tolist()[0] == "'@z" and pd.isna(out["s"].tolist()[1])
    assert frame["=a"].tolist() == ["-x", "y"]                # the input is not changed
    # Categorical columns (the answers' units) rename their risky categories only.
    units = pd.DataFrame({"unit": pd.Categorical(["=A", "B", "=A"])})
    out = neutralise_frame(units)["unit"]
    assert isinstance(out.dtype, pd.CategoricalDtype) and out.tolist() == ["'=A", "B", "'=A"]
    clash = neutralise_frame(pd.DataFrame({"u": pd.Categorical(["=A", "'=A"])}))["u"]
    assert clash.tolist() == ["'=A", "'=A"]


def test_written_csv_of_processed_data_opens_as_text(tmp_path):
    from mus_analysis.files import write_csv

    path = write_csv(tmp_path / "t.csv", pd.DataFrame({"unit": ["=1+1", "+A", "ok"],
                                                        "points": [-1, 2, 3]}))
    lines = Path(path).read_text("utf-8-sig").splitlines()
    assert lines == ["unit,points", "'=1+1,-1", "'+A,2", "ok,3"]
