"""Hostile and broken exports: one clear line, exit status 1, no output, no hang.

Exports come from many hands, so the reader treats them as untrusted. Each
test builds a round folder in tmp_path with one hostile or broken file beside
a good one, runs the real command line (``python -m mus_analysis report``)
and checks the exit status, the one-line error (the file, the problem, the
fix), the time taken, and that nothing was written but what a failed run
leaves: ``<round>/<round>.failed.ipynb``, ``<round>/build-failed.json`` and
the output folder's lock file. The zip bombs are small on disk and are never
unpacked: the reader refuses them from the archive's directory.

The last part checks the guards one by one through the reader, which is
quicker: the forms of sheet XML a workbook can take, and the limits.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from mus_analysis import RoundError, load_instrument, read_round
from mus_analysis.guard import MAX_CELLS, MAX_COLUMNS, _SheetSpan
from mus_analysis.settings import column_letter

INS = load_instrument()
ITEMS = {role: INS.role_items(role)["item"].tolist() for role in ("leader", "employee")}
TEXT = INS.item_text("da")
LABELS = ["Aldrig", "Sjældent", "Af og til", "Oftest", "Altid"]
ROUND = "runde-2026"
SECONDS = 30  # generous for a shared machine; a run takes a few seconds
MB = 1_000_000


# ------------------------------------------------------------------ files


def csv_bytes(rows: list[list], *, sep: str = ";", encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def statement_rows(role: str, count: int, *, texts: bool = True) -> list[list]:
    """A header of statements (their Danish text, or item ids) and ``count`` answer rows."""
    header = [TEXT[i] for i in ITEMS[role]] if texts else list(ITEMS[role])
    rng = random.Random(count)
    return [header, *([LABELS[rng.randrange(5)] for _ in header] for _ in range(count))]


def workbook(path: Path, cells: dict[str, object]) -> Path:
    book = Workbook()
    for ref, value in cells.items():
        book.active[ref] = value
    book.save(path)
    return path


def leader_workbook(path: Path, count: int = 3) -> Path:
    book = Workbook()
    for row in statement_rows("leader", count, texts=False):
        book.active.append(row)
    book.save(path)
    return path


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Svar" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
    '"worksheets/sheet1.xml"/></Relationships>')
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_xml(rows: list[list[str]], *, prefix: str = "", refs: bool = True) -> str:
    """A worksheet's XML, its cells with references (r="B2") or without, in a
    prefixed namespace (<x:c>) or the default one."""
    p = f"{prefix}:" if prefix else ""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<{p}c{_ref(column_letter(c), r, refs)} t="inlineStr">'
            f"<{p}is><{p}t>{value}</{p}t></{p}is></{p}c>" for c, value in enumerate(row))
        body.append(f"<{p}row{_ref('', r, refs)}>{cells}</{p}row>")
    ns = f"xmlns:{prefix}" if prefix else "xmlns"
    return (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns}="{_MAIN}">'
            f"<{p}sheetData>{''.join(body)}</{p}sheetData></{p}worksheet>")


def _ref(letters: str, row: int, refs: bool) -> str:
    return f' r="{letters}{row}"' if refs else ""


def xlsx_of(path: Path, sheet: str | bytes | None = None, *, writer=None) -> Path:
    """A workbook written part by part; ``writer`` writes the sheet part itself."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        if writer is not None:
            with archive.open("xl/worksheets/sheet1.xml", "w") as part:
                writer(part)
        else:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def zip_bomb(path: Path, megabytes: int = 100) -> Path:
    """A workbook whose sheet is 100 MB of zeros: about 100 KB on disk."""
    def zeros(part):
        block = b"\0" * MB
        for _ in range(megabytes):
            part.write(block)
    return xlsx_of(path, writer=zeros)


