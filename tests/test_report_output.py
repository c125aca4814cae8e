"""The report folder as its readers get it: the HTML page, tables.xlsx, figures/.

The example round is built once in Danish and once in English; the tests
read the files back with the standard library and openpyxl and hold them
against summary.json, and the two languages against each other.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

import mus_analysis as ma
from mus_analysis import load_instrument, plot, text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "raw" / "example-2025"
INS = load_instrument()
FIGURES = ["bands", "pairs", "spread-employee", "spread-leader"]
UNITS = ["Borgerservice", "HR og Løn", "IT-drift", "Jura", "Kommunikation", "Økonomi"]
NBSP = "\u00a0"


class Page(HTMLParser):
    """What a reader of an HTML page meets: tags, text, images, links, ids."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, str, str]] = []     # (tag, id, class) in order
        self.texts: list[str] = []                      # text nodes and alt texts, in order
        self.images: list[dict] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.headings: dict[str, str] = {}
        self._skip = 0
        self._heading: tuple[str, list[str]] | None = None
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs.get("id", ""), attrs.get("class", "")))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag in ("style", "script"):
            self._skip += 1
        if tag == "img":
            self.images.append(attrs)
            self.texts.append(attrs.get("alt", ""))
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag in ("h1", "h2", "h3") and "id" in attrs:
            self._heading = (attrs["id"], [])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        if tag in ("h1", "h2", "h3") and self._heading:
            self.headings[self._heading[0]] = "".join(self._heading[1]).strip()
            self._heading = None

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data)
            if self._heading:
                self._heading[1].append(data)

    @property
    def text(self) -> str:
        return " ".join(self.texts)



def band_runs(figures: dict) -> dict:
    """The band counts as shown: single bands, and the runs merged for anonymity."""
    single = {band: count for band, count in figures["bands"].items() if count is not None}
    runs = {**single, **figures.get("band_runs", {})}
    order = [int(band.split("-")[0]) for band in runs]
    return dict(sorted(runs.items(), key=lambda item: order[list(runs).index(item[0])]))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example round's report folder in each language, with its summary."""
    tmp = tmp_path_factory.mktemp("reports")
    folders = {}
    for lang in ("da", "en"):
        page = ma.build_report(EXAMPLE, tmp / lang, lang=lang, processed_dir=tmp / "processed")
        folders[lang] = page.parent
    return folders


def summary_of(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text("utf-8"))


def page_of(folder: Path) -> Page:
    return Page((folder / f"{folder.name}.html").read_text("utf-8"))


def sheets_of(folder: Path) -> dict[str, list[tuple]]:
    workbook = load_workbook(folder / "tables.xlsx")
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook}


def records(rows: list[tuple]) -> list[dict]:
    header, *body = rows
    return [dict(zip(header, row)) for row in body]


# The page ------------------------------------------------------------------------


def test_report_folder_holds_page_tables_and_figures(built):
    folder = built["da"]
    names = {p.name for p in folder.iterdir()}
    assert {"example-2025.html", "summary.json", "tables.xlsx", "figures"} <= names
    assert sorted(p.name for p in (folder / "figures").iterdir()) == sorted(
        f"{name}.{ext}" for name in FIGURES for ext in ("png", "svg"))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_page_is_self_contained_and_small(built, lang):
    path = built[lang] / "example-2025.html"
    source = path.read_text("utf-8")
    assert path.stat().st_size < 2_000_000
    page = Page(source)
    assert len(page.images) == 4
    assert all(img["src"].startswith("data:image/svg+xml;base64,") for img in page.images)
    assert not re.search(r"<(script|link|iframe|object|embed)\b", source)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", source)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", source)


def test_page_shows_no_code_and_no_stray_output(built):
    source = (built["da"] / "example-2025.html").read_text("utf-8")
    assert "<pre" not in source                                  # no printed values
    assert "import mus_analysis" not in source and "PosixPath" not in source
    assert "No description has been provided" not in source


