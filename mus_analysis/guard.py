"""Checks that keep broken and hostile files from hanging the reader or filling memory.

Exports come from many hands, so the reader treats them as untrusted. Before
a file is parsed, this module checks what can be checked cheaply, so that a
file that would take the machine down gives a one-line error instead:

- its size, against a limit per file and per round (:func:`limits`);
- what it is by its first bytes, whatever its name says (:func:`kind_of`):
  a CSV file named ``.xlsx``, an old or password-protected workbook, a PDF;
- a workbook's zip archive before anything unpacks it (:func:`check_workbook`):
  a cut-off archive, parts that unpack to far more than they take (a zip
  bomb), parts whose size or checksum is wrong, and a sheet whose cells
  would span more rows and columns than any export has;
- a table's width and number of cells (:func:`check_table_size`);
- links in the round folder that point out of it (:func:`check_link`).

The limits are far above any real round: a MUS round is a few hundred to
some thousands of respondents, 20 statements each. Only the file size limits
can be changed, with the environment variables ``MUS_ANALYSIS_MAX_FILE_MB``
and ``MUS_ANALYSIS_MAX_ROUND_MB`` (megabytes of 1,000,000 bytes).
"""

from __future__ import annotations

import mmap
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from .errors import RoundError

FILE_ENV = "MUS_ANALYSIS_MAX_FILE_MB"
ROUND_ENV = "MUS_ANALYSIS_MAX_ROUND_MB"
DEFAULT_FILE_MB = 200
DEFAULT_ROUND_MB = 500
MB = 1_000_000
# Columns of one table: an export has 20 statements and some dozens of metadata.
MAX_COLUMNS = 2_000
# Cells (rows times columns) of one table: 10 times the largest round benchmarked.
MAX_CELLS = 10_000_000
# A workbook's parts together may unpack to this many times the file limit.
UNPACK_FACTOR = 10
# A part larger than UNPACK_CHECKED that unpacks to more than MAX_RATIO times
# its packed size is a zip bomb; real sheets pack 10 to 30 times.
MAX_RATIO = 100
UNPACK_CHECKED = 1 * MB
MAX_PARTS = 10_000
_CHUNK = 1 << 20
_MAX_TAG = 16 * MB

# What a file is, by its first bytes.
_SIGNATURES = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF8", "an image (GIF)"),
    (b"\x1f\x8b", "a compressed file (gzip)"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed file (7-Zip)"),
    (b"Rar!", "a compressed file (RAR)"),
    (b"{\\rtf", "a text document (RTF)"),
)
# Control characters that text files do not hold (tab, line breaks and the
# old end-of-file mark aside).
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 26))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Limits:
    """The largest export file and the largest round the reader takes, in bytes."""

    file_bytes: int
    round_bytes: int


def limits() -> Limits:
    """The size limits in force: the environment's, else the defaults.

    Raises
    ------
    RoundError
        When an environment variable is set to something that is not a
        positive number of megabytes.
    """
    return Limits(_megabytes(FILE_ENV, DEFAULT_FILE_MB), _megabytes(ROUND_ENV, DEFAULT_ROUND_MB))


def _megabytes(name: str, default: float) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return int(default * MB)
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise RoundError(name, f"the environment variable is {text!r}, which is not a "
                               "positive number of megabytes.",
                         f"set it to a number such as {default:g}, or unset it for the "
                         f"default ({default:g} MB).")
    return int(value * MB)


def show_mb(size: int) -> str:
    """A size in megabytes as messages give it: ``"3.2 MB"``, ``"250 MB"``."""
    value = size / MB
    return f"{value:,.1f} MB" if value < 10 else f"{value:,.0f} MB"


# ------------------------------------------------------------------ folders


def check_link(path: Path, round_dir: Path, name: str) -> None:
    """Refuse a link (to a file or a folder) that leads out of the round folder.

    A link inside the folder to another of its files is harmless: the file
    would be read twice, which the duplicate check catches.
    """
    if not path.is_symlink():
        return
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise RoundError(name, "is a link that cannot be followed (it leads back to itself).",
                         "remove the link.") from None
    if target == round_dir or round_dir in target.parents:
        return
    what = "folder" if target.is_dir() else "file"
    raise RoundError(name, f"is a link to a {what} outside the round folder; the kit "
                           "reads only what lies in the round folder.",
                     f"copy the {what} into the round folder instead of linking to it, "
                     "or remove the link.")