def declare_size(path: Path, part: str, size: int) -> Path:
    """Make the archive's headers say ``part`` unpacks to ``size`` bytes."""
    raw = bytearray(path.read_bytes())
    # (signature, offset of the unpacked size, of the name's length, of the name)
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                                   (b"PK\x01\x02", 24, 28, 46)):
        at = raw.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", raw, at + length_at)
            if raw[at + name_at:at + name_at + length] == part.encode():
                struct.pack_into("<I", raw, at + size_at, size)
            at = raw.find(signature, at + 4)
    path.write_bytes(bytes(raw))
    return path


def compound_file(stream_names: list[str]) -> bytes:
    """The start of an OLE2 compound file, as old .xls files and password-protected
    workbooks are: its signature and a directory naming its streams."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b""
    for name in ["Root Entry", *stream_names]:
        encoded = name.encode("utf-16-le") + b"\0\0"
        entries += encoded.ljust(64, b"\0") + struct.pack("<H", len(encoded)) + bytes(62)
    return header + entries.ljust(512 * 4, b"\0")


def encrypted_workbook() -> bytes:
    return compound_file(["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])


def old_excel_workbook() -> bytes:
    return compound_file(["Workbook", "\x05SummaryInformation"])


# ------------------------------------------------------------------ running


def good_round(tmp_path: Path) -> Path:
    """A round folder with a good employee export; each test adds the bad file."""
    folder = tmp_path / "raw" / ROUND
    folder.mkdir(parents=True)
    (folder / "Medarbejdere.csv").write_bytes(csv_bytes(statement_rows("employee", 6)))
    return folder


def report(folder: Path, tmp_path: Path, **env) -> tuple[subprocess.CompletedProcess, float]:
    out = tmp_path / "out"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "mus_analysis", "report", str(folder), "--out", str(out),
         "--processed", str(out / "processed")],
        capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    return result, time.monotonic() - started


def assert_refused(folder: Path, tmp_path: Path, *patterns: str, **env) -> str:
    """Run the report and check: status 1, one error line matching every pattern
    and giving a fix, quick, and nothing written but a failed run's record."""
    result, seconds = report(folder, tmp_path, **env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    line = errors[0]
    assert line.startswith(f"error: {ROUND}: ")
    assert " Fix: " in line
    for pattern in patterns:
        assert re.search(pattern, line), f"{pattern!r} not in {line!r}"
    assert seconds < SECONDS, f"took {seconds:.1f} s"
    out = tmp_path / "out"
    allowed = {".mus-analysis.lock", ROUND, f"{ROUND}/{ROUND}.failed.ipynb",
               f"{ROUND}/build-failed.json"}
    written = {p.relative_to(out).as_posix() for p in out.rglob("*")}
    assert written <= allowed, f"written: {sorted(written - allowed)}"
    assert not (folder.parent.parent / "processed").exists()
    assert not (folder.parent / "processed").exists()
    return line


# ---------------------------------------------------- a file is not what its name says


def test_csv_file_named_xlsx(tmp_path):
    folder = good_round(tmp_path)
    (folder / "Ledere.xlsx").write_bytes(csv_bytes(statement_rows("leader", 3)))
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: is a text \(CSV\) file with an Excel "
                                     r"name\. Fix: rename it to Ledere\.csv\.")


def test_workbook_named_csv(tmp_path):
    folder = good_round(tmp_path)
    leader_workbook(folder / "Ledere.csv")
    assert_refused(folder, tmp_path, r"Ledere\.csv: is a zip or Excel file with a text file's "
                                     r"name\. Fix: rename it to \.xlsx")


