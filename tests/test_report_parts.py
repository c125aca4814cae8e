"""The parts a report is made of: its tables, exported files, contents and charts."""

from __future__ import annotations

import base64
import re
import zipfile
from xml.etree import ElementTree

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from mus_analysis import export, notebook, render  # noqa: E402
from mus_analysis.tables import SIGNED, TWO_DECIMALS, WHOLE, ReportTable  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def table(lang="da", **changes) -> ReportTable:
    frame = pd.DataFrame({"Emne": ["Tillid & <samarbejde>", "Ideer"],
                          "Antal": [1234, None], "Gennemsnit": [3.5, 2.25],
                          "Forskel": [0.58, -0.4]}, dtype=object)
    fields = {"key": "t", "sheet": "Ark", "frame": frame, "lang": lang,
              "formats": {"Antal": WHOLE, "Gennemsnit": TWO_DECIMALS, "Forskel": SIGNED}}
    return ReportTable(**{**fields, **changes})


# ReportTable ---------------------------------------------------------------------


def test_table_html_writes_numbers_the_danish_way():
    page = table().to_html()
    assert "<td>Tillid &amp; &lt;samarbejde&gt;</td>" in page
    assert '<td class="num">1.234</td>' in page
    assert '<td class="num">\u2013</td>' in page                 # not shown
    assert '<td class="num">3,50</td>' in page and '<td class="num">+0,58</td>' in page
    assert '<td class="num">\u22120,40</td>' in page
    assert '<th scope="col" class="num">Gennemsnit</th>' in page
    assert table()._repr_html_() == page


def test_table_html_writes_numbers_the_english_way():
    page = table("en").to_html()
    assert '<td class="num">1,234</td>' in page and '<td class="num">3.50</td>' in page


# tables.xlsx ---------------------------------------------------------------------


def test_workbook_keeps_numbers_as_numbers_with_their_format(tmp_path):
    path = export.write_workbook([table()], tmp_path / "t.xlsx")
    sheet = load_workbook(path)["Ark"]
    assert [c.value for c in sheet[1]] == ["Emne", "Antal", "Gennemsnit", "Forskel"]
    assert [c.value for c in sheet[2]] == ["Tillid & <samarbejde>", 1234, 3.5, 0.58]
    assert sheet["B3"].value is None                              # not shown: empty
    assert sheet["B2"].number_format == "0"
    assert sheet["C2"].number_format == "0.00"
    assert sheet["D3"].number_format == SIGNED


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x.example\",\"klik\")", "+1+1",
                                   "-2+3", "@SUM(A1:A2)", "\t=1", "=1+1"])