def test_summary_comes_first_with_the_headline_figures(built):
    summary = summary_of(built["da"])
    page = page_of(built["da"])
    headings = list(page.headings)
    assert headings[:2] == ["top", "summary"]
    assert headings.index("contents") < headings.index("about") < headings.index("bands")

    text_before_contents = page.text[:page.text.index("Indhold")]
    assert "285 besvarelser indgår i analysen: 35 fra ledere og 250 fra medarbejdere" in (
        text_before_contents)
    bands = INS.bands.set_index("band")["da"]
    for role in ("leader", "employee"):
        band = summary["headlines"]["top_band"][role]
        count = band_runs(summary["roles"][role])[band]
        counted = sum(band_runs(summary["roles"][role]).values())
        assert f"{count} af {counted}, {round(100 * count / counted)}{NBSP}%" in (
            text_before_contents)
        if band in bands.index:
            assert bands[band] in text_before_contents
        else:                                   # a run of bands merged for anonymity
            assert re.search(rf"sammenlagte pointgrupper\s+{band}", text_before_contents)
    topics = INS.pairs.set_index("pair")["da"]
    for gap in summary["headlines"]["largest_gaps"]:
        assert topics[gap["pair"]] in text_before_contents
    texts = INS.item_text("da")
    for entries in summary["headlines"]["weakest_items"].values():
        assert len(entries) == 3
        for entry in entries:
            assert texts[entry["item"]] in text_before_contents


@pytest.mark.parametrize("lang", ["da", "en"])
def test_contents_links_lead_to_the_headings(built, lang):
    page = page_of(built[lang])
    assert {"about", "quality", "bands", "spread", "spread-leader", "spread-employee",
            "pairs", "sections"} <= set(page.links)
    assert all(link in page.ids for link in page.links)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_image_has_an_alt_text_that_describes_it(built, lang):
    page = page_of(built[lang])
    summary = summary_of(built[lang])
    bands_alt, leader_alt, employee_alt, pairs_alt = (img["alt"] for img in page.images)
    leader_bands = band_runs(summary["roles"]["leader"])
    listed = ", ".join(f"{band}: {leader_bands[band]}" for band in reversed(leader_bands))
    assert listed in bands_alt
    assert INS.scale.set_index("points").at[5, lang] in leader_alt
    assert str(len(INS.role_items("employee"))) in employee_alt
    first = summary["headlines"]["largest_gaps"][0]
    assert INS.pairs.set_index("pair").at[first["pair"], lang] in pairs_alt
    assert text.number(first["leader_mean"], lang, 2) in pairs_alt


# tables.xlsx -----------------------------------------------------------------------


def test_tables_xlsx_numbers_are_those_of_summary_json(built):
    summary = summary_of(built["en"])
    sheets = sheets_of(built["en"])
    assert list(sheets) == ["Largest gaps", "Weakest statements", "Responses", "Bands",
                            "Spread, leaders", "Spread, employees", "Leaders and employees",
                            "Sections", "Units, leaders", "Units, employees"]

    responses = {row["Role"]: row for row in records(sheets["Responses"])}
    bands = records(sheets["Bands"])
    for role, name in (("leader", "Leaders"), ("employee", "Employees")):
        figures = summary["roles"][role]
        assert responses[name]["Responses"] == figures["respondents"]
        assert responses[name]["Scored"] == figures["scored"]
        assert responses[name]["Mean score"] == figures["mean_score"]
        assert {row["Band"]: row["Number"] for row in bands
                if row["Role"] == name} == band_runs(figures)
        units = {row["Unit"]: row for row in records(sheets[f"Units, {name.lower()}"])}
        for group in summary["units"][role]:
            row = units[group["unit"] or f"Other units ({', '.join(group['units'])})"]
            assert row["Mean score"] == group["mean_score"]
            runs = band_runs(group)
            assert {band: row[band] for band in runs} == runs

    topics = INS.pairs.set_index("pair")["en"]
    expected = [{"Topic": topics[g["pair"]], "Leaders": g["leader_mean"],
                 "Employees": g["employee_mean"], "Difference": g["gap"]}
                for g in summary["headlines"]["largest_gaps"]]
    assert records(sheets["Largest gaps"]) == expected
    assert records(sheets["Leaders and employees"])[:3] == expected

    texts = INS.item_text("en")
    expected = [{"Role": name, "Statement": texts[e["item"]], "Mean (1-5)": e["mean"]}
                for role, name in (("leader", "Leaders"), ("employee", "Employees"))
                for e in summary["headlines"]["weakest_items"][role]]
    assert records(sheets["Weakest statements"]) == expected