def check_file_size(size: int, name: str, limit: Limits) -> None:
    """Refuse a file larger than the per-file limit, before reading any of it."""
    if size > limit.file_bytes:
        raise RoundError(name, f"is {show_mb(size)}, more than the limit of "
                               f"{show_mb(limit.file_bytes)} for one export file; a MUS "
                               "round's export is far smaller.",
                         f"check that it is the answer export; if it is, raise the limit "
                         f"with the environment variable {FILE_ENV} (megabytes).")


def check_round_size(paths: list[Path], round_name: str, limit: Limits) -> None:
    """Refuse a round whose exports together exceed the per-round limit."""
    total = sum(path.stat().st_size for path in paths)
    if total > limit.round_bytes:
        raise RoundError(round_name, f"its exports add up to {show_mb(total)}, more than "
                                     f"the limit of {show_mb(limit.round_bytes)} for one "
                                     "round.",
                         "check that the folder holds only this round's exports; if it "
                         f"does, raise the limit with the environment variable {ROUND_ENV} "
                         "(megabytes).")


def read_bounded(path: Path, name: str, limit: Limits) -> bytes:
    """A file's bytes, refused unread when it is larger than the per-file limit."""
    try:
        with open(path, "rb") as handle:
            check_file_size(os.fstat(handle.fileno()).st_size, name, limit)
            raw = handle.read(limit.file_bytes + 1)
    except OSError as exc:
        raise RoundError(name, f"cannot be read ({exc.strerror}).", "check the file.") from None
    check_file_size(len(raw), name, limit)  # a file that grew while it was read
    return raw


# ------------------------------------------------------------------ kinds


def kind_of(head: bytes) -> str | None:
    """What a file is by its first bytes: ``"zip"``, ``"ole"``, a description
    such as ``"a PDF document"``, ``"html"``, ``"text"``, ``"binary"``, or
    None when it is empty."""
    if not head:
        return None
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(_UTF16_BOMS):
        return "text"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"\x00" in head or len(head.translate(None, _CONTROL)) < len(head) * 0.99:
        return "binary"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<table")):
        return "html"
    return "text"


def nul_line(raw: bytes) -> int | None:
    """The line number of the first NUL byte, or None when there is none."""
    at = raw.find(b"\x00")
    return None if at < 0 else raw.count(b"\n", 0, at) + 1


def looks_binary(raw: bytes) -> bool:
    """Whether the start of a text file holds control characters text does not."""
    head = raw[:65536]
    return len(head.translate(None, _CONTROL)) < len(head) * 0.99


def text_file_kind(raw: bytes, name: str) -> None:
    """Refuse a file with a text file's name that is something else by its bytes."""
    kind = kind_of(raw[:4096])
    if kind == "zip":
        raise RoundError(name, "is a zip or Excel file with a text file's name.",
                         "rename it to .xlsx if it is an Excel workbook.")
    if kind == "ole":
        raise RoundError(name, "is an Excel 97-2003 workbook (.xls) or a password-protected "
                               "workbook with a text file's name.",
                         "open it in Excel, remove any password and save it as .xlsx or as "
                         "CSV UTF-8.")
    if kind == "html":
        raise RoundError(name, "is a web page (HTML) or XML file, not a CSV export.",
                         "download the export file itself from the survey tool, as CSV or "
                         ".xlsx.")
    if kind not in (None, "text", "binary"):
        raise RoundError(name, f"is {kind}, not a text (CSV) file.",
                         "put the survey tool's answer export (CSV or .xlsx) in its place.")


# ------------------------------------------------------------------ workbooks