def test_workbook_never_stores_text_as_a_formula(tmp_path, value):
    frame = pd.DataFrame({"=Overskrift": [value]}, dtype=object)
    path = export.write_workbook([ReportTable("t", "=Ark", frame, "da")], tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml
    workbook = load_workbook(path)
    cell = workbook.worksheets[0]["A2"]
    assert cell.value == value and cell.data_type == "s" and cell.quotePrefix
    header = workbook.worksheets[0]["A1"]
    assert header.value == "=Overskrift" and header.data_type == "s"


def test_workbook_sheet_names_are_valid_and_unique(tmp_path):
    frame = pd.DataFrame({"a": ["x"]}, dtype=object)
    names = ["Spredning: ledere/medarbejdere [alle]?", "Ark", "ark", "x" * 40]
    tabs = [ReportTable("t", name, frame, "da") for name in names]
    sheets = load_workbook(export.write_workbook(tabs, tmp_path / "t.xlsx")).sheetnames
    assert sheets[0] == "Spredning ledere medarbejdere a"          # 31 characters
    assert sheets[1:3] == ["Ark", "ark (2)"]
    assert len(sheets[3]) == 31


def test_no_out_dir_writes_no_workbook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert export.write_tables([table()], "") is None
    assert list(tmp_path.iterdir()) == []
    assert export.write_tables([table()], tmp_path) == tmp_path / "tables.xlsx"


# Charts -----------------------------------------------------------------------------


def test_show_displays_the_chart_with_its_alt_text(monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    monkeypatch.chdir(tmp_path)
    fig, ax = plt.subplots()
    notebook.show(ax, alt="Søjlediagram over 3 søjler", name="bars", out_dir="")
    (image,) = shown
    data = image._repr_mimebundle_()
    tag = re.fullmatch(r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)" '
                       r'alt="([^"]*)">', data["text/html"])
    assert tag.group(2) == "Søjlediagram over 3 søjler"
    svg = base64.b64decode(tag.group(1)).decode("utf-8")
    assert svg == data["image/svg+xml"]
    assert ElementTree.fromstring(svg).find(
        "{http://www.w3.org/2000/svg}title").text == "Søjlediagram over 3 søjler"
    assert list(tmp_path.iterdir()) == []                      # out_dir "" writes nothing
    assert not plt.fignum_exists(fig.number)                   # closed


def test_show_saves_png_and_svg_into_the_report_folder(monkeypatch, tmp_path):
    monkeypatch.setattr("IPython.display.display", lambda obj: None)
    fig, ax = plt.subplots()
    ax.set_title("Spredning: Ledere")
    notebook.show(fig, alt="Et <diagram> & mere", name="spread-leader", out_dir=tmp_path)
    png = (tmp_path / "figures" / "spread-leader.png").read_bytes()
    svg = (tmp_path / "figures" / "spread-leader.svg").read_text("utf-8")
    assert png.startswith(b"\x89PNG")
    assert "<title>Et &lt;diagram&gt; &amp; mere</title>" in svg
    assert "Spredning: Ledere" in svg                          # text stays text
    assert not list((tmp_path / "figures").glob("*.partial"))


def test_saved_png_is_200_dpi_rgb_on_white(tmp_path):
    from PIL import Image

    fig, ax = plt.subplots(figsize=(4, 3))
    fig.patch.set_facecolor("none")                            # see-through background
    ax.set_facecolor("none")
    ax.barh([0], [1], color="black", alpha=0.5)                # half see-through
    ax.set_axis_off()
    export.save_figure(fig, tmp_path, "bar", alt="En søjle")
    with Image.open(tmp_path / "bar.png") as image:
        assert image.mode == "RGB" and image.size == (800, 600)
        assert image.info["Description"] == "En søjle"
        assert image.info["dpi"] == pytest.approx((200, 200), abs=0.05)
        assert image.getpixel((0, 0)) == (255, 255, 255)
        assert image.getpixel((400, 300)) == pytest.approx((128, 128, 128), abs=1)  # grey
    plt.close(fig)


def test_show_escapes_the_alt_text_in_the_page(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    fig, ax = plt.subplots()
    notebook.show(ax, alt='Enhed "<img src=x onerror=alert(1)>"')
    tag = shown[0]._repr_mimebundle_()["text/html"]
    assert 'alt="Enhed &quot;&lt;img src=x onerror=alert(1)&gt;&quot;"' in tag
    assert tag.count("<") == 1


# Contents ----------------------------------------------------------------------------


BODY = f"""<h1 id="top">Titel</h1>
<h2 id="summary">Kort fortalt</h2>
{render.CONTENTS_MARKER}
<h2 id="about">Om</h2>
<h2 id="spread">2. Spredning</h2>
<h3 id="spread-leader">Ledere &amp; chefer</h3>
<h3 id="spread-employee">Medarbejdere</h3>
<h2 id="Noter-%C3%A6">Noter<a class="anchor-link" href="#Noter-%C3%A6">&#182;</a></h2>
<h3>Uden id</h3>
"""


def test_contents_link_to_the_headings_after_the_mark():
    page = render.insert_contents(BODY, "da")
    nav = page[page.index("<nav"):page.index("</nav>")]
    assert '<h2 id="contents">Indhold</h2>' in nav
    assert 'href="#summary"' not in nav                          # above the contents
    assert ('<li><a href="#spread">2. Spredning</a><ul><li><a href="#spread-leader">'
            "Ledere &amp; chefer</a></li><li><a href=\"#spread-employee\">Medarbejdere"
            "</a></li></ul></li>") in nav
    assert '<a href="#Noter-%C3%A6">Noter</a>' in nav            # without its ¶ link
    assert "Uden id" not in nav
    assert render.CONTENTS_MARKER not in page


def test_contents_only_where_marked():
    body = BODY.replace(render.CONTENTS_MARKER, "")
    assert render.insert_contents(body, "en") == body