@pytest.mark.parametrize("name, content, problem", [
    ("Ledere.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", r"is a PDF document, not a text"),
    ("Ledere.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(200), r"is an image \(PNG\), not an Excel"),
    ("Ledere.xlsx", b"<!DOCTYPE html><html><body>Log ind</body></html>",
     r"is a web page \(HTML\) or XML file with an Excel name"),
    ("Ledere.xlsx", random.Random(5).randbytes(4096),
     r"cannot be read as an Excel workbook \(it is not a zip archive"),
    ("Ledere.csv", b"\xef\xbb\xbf<!DOCTYPE html>\n<html><body>Log ind</body></html>",
     r"is a web page \(HTML\) or XML file, not a CSV export"),
], ids=["pdf-named-csv", "png-named-xlsx", "html-named-xlsx", "random-bytes-named-xlsx",
        "html-named-csv"])
def test_file_of_another_kind(tmp_path, name, content, problem):
    folder = good_round(tmp_path)
    (folder / name).write_bytes(content)
    assert_refused(folder, tmp_path, re.escape(name) + ": " + problem)


def test_text_file_that_is_binary(tmp_path):
    folder = good_round(tmp_path)
    noise = random.Random(7).randbytes(8192).replace(b"\0", b"").replace(b"PK", b"pk")
    (folder / "Ledere.csv").write_bytes(b"L01;L02\r\n" + noise)
    assert_refused(folder, tmp_path, r"Ledere\.csv: is not text: it holds control characters "
                                     r".* Fix: export the answers again")


# ---------------------------------------------------- broken and protected workbooks


def test_truncated_workbook(tmp_path):
    folder = good_round(tmp_path)
    path = leader_workbook(folder / "Ledere.xlsx", count=40)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: cannot be read as an Excel workbook \(it "
                                     r"is cut short: the end of the file is missing.*\)\. Fix: "
                                     r"check that the file is a complete \.xlsx export")


def test_password_protected_workbook(tmp_path):
    folder = good_round(tmp_path)
    (folder / "Ledere.xlsx").write_bytes(encrypted_workbook())
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: is password protected \(an encrypted "
                                     r"workbook\).* Fix: open it in Excel, remove the password")


def test_old_excel_workbook_named_xlsx(tmp_path):
    folder = good_round(tmp_path)
    (folder / "Ledere.xlsx").write_bytes(old_excel_workbook())
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: is an Excel 97-2003 workbook \(\.xls\) "
                                     r"with an \.xlsx name\. Fix: .*save it as .*\(\.xlsx\)")


def test_damaged_part_of_a_workbook(tmp_path):
    """A part whose header says it is smaller than it is: its checksum fails."""
    folder = good_round(tmp_path)
    path = xlsx_of(folder / "Ledere.xlsx", sheet_xml(statement_rows("leader", 200)))
    declare_size(path, "xl/worksheets/sheet1.xml", 100)
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: cannot be read as an Excel workbook \(its "
                                     r"zip archive is damaged")


# ---------------------------------------------------- zip bombs and far-reaching sheets


def test_zip_bomb_posing_as_xlsx(tmp_path):
    folder = good_round(tmp_path)
    path = zip_bomb(folder / "Ledere.xlsx")
    assert path.stat().st_size < 1 * MB
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: is a zip bomb: its part "
                                     r"'xl/worksheets/sheet1\.xml' would unpack to 100 MB from "
                                     r"0\.1 MB .* Fix: do not open it")


def test_workbook_declaring_a_huge_unpacked_size(tmp_path):
    folder = good_round(tmp_path)
    path = xlsx_of(folder / "Ledere.xlsx", sheet_xml(statement_rows("leader", 3)))
    declare_size(path, "xl/worksheets/sheet1.xml", 4_000_000_000)
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: would unpack to 4,000 MB, more than 10 "
                                     r"times the limit of 200 MB .*zip bomb")


def test_sheet_with_one_far_cell(tmp_path):
    """Two cells, A1 and XFD1048576: a parser would fill 17 billion cells between them."""
    folder = good_round(tmp_path)
    workbook(folder / "Ledere.xlsx", {"A1": "L01", "XFD1048576": "x"})
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: has a sheet whose cells reach over 16,384 "
                                     r"columns; the kit reads at most 2,000")