def check_workbook(path: Path, name: str, limit: Limits) -> None:
    """Check an Excel workbook's file before a parser unpacks it.

    Raises
    ------
    RoundError
        When the file is empty, is not a zip archive (a CSV file, an old or
        password-protected workbook, a web page...), is cut short or damaged,
        holds no workbook, would unpack to far more than the file limit or
        with a ratio only a zip bomb has, or has a sheet wider than
        :data:`MAX_COLUMNS` columns or larger than :data:`MAX_CELLS` cells.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            check_file_size(size, name, limit)
            head = handle.read(4096)
            kind = kind_of(head)
            if kind != "zip":
                _not_a_workbook(handle, name, kind)
            _check_archive(handle, size, name, limit)
    except OSError as exc:
        raise RoundError(name, f"cannot be read ({exc.strerror}).", "check the file.") from None


_EXCEL_FIX = "check that the file is a complete .xlsx export: download or copy it again."


def _unreadable(name: str, why: str, fix: str = _EXCEL_FIX) -> RoundError:
    return RoundError(name, f"cannot be read as an Excel workbook ({why}).", fix)


def _not_a_workbook(handle, name: str, kind: str | None) -> None:
    if kind is None:
        raise _unreadable(name, "the file is empty")
    if kind == "ole":
        if _mentions(handle, "EncryptedPackage") or _mentions(handle, "EncryptionInfo"):
            raise RoundError(name, "is password protected (an encrypted workbook), so it "
                                   "cannot be read.",
                             "open it in Excel, remove the password (File > Info > Protect "
                             "Workbook > Encrypt with Password, clear it) and save it again, "
                             "or export the answers again without a password.")
        raise RoundError(name, "is an Excel 97-2003 workbook (.xls) with an .xlsx name.",
                         "open it in Excel and save it as an Excel Workbook (.xlsx).")
    if kind == "text":
        raise RoundError(name, "is a text (CSV) file with an Excel name.",
                         f"rename it to {Path(name).stem}.csv.")
    if kind == "html":
        raise RoundError(name, "is a web page (HTML) or XML file with an Excel name, not a "
                               "workbook.",
                         "download the export again as .xlsx or CSV; a survey tool's "
                         "'Excel' download that is a web page can be opened in Excel and "
                         "saved as .xlsx.")
    if kind == "binary":
        raise _unreadable(name, "it is not a zip archive, as an .xlsx file is",
                          "check that the file is a complete .xlsx export, or export the "
                          "answers again.")
    raise RoundError(name, f"is {kind}, not an Excel workbook.",
                     "put the survey tool's answer export (.xlsx or CSV) in its place.")


def _mentions(handle, stream: str) -> bool:
    """Whether a compound (OLE2) file names a stream, as its directory does in UTF-16."""
    handle.seek(0)
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(stream.encode("utf-16-le")) >= 0


def _zip_end(handle, size: int) -> int | None:
    """Entries the archive's end record counts; None when there is no end record."""
    tail_size = min(size, 65536 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    return int.from_bytes(tail[at + 10:at + 12], "little")


def _check_archive(handle, size: int, name: str, limit: Limits) -> None:
    entries = _zip_end(handle, size)
    if entries is None:
        raise _unreadable(name, "it is cut short: the end of the file is missing, as after "
                                "an interrupted download or copy")
    # 0xFFFF: a ZIP64 archive, whose count is elsewhere (checked once it is read).
    if MAX_PARTS < entries < 0xFFFF:
        raise _unreadable(name, f"its archive holds {entries:,} parts, far more than a "
                                "workbook has", "export the answers again.")
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _unreadable(name, f"its zip archive is damaged: {exc}") from None
    with archive:
        parts = archive.infolist()
        _check_parts(parts, name, limit)
        try:
            for part in parts:
                _check_sheet(archive, part, name)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise _unreadable(name, f"its zip archive is damaged: {exc}") from None


def _check_parts(parts: list[zipfile.ZipInfo], name: str, limit: Limits) -> None:
    """The archive's directory, before anything is unpacked."""
    names = {part.filename.lower() for part in parts}
    if len(parts) > MAX_PARTS:
        raise _unreadable(name, f"its archive holds {len(parts):,} parts, far more than a "
                                "workbook has", "export the answers again.")
    if any(part.flag_bits & 0x1 for part in parts):
        raise RoundError(name, "is an encrypted zip archive, not a workbook that can be "
                               "read.", "export the answers again without a password.")
    if not any(n.endswith("workbook.xml") for n in names):
        other = ("a Word document" if "word/document.xml" in names else
                 "an OpenDocument file (.ods)" if "mimetype" in names else
                 "a zip archive")
        raise RoundError(name, f"is {other}, not an Excel workbook: it holds no workbook "
                               "part.",
                         "export the answers again as .xlsx or CSV; unpack a zip archive "
                         "of exports into the round folder.")
    unpacked = sum(part.file_size for part in parts)
    allowed = limit.file_bytes * UNPACK_FACTOR
    if unpacked > allowed:
        raise RoundError(name, f"would unpack to {show_mb(unpacked)}, more than "
                               f"{UNPACK_FACTOR} times the limit of "
                               f"{show_mb(limit.file_bytes)} for one export file: a zip bomb "
                               "or far larger than any round.",
                         "check where the file came from and export the answers again; if "
                         "it is a real export, raise the limit with the environment "
                         f"variable {FILE_ENV} (megabytes).")
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unreadable(name, f"its part {part.filename!r} is packed with a method "
                                    "Excel does not use", "export the answers again.")
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > UNPACK_CHECKED and ratio > MAX_RATIO:
            raise RoundError(name, f"is a zip bomb: its part {part.filename!r} would unpack "
                                   f"to {show_mb(part.file_size)} from "
                                   f"{show_mb(part.compress_size)} ({ratio:,.0f} to 1; real "
                                   f"workbooks pack less than {MAX_RATIO} to 1).",
                             "do not open it; export the answers again from the survey "
                             "tool.")


# Cell references and row numbers in a sheet's XML, and its row and cell elements.
_COLUMN_REF = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]+)\$?\d""")
_CELL_ROW_REF = re.compile(rb"""\sr\s*=\s*["']\$?[A-Za-z]+\$?(\d+)""")
_ROW_REF = re.compile(rb"""<(?:[\w.-]+:)?row\s[^>]*?\br\s*=\s*["'](\d+)""")
_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
# The form Excel and most tools write: every row and cell starts with its
# reference, <row r="7"> and <c r="C7">. Other elements whose name starts with
# c or row are followed by a letter (<col>, <cfRule>, <rowBreaks>).
_PLAIN_ROW = re.compile(rb'<row r="(\d+)"')
_PLAIN_CELL_ROW = re.compile(rb'<c r="[A-Za-z]+(\d+)"')
_WIDE_COLUMN = re.compile(rb'<c r="([A-Za-z]{2,})\d')
_NARROW_COLUMN = re.compile(rb'<c r="([A-Za-z])\d')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
# Elements other than c and row whose names start as theirs do.
_OTHER_C = (b"<co", b"<cf", b"<ce", b"<cu")
# A cell reference whose row has more than n digits, by n.
_LONG_ROWS = [re.compile(rb'<c r="[A-Za-z]+\d{%d}' % (n + 1)) for n in range(12)]