def test_tables_xlsx_spread_sheets_count_every_answer(built):
    sheets = sheets_of(built["en"])
    analysis = ma.analyse_round(EXAMPLE)
    answers = analysis.data.answers
    # The answers the spread counts: a role's few incomplete answer sets are left out.
    counted = analysis.respondents.loc[analysis.figures.bases["in_answers"], "respondent"]
    given = answers[answers["points"].notna() & answers["respondent"].isin(counted)]
    for role, sheet in (("leader", "Spread, leaders"), ("employee", "Spread, employees")):
        rows = records(sheets[sheet])
        assert [row["No."] for row in rows] == INS.role_items(role)["item"].tolist()
        for row in rows:
            points = given.loc[given["item"] == row["No."], "points"]
            counts = [row[label] for label in INS.scale["en"]]
            assert counts == [int((points == p).sum()) for p in INS.scale["points"]]
            assert row["Answers in total"] == len(points)
            assert row["Mean (1-5)"] == round(float(points.mean()), 2)


def test_tables_xlsx_is_readable_and_holds_no_formula(built):
    path = built["da"] / "tables.xlsx"
    workbook = load_workbook(path)
    sheet = workbook["Pointgrupper"]
    assert [c.value for c in sheet[1]] == ["Rolle", "Pointgruppe", "Betydning", "Antal"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert workbook["Afsnit"]["B2"].number_format == "0.00"
    assert workbook["Største forskelle"]["D2"].number_format.startswith("+0.00")
    for ws in workbook:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


# figures/ ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_figures_are_png_and_svg_with_the_alt_text(built, lang):
    folder = built[lang] / "figures"
    alts = [img["alt"] for img in page_of(built[lang]).images]
    for name, alt in zip(["bands", "spread-leader", "spread-employee", "pairs"], alts):
        png = (folder / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        width = int.from_bytes(png[16:20], "big")
        assert width >= 1600                                     # sharp on a slide
        svg = ElementTree.parse(folder / f"{name}.svg").getroot()
        assert svg.find("{http://www.w3.org/2000/svg}title").text == alt


@pytest.mark.parametrize("lang", ["da", "en"])
def test_slide_pngs_cut_no_label_off(built, lang):
    from PIL import Image

    for name in FIGURES:
        with Image.open(built[lang] / "figures" / f"{name}.png") as image:
            grey = image.convert("L")
            width, height = grey.size
            edges = [grey.crop(box) for box in ((0, 0, 2, height), (width - 2, 0, width, height),
                                                (0, 0, width, 2), (0, height - 2, width, height))]
            # Text touching an edge leaves ink there; a clean edge is white.
            assert all(edge.getextrema()[0] >= 250 for edge in edges), name


def test_a_rounds_own_questionnaire_labels_its_charts(tmp_path):
    folder = tmp_path / "egen-2024"
    shutil.copytree(ROOT / "data" / "raw" / "example-2024", folder)   # item ids as headers
    own = (ROOT / "mus_analysis" / "data" / "instrument.toml").read_text("utf-8")
    own = own.replace('da = "Forberedelse og gennemførelse af MUS"',
                      'da = "Vores $forberedelse$ af MUS"', 1)
    own = own.replace('da = "MUS gennemføres"', 'da = "Vi holder MUS $\\\\foo$ hvert år"', 1)
    (folder / "vores.toml").write_text(own, encoding="utf-8")
    (folder / "round.toml").write_text('instrument = "vores.toml"\n', encoding="utf-8")
    page = ma.build_report(folder, tmp_path / "reports", processed_dir=tmp_path / "processed")
    svg = (page.parent / "figures" / "spread-leader.svg").read_text("utf-8")
    # The round's own words, as plain text: a $ starts no mathematics.
    assert "Vi holder MUS $\\foo$ hvert år" in svg and "Vores $forberedelse$ af MUS" in svg
    assert "MUS gennemføres" not in svg


@pytest.mark.parametrize("lang", ["da", "en"])
def test_page_shows_the_same_drawing_as_the_slide_svg(built, lang):
    images = page_of(built[lang]).images
    for name, img in zip(["bands", "spread-leader", "spread-employee", "pairs"], images):
        embedded = base64.b64decode(img["src"].split(",", 1)[1]).decode("utf-8")
        assert embedded == (built[lang] / "figures" / f"{name}.svg").read_text("utf-8")


def svg_words(folder: Path) -> str:
    return " ".join("".join(node.itertext()) for name in FIGURES
                    for node in ElementTree.parse(folder / "figures" / f"{name}.svg").iter(
                        "{http://www.w3.org/2000/svg}text"))


def test_chart_words_are_in_the_report_language(built):
    danish, english = svg_words(built["da"]), svg_words(built["en"])
    for label_da, label_en in zip(INS.scale["da"], INS.scale["en"]):
        assert label_da in danish and label_en in english
    assert "Ledere" in danish and "Leaders" in english
    assert "Andel af svarene" in danish and "Share of answers" in english


# Danish and English -----------------------------------------------------------------


def _tokens(source: str) -> set[str]:
    source = re.sub(r"\{[^}]*\}", " ", source)                  # format fields
    return set(re.findall(r"[^\W\d_]+", source.casefold()))


def _vocabulary(lang: str) -> set[str]:
    """Every word the kit can put in a report in ``lang``."""
    strings = [*text.words(lang).values(), *plot._WORDS[lang].values()]
    for table in (INS.items, INS.scale, INS.bands, INS.sections, INS.pairs, INS.roles):
        strings += table[lang].astype(str).tolist()
    strings += INS.roles[f"{lang}_singular"].tolist()
    return set().union(*map(_tokens, strings))


def _report_words(folder: Path) -> set[str]:
    """The words a reader meets in the page, its alt texts, charts and workbook."""
    parts = [page_of(folder).text, svg_words(folder)]
    for rows in sheets_of(folder).values():
        parts += [str(v) for row in rows for v in row if isinstance(v, str)]
    parts += list(sheets_of(folder))
    words = " ".join(parts).replace("mus-analysis", " ").replace(folder.name, " ")
    for unit in UNITS:                       # unit names are the data's, in its language
        words = words.replace(unit, " ")
    return _tokens(re.sub(r"\b[A-Z]\d+\b", " ", words))     # item ids: L01, E20


def test_every_word_is_in_the_report_language(built):
    danish, english = _vocabulary("da"), _vocabulary("en")
    only_danish, only_english = danish - english, english - danish
    assert {"aldrig", "ledere", "udsagn"} <= only_danish
    assert {"never", "leaders", "statement"} <= only_english
    assert _report_words(built["en"]) & only_danish == set()
    assert _report_words(built["da"]) & only_english == set()


def _numbers(page: Page, lang: str) -> list[str]:
    """The numbers of a page in reading order, written the English way."""
    thousands, decimal = (".", ",") if lang == "da" else (",", ".")
    found = []
    for chunk in page.texts:
        chunk = chunk.replace(ma.__version__, " ")
        for token in re.findall(r"\d[\d.,]*\d|\d", chunk):
            found.append(token.replace(thousands, "").replace(decimal, "."))
    return found


def _structure(page: Page) -> list[tuple[str, str, str]]:
    return [(tag, "" if "injected-parameters" in cls else id_, cls)
            for tag, id_, cls in page.tags]


def test_danish_and_english_reports_differ_only_in_language_and_number_format(built):
    da, en = page_of(built["da"]), page_of(built["en"])
    # The same elements, ids and classes, in order (papermill gives the cell it
    # injects with the parameters a new id on every run).
    assert _structure(da) == _structure(en)
    assert len(da.images) == len(en.images) == 4
    assert sum(t[0] in ("h1", "h2", "h3") for t in da.tags) >= 10
    assert sum(t[0] in ("td", "th") for t in da.tags) == sum(t[0] in ("td", "th")
                                                              for t in en.tags)
    assert da.links == en.links
    assert _numbers(da, "da") == _numbers(en, "en")
    assert len(_numbers(da, "da")) > 150

    da_sheets, en_sheets = sheets_of(built["da"]), sheets_of(built["en"])
    assert len(da_sheets) == len(en_sheets)
    for da_rows, en_rows in zip(da_sheets.values(), en_sheets.values()):
        assert len(da_rows) == len(en_rows)
        for da_row, en_row in zip(da_rows, en_rows):
            assert [v for v in da_row if not isinstance(v, str)] == [
                v for v in en_row if not isinstance(v, str)]


def test_numbers_are_written_the_way_of_each_language(built):
    da, en = page_of(built["da"]).text, page_of(built["en"]).text
    summary = summary_of(built["da"])
    gap = summary["headlines"]["largest_gaps"][0]
    assert f"{gap['leader_mean']:.2f}".replace(".", ",") in da
    assert f"{gap['leader_mean']:.2f}" in en
    mean = summary["roles"]["leader"]["mean_score"]
    assert f"{mean:.1f}".replace(".", ",") in da and f"{mean:.1f}" in en
    assert re.search(rf"\d{NBSP}%", da) and not re.search(r"\d%", da)
    assert re.search(r"\d%", en) and not re.search(rf"\d{NBSP}%", en)