def test_sheet_with_too_many_cells(tmp_path):
    folder = good_round(tmp_path)
    workbook(folder / "Ledere.xlsx", {"A1": "L01", "ZZ100000": "x"})
    assert_refused(folder, tmp_path, r"Ledere\.xlsx: has a sheet whose cells reach over 100,000 "
                                     r"rows of 702 columns \(70,200,000 cells\)")


# ---------------------------------------------------- sizes


def test_file_larger_than_the_limit(tmp_path):
    folder = good_round(tmp_path)
    (folder / "Ledere.csv").write_bytes(csv_bytes(statement_rows("leader", 15000)))
    assert (folder / "Ledere.csv").stat().st_size > 2 * MB
    assert_refused(folder, tmp_path, r"Ledere\.csv: is \d\.\d MB, more than the limit of 1\.0 "
                                     r"MB for one export file.* Fix: .*MUS_ANALYSIS_MAX_FILE_MB",
                   MUS_ANALYSIS_MAX_FILE_MB="1")


def test_round_larger_than_the_limit(tmp_path):
    folder = good_round(tmp_path)
    for n in (1, 2, 3):
        (folder / f"Ledere-{n}.csv").write_bytes(csv_bytes(statement_rows("leader", 1000 + n)))
    line = assert_refused(folder, tmp_path, rf"{ROUND}: its exports add up to 0\.\d MB, more "
                                            r"than the limit of 0\.2 MB for one round\..* Fix: "
                                            r".*MUS_ANALYSIS_MAX_ROUND_MB",
                          MUS_ANALYSIS_MAX_ROUND_MB="0.2")
    assert line.startswith(f"error: {ROUND}: its exports")  # the round named once


def test_limit_that_is_not_a_number(tmp_path):
    folder = good_round(tmp_path)
    assert_refused(folder, tmp_path, r"MUS_ANALYSIS_MAX_FILE_MB: the environment variable is "
                                     r"'lots', which is not a positive number of megabytes",
                   MUS_ANALYSIS_MAX_FILE_MB="lots")


# ---------------------------------------------------- shapes


def test_header_row_only(tmp_path):
    folder = tmp_path / "raw" / ROUND
    folder.mkdir(parents=True)
    (folder / "Ledere.csv").write_bytes(csv_bytes(statement_rows("leader", 0)))
    (folder / "Medarbejdere.csv").write_bytes(csv_bytes(statement_rows("employee", 0)))
    assert_refused(folder, tmp_path, rf"{ROUND}: no row of its exports answers a statement "
                                     r"\(0 rows received\)\. Fix: check that the exports hold")


def test_ten_thousand_columns(tmp_path):
    folder = good_round(tmp_path)
    rows = statement_rows("leader", 3, texts=False)
    rows = [row + [f"x{n}" if r == 0 else "" for n in range(9980)] for r, row in enumerate(rows)]
    (folder / "Ledere.csv").write_bytes(csv_bytes(rows))
    assert_refused(folder, tmp_path, r"Ledere\.csv: has 10,000 columns; the kit reads at most "
                                     r"2,000 .* Fix: export only the MUS test's questions")


# ---------------------------------------------------- encodings and bytes


def test_mixed_encodings_in_one_file(tmp_path):
    """UTF-8 with a row pasted in from a Windows-1252 file."""
    folder = good_round(tmp_path)
    rows = statement_rows("leader", 4)
    rows[3] = ["Sjældent"] * 20
    raw = b"".join(csv_bytes([row], encoding="cp1252" if n == 3 else "utf-8")
                   for n, row in enumerate(rows))
    (folder / "Ledere.csv").write_bytes(raw)
    assert_refused(folder, tmp_path, r"Ledere\.csv: line 4 is not UTF-8 \(byte 0xe6\), but "
                                     r"other lines are: the file mixes encodings.* Fix: save it "
                                     r"again as 'CSV UTF-8'")