@dataclass
class _SheetSpan:
    """How far a sheet's cells reach, from its XML read piece by piece.

    Where cells and rows carry their reference (``r="C7"``) the furthest one
    counts; where they do not, a parser counts them one after another, so
    their number is added. Each piece is searched a few times by regular
    expressions (in C), never cell by cell in Python.
    """

    top_row: int = 0
    top_column: int = 0
    rows: int = 0
    row_refs: int = 0
    cells: int = 0
    cell_refs: int = 0
    widest: int = 0   # most cells in one row
    open_cells: int = 0  # cells so far in the row the last piece ended in
    carry: bytes = b""  # the end of the last piece, after its last complete tag

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the XML; pieces may split it anywhere."""
        text = self.carry + chunk
        cut = text.rfind(b">") + 1
        if cut == 0 and len(text) > _MAX_TAG:
            raise ValueError("an XML tag or text longer than a workbook has")
        self.carry = text[cut:]
        if cut and not self._feed_plain(text[:cut]):
            self._feed_any(text[:cut])

    def _feed_plain(self, text: bytes) -> bool:
        """Read a piece in the usual form; False when it is in another.

        The columns reach Z unless a reference has two letters; the rows reach
        the largest row number, or at most the largest number with as many
        digits when no cell has more: bounds enough for the checks, found by
        searches instead of reading every reference.
        """
        cells = text.count(b'<c r="')
        rows = _PLAIN_ROW.findall(text)
        other_cells = text.count(b"<c") - cells
        other_rows = text.count(b"<row") - len(rows)
        if (other_cells and other_cells != sum(map(text.count, _OTHER_C))) \
                or (other_rows and other_rows != text.count(b"<rowBreaks")) \
                or _PREFIXED.search(text):
            return False
        top_row = max(map(int, rows)) if rows else 0
        if _WIDE_COLUMN.search(text):
            top_column = max(map(_column_number, set(_WIDE_COLUMN.findall(text))))
        elif cells:
            top_column = max(map(_column_number, set(_NARROW_COLUMN.findall(text))))
        else:
            top_column = 0
        self.top_column = max(self.top_column, top_column)
        digits = len(str(top_row))
        if cells and (digits >= len(_LONG_ROWS) or _LONG_ROWS[digits].search(text)
                      or (10 ** digits - 1) * self.top_column > MAX_CELLS):
            top_row = max(top_row, max(map(int, set(_PLAIN_CELL_ROW.findall(text)))))
        elif cells:
            top_row = 10 ** digits - 1
        self.top_row = max(self.top_row, top_row)
        self.cells += cells
        self.cell_refs += cells
        self.rows += len(rows)
        self.row_refs += len(rows)
        return True

    def _feed_any(self, text: bytes) -> None:
        """Read a piece in any form: prefixed names, other quotes, no references."""
        found = _COLUMN_REF.findall(text)
        self.cell_refs += len(found)
        if columns := set(found):
            self.top_column = max(self.top_column, max(map(_column_number, columns)))
        rows = _ROW_REF.findall(text)
        cell_rows = set(_CELL_ROW_REF.findall(text))
        for numbers in (rows, cell_rows):
            if numbers:
                self.top_row = max(self.top_row, max(map(int, numbers)))
        self.row_refs += len(rows)
        pieces = _ROW.split(text)
        self.rows += len(pieces) - 1
        counts = list(map(len, map(_CELL.findall, pieces)))
        self.cells += sum(counts)
        counts[0] += self.open_cells
        self.open_cells = counts[-1]
        self.widest = max(self.widest, *counts)

    @property
    def size(self) -> tuple[int, int]:
        """(rows, columns) at most that a parser makes of the sheet."""
        rows = self.top_row + max(0, self.rows - self.row_refs)
        columns = self.top_column + (self.widest if self.cells > self.cell_refs else 0)
        return rows, columns


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _check_sheet(archive: zipfile.ZipFile, part: zipfile.ZipInfo, name: str) -> None:
    """Unpack one part piece by piece (checking its size and checksum on the way)
    and refuse a sheet wider or larger than any export."""
    is_xml = part.filename.lower().endswith(".xml")
    span = _SheetSpan()
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if is_xml:
                try:
                    span.feed(chunk)
                except ValueError as exc:
                    raise _unreadable(name, f"its part {part.filename!r} has {exc}",
                                      "export the answers again.") from None
    if span.cells:
        check_table_size(name, *span.size, sheet=True)


def check_table_size(where: str, rows: int, columns: int, *, sheet: bool = False) -> None:
    """Refuse a table wider than :data:`MAX_COLUMNS` or larger than :data:`MAX_CELLS`.

    ``sheet`` says the table is one of a workbook's sheets, counted before it
    is read: as far as its cells reach.
    """
    has = "has a sheet whose cells reach over" if sheet else "has"
    if columns > MAX_COLUMNS:
        raise RoundError(where, f"{has} {columns:,} columns; the kit reads at most "
                                f"{MAX_COLUMNS:,} (a MUS test export has 20 statement "
                                "columns and some dozens of others).",
                         "export only the MUS test's questions, or delete the columns that "
                         "are neither a statement, the role nor the unit.")
    if rows * columns > MAX_CELLS:
        raise RoundError(where, f"{has} {rows:,} rows of {columns:,} columns "
                                f"({rows * columns:,} cells), more than the "
                                f"{MAX_CELLS:,} cells the kit reads from one table.",
                         "check that it is the answer export of one MUS round; export only "
                         "the MUS test's questions, or split the file.")