def test_headers_encoded_twice(tmp_path):
    folder = good_round(tmp_path)
    text = csv_bytes(statement_rows("leader", 3), encoding="utf-8").decode("utf-8")
    (folder / "Ledere.csv").write_bytes(text.encode("utf-8").decode("cp1252").encode("utf-8"))
    assert_refused(folder, tmp_path, r"Ledere\.csv: its header '.*' looks encoded twice: 'Ã.' "
                                     r"stands where a letter such as æ, ø or å was meant")


def test_nul_byte(tmp_path):
    folder = good_round(tmp_path)
    raw = csv_bytes(statement_rows("leader", 4, texts=False), encoding="utf-8")
    lines = raw.split(b"\r\n")
    lines[2] = lines[2][:5] + b"\0" + lines[2][5:]
    (folder / "Ledere.csv").write_bytes(b"\r\n".join(lines))
    assert_refused(folder, tmp_path, r"Ledere\.csv: contains NUL bytes \(the first on line 3\), "
                                     r"so it is not a text CSV file\. Fix: export")


# ---------------------------------------------------- links and copies


def test_link_to_a_file_outside_the_round(tmp_path):
    folder = good_round(tmp_path)
    outside = tmp_path / "elsewhere" / "Ledere.csv"
    outside.parent.mkdir()
    outside.write_bytes(csv_bytes(statement_rows("leader", 3)))
    (folder / "Ledere.csv").symlink_to(outside)
    assert_refused(folder, tmp_path, r"Ledere\.csv: is a link to a file outside the round "
                                     r"folder.* Fix: copy the file into the round folder")


def test_link_to_a_folder_outside_the_round(tmp_path):
    folder = good_round(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "Ledere.csv").write_bytes(csv_bytes(statement_rows("leader", 3)))
    (folder / "eksport").symlink_to(outside, target_is_directory=True)
    assert_refused(folder, tmp_path, r"eksport: is a link to a folder outside the round "
                                     r"folder.* Fix: copy the folder into the round folder")


def test_the_same_export_downloaded_twice(tmp_path):
    folder = good_round(tmp_path)
    raw = csv_bytes(statement_rows("leader", 5))
    (folder / "Ledere.csv").write_bytes(raw)
    (folder / "Ledere (1).csv").write_bytes(raw)
    assert_refused(folder, tmp_path, r"Ledere \(1\)\.csv: has the same content as Ledere\.csv: "
                                     r"the same export twice.* Fix: remove one of the two files")


# ---------------------------------------------------- the guards, through the reader


def reader_round(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / ROUND
    folder.mkdir()
    (folder / "Medarbejdere.csv").write_bytes(csv_bytes(statement_rows("employee", 2)))
    (folder / name).write_bytes(content)
    return folder


@pytest.mark.parametrize("prefix, refs", [("", True), ("", False), ("x", True), ("x", False)],
                         ids=["references", "no-references", "prefixed", "prefixed-no-refs"])
def test_every_form_of_sheet_xml_is_read(tmp_path, prefix, refs):
    folder = tmp_path / ROUND
    folder.mkdir()
    rows = statement_rows("leader", 3, texts=False)
    xlsx_of(folder / "Ledere.xlsx", sheet_xml(rows, prefix=prefix, refs=refs))
    data = read_round(folder)
    assert len(data.respondents) == 3


@pytest.mark.parametrize("prefix, refs", [("", False), ("x", True), ("x", False)],
                         ids=["no-references", "prefixed", "prefixed-no-refs"])
def test_every_form_of_sheet_xml_is_measured(tmp_path, prefix, refs):
    folder = tmp_path / ROUND
    folder.mkdir()
    rows = [["L01", *(["x"] * (MAX_COLUMNS + 10))]]
    xlsx_of(folder / "Ledere.xlsx", sheet_xml(rows, prefix=prefix, refs=refs))
    with pytest.raises(RoundError, match=r"Ledere\.xlsx: has a sheet whose cells reach over "
                                         r"2,011 columns"):
        read_round(folder)


def test_sheet_span_across_pieces():
    """Rows and cells without references count, however the XML is cut in pieces."""
    xml = sheet_xml([["a"] * 5] * 3 + [["b"] * 40], refs=False).encode()
    for size in (len(xml), 97, 7, 1):
        span = _SheetSpan()
        for start in range(0, len(xml), size):
            span.feed(xml[start:start + size])
        assert span.size == (4, 40)


def test_sheet_span_of_referenced_cells():
    span = _SheetSpan()
    span.feed(sheet_xml([["a", "b", "c"]] * 7).encode())
    rows, columns = span.size
    assert columns == 3 and 7 <= rows <= 9 and rows * columns <= MAX_CELLS
    span.feed(b'<row r="8"><c r="AB12345" t="n"><v>1</v></c></row>')
    assert span.size == (12345, 28)


def test_a_large_real_workbook_passes(tmp_path):
    folder = tmp_path / ROUND
    folder.mkdir()
    leader_workbook(folder / "Ledere.xlsx", count=2000)
    assert len(read_round(folder).respondents) == 2000


def test_a_link_inside_the_round_is_read(tmp_path):
    folder = tmp_path / ROUND
    (folder / "eksport").mkdir(parents=True)
    (folder / "eksport" / "Ledere.csv").write_bytes(csv_bytes(statement_rows("leader", 2)))
    (folder / "Ledere.csv").symlink_to(folder / "eksport" / "Ledere.csv")
    with pytest.raises(RoundError, match=r"^eksport/Ledere\.csv: has the same content as "
                                         r"Ledere\.csv"):
        read_round(folder)
    (folder / "Ledere.csv").unlink()
    (folder / "alias").symlink_to(folder / "eksport", target_is_directory=True)
    assert len(read_round(folder).respondents) == 2


def test_link_loop(tmp_path):
    folder = reader_round(tmp_path, "Ledere.csv", csv_bytes(statement_rows("leader", 2)))
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    with pytest.raises(RoundError, match=r"loop\.csv: is a link that cannot be followed"):
        read_round(folder)


def test_a_pipe_in_the_round_is_not_opened(tmp_path):
    folder = reader_round(tmp_path, "Ledere.csv", csv_bytes(statement_rows("leader", 2)))
    os.mkfifo(folder / "svar.csv")
    assert len(read_round(folder).respondents) == 4


def test_round_toml_far_too_large(tmp_path):
    folder = reader_round(tmp_path, "Ledere.csv", csv_bytes(statement_rows("leader", 2)))
    (folder / "round.toml").write_bytes(b"# " + b"x" * 2 * MB + b"\n")
    with pytest.raises(RoundError, match=r"round\.toml: is 2\.0 MB, far more than a round's "
                                         r"settings take"):
        read_round(folder)


def test_round_toml_linked_from_outside(tmp_path):
    folder = reader_round(tmp_path, "Ledere.csv", csv_bytes(statement_rows("leader", 2)))
    (tmp_path / "other.toml").write_text('lang = "en"\n', encoding="utf-8")
    (folder / "round.toml").symlink_to(tmp_path / "other.toml")
    with pytest.raises(RoundError, match=r"round\.toml: is a link to a file outside"):
        read_round(folder)


def test_file_limit_is_checked_before_reading(tmp_path, monkeypatch):
    """A 5 GB file that takes no room on disk: refused from its size alone."""
    folder = reader_round(tmp_path, "Ledere.csv", b"")
    with open(folder / "Ledere.csv", "r+b") as handle:
        handle.truncate(5_000 * MB)
    started = time.monotonic()
    with pytest.raises(RoundError, match=rf"{ROUND}: its exports add up to 5,000 MB, more than "
                                         r"the limit of 500 MB for one round"):
        read_round(folder)
    monkeypatch.setenv("MUS_ANALYSIS_MAX_ROUND_MB", "100000")
    with pytest.raises(RoundError, match=r"Ledere\.csv: is 5,000 MB, more than the limit of "
                                         r"200 MB for one export file"):
        read_round(folder)
    assert time.monotonic() - started < 5
