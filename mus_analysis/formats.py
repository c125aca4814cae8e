"""What survey tools write around the answers: header rows, metadata, codes.

The reader (:mod:`mus_analysis.read`) finds the header row of a table by the
statements in it. This module knows what each tool puts around that row, so
the rows above and below it are read as headers and not as answers, and the
tool can be named when the analyst asks (``mus-analysis inspect``):

- Qualtrics: three header rows: internal names (``StartDate``, ``Q1_3``),
  question text (``Block - statement``) and ``{"ImportId": ...}``. Its
  ``Status`` column marks previews, test answers and spam, which are not
  respondents.
- SurveyMonkey: two header rows: metadata names and the question, blank over
  the further columns of a matrix; below, the statement (or ``Response``) of
  each column.
- SurveyXact: the answers in one table (sheet ``Dataset``) headed by variable
  names such as ``s_1``; the variables' texts in another (``Variables``, or
  the ``structure`` file of the CSV export) and the labels of the answer codes
  in a third (``Labels``).
- LimeSurvey, Microsoft Forms, Google Forms: one header row; named by their
  metadata columns. LimeSurvey may abbreviate its headings and code its
  answers ``A1``..``A5``.

Also here: how headers name statements (:class:`Matcher`: item ids, texts,
``Grid [statement]``, ``Question - statement``, ``1. statement``, texts cut
short), how answer codes run (:func:`answer_codes`), and reading the files
themselves, CSV encodings and separators included (:func:`read_tables`), every
cell as text.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from . import guard
from .errors import RoundError
from .instrument import ROLES, Instrument, text_key

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
HEADER_SEARCH_ROWS = 10
LAYOUT_ROWS = 3  # a layout's header rows end within this many rows of the main one
_SNIFF_CHARACTERS = 1_000_000
_CONTENT = re.compile(r'[^\s;,"]')  # a character that is more than a separator or quote
# An answer code: a whole number, also written as a decimal ("4.0", "4,0").
CODE = re.compile(r"^([0-9]+)(?:[.,]0+)?$")
# LimeSurvey's answer codes: A1..A5, or AO01..AO05 in newer versions.
A_CODE = re.compile(r"^AO?0*([0-9]+)$", re.I)

# Metadata columns the tools write, as text keys. They hold no answers and are
# dropped (when not personal data, which is recognised and named on its own).
METADATA = {
    # Generic, Microsoft Forms (English and Danish), Google Forms
    "id", "løbenr", "løbenummer", "nr", "respondentid", "responseid", "starttidspunkt",
    "sluttidspunkt", "starttime", "completiontime", "lastmodifiedtime", "senestændret",
    "tidsstempel", "timestamp", "startdate", "enddate", "submitdate", "datestamp",
    # Qualtrics, internal names and the question-text row
    "status", "responsetype", "progress", "durationinseconds", "finished", "recordeddate",
    "externalreference", "externaldatareference", "distributionchannel", "userlanguage",
    "qrecaptchascore", "qrelevantidduplicate", "qballotboxstuffing",
    # SurveyMonkey
    "collectorid", "customdata1", "customdata",
    # LimeSurvey, codes and full text
    "lastpage", "startlanguage", "seed", "datesubmitted", "datestarted", "datelastaction",
    "refurl", "referrerurl",
    # SurveyXact
    "closetime", "starttid", "sluttid", "lastupdatetime",
}
# Cells SurveyMonkey writes under a question that is not a matrix.
_PLACEHOLDERS = {"response", "openendedresponse", "svar", "åbentsvar"}
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:')
# Qualtrics' Status: previews, generated test answers and spam are not respondents.
_QUALTRICS_DROPPED_CODES = {"1": "Survey Preview", "2": "Survey Test", "8": "Spam",
                            "9": "Survey Preview Spam", "12": "Imported Spam",
                            "17": "Offline Survey Preview"}
_TOOL_SIGNS = (
    ("SurveyMonkey", ({"respondentid", "collectorid"},)),
    ("Qualtrics", ({"startdate", "responseid", "recordeddate"},
                   {"startdate", "responsetype", "recordeddate"})),
    ("LimeSurvey", ({"submitdate", "lastpage", "startlanguage"},
                    {"datesubmitted", "lastpage", "startlanguage"})),
    ("Microsoft Forms", ({"starttime", "completiontime"},
                         {"starttidspunkt", "sluttidspunkt"})),
)


@dataclass
class Layout:
    """Where a table's headers are and what each column is called.

    Attributes
    ----------
    tool : str or None
        The survey tool recognised, e.g. ``"Qualtrics"``; None for a plain table.
    header_rows : list of int
        0-based rows of the frame that are headers, the main one included.
    main : int
        The header row whose text names the statements.
    names : list of str
        One name per column, as messages and the cleaning log show it.
    candidates : list of tuple of str
        Per column, every header text that may name it, the main row's first.
    """

    tool: str | None
    header_rows: list[int]
    main: int
    names: list[str]
    candidates: list[tuple[str, ...]]

    @property
    def first_body_row(self) -> int:
        return max(self.header_rows) + 1


def detect_layout(frame: pd.DataFrame, main: int) -> Layout:
    """The layout of a table whose statements head row ``main`` (0-based).

    Recognises the header rows a tool writes above or below that row and
    names the tool from its metadata columns. Only rows above ``main +
    LAYOUT_ROWS`` are looked at.
    """
    rows = [main]
    tool = None
    top = frame.iloc[: min(len(frame), main + LAYOUT_ROWS)]
    import_row = next((r for r in range(len(top)) if _is_import_row(top.iloc[r])), None)
    if import_row is not None and import_row <= 3:
        rows, tool = list(range(import_row + 1)), "Qualtrics"
        if main > import_row:
            rows = list(range(main + 1))
    elif main >= 1 and {"respondentid", "collectorid"} <= _keys(frame.iloc[main - 1]):
        rows, tool = [main - 1, main], "SurveyMonkey"
    elif main + 1 < len(frame) and _is_placeholder_row(frame.iloc[main + 1]):
        rows, tool = [main, main + 1], "SurveyMonkey"

    names, candidates = _column_names(frame, rows, main, import_row)
    keys = {text_key(c) for cands in candidates for c in cands}
    tool = tool or _tool_of(keys, names)
    return Layout(tool, rows, main, names, candidates)


def _keys(row: pd.Series) -> set[str]:
    return {text_key(cell) for cell in row if str(cell).strip()}


def _is_import_row(row: pd.Series) -> bool:
    cells = [str(c) for c in row if str(c).strip()]
    return bool(cells) and sum(bool(_IMPORT_ID.match(c)) for c in cells) * 2 >= len(cells)


def _is_placeholder_row(row: pd.Series) -> bool:
    keys = [text_key(c) for c in row if str(c).strip()]
    return bool(keys) and all(k in _PLACEHOLDERS for k in keys)


def _column_names(frame: pd.DataFrame, rows: list[int], main: int,
                  import_row: int | None) -> tuple[list[str], list[tuple[str, ...]]]:
    others = [r for r in rows if r not in (main, import_row)]
    names, candidates = [], []
    for pos in range(frame.shape[1]):
        texts = [str(frame.iat[main, pos]).strip()]
        texts += [str(frame.iat[r, pos]).strip() for r in others]
        useful = [t for t in texts if t and text_key(t) not in _PLACEHOLDERS]
        candidates.append(tuple(dict.fromkeys(useful)))
        names.append(useful[0] if useful else texts[0])
    return names, candidates


def _tool_of(keys: set[str], names: list[str]) -> str | None:
    for tool, signs in _TOOL_SIGNS:
        if any(sign <= keys for sign in signs):
            return tool
    first = text_key(names[0]) if names else ""
    if first in {"timestamp", "tidsstempel"}:
        return "Google Forms"
    return None


def excluded_rows(layout: Layout, body: pd.DataFrame) -> list[tuple[int, int, str, str]]:
    """Rows that are not respondents: ``(row index, column, value, reason)``.

    Qualtrics marks previews, generated test answers and spam in ``Status``
    (as text, or as a number in a numeric export). Unfinished responses are
    respondents: their answers count.
    """
    if layout.tool != "Qualtrics":
        return []
    status = next((pos for pos, cands in enumerate(layout.candidates)
                   if {text_key(c) for c in cands} & {"status", "responsetype"}), None)
    if status is None:
        return []
    values = body[status]
    reasons = {}
    for value in values.unique():
        key = str(value).strip()
        name = _QUALTRICS_DROPPED_CODES.get(key, key)
        if any(word in name.casefold() for word in ("preview", "test", "spam")):
            reasons[value] = f"Qualtrics status {name!r}: not a respondent's answers"
    if not reasons:
        return []
    hit = values.isin(list(reasons))
    return [(int(idx), status, values[idx], reasons[values[idx]])
            for idx in values.index[hit.to_numpy()]]


# ------------------------------------------------------------- headers


# An item id, optionally followed by a separator or a space and further text:
# "L01", "l1", "L 1", "L01. MUS gennemføres", "L01 MUS gennemføres".
ITEM_ID = re.compile(r"^\s*([A-Za-z])\s*0*(\d{1,3})(?:(?:\s*[.:)\-–]|\s)\s*(.*))?$", re.S)
_GRID = re.compile(r"^(.*)\[(.+)\]\s*$", re.S)
# A question number before the statement: "1. MUS gennemføres", "Spm. 3) ...", "Q4 - ...".
_NUMBERED = re.compile(r"^\s*(?:(?:spm|spørgsmål|q|question)\.?\s*)?\d{1,3}(?:\.\d{1,3})*"
                       r"(?:\s*[.:)\-–]\s*|\s+)(\D.*)$", re.S | re.I)
# "Question - statement" as Qualtrics heads a matrix column; not Microsoft
# Forms' quiz columns "Points - statement" and "Feedback - statement".
_DASH = re.compile(r"\s[-–]\s")
_QUIZ = {"points", "point", "feedback", "pointsfor", "feedbackfor"}
# A header cut short, as LimeSurvey abbreviates: "Jeg er godt forb.." or "...…".
_ELLIPSIS = re.compile(r"^(.*?)\s*(?:\.\.+|…)\s*$", re.S)
_MIN_ABBREVIATION = 8


@dataclass
class Matcher:
    """Maps header text to statements of one instrument."""

    by_key: dict[str, dict[str, str]]   # role -> text key -> item
    ids: dict[tuple[str, int], str]     # (prefix, number) -> item
    role_of: dict[str, str]             # item -> role

    @classmethod
    def of(cls, instrument: Instrument) -> Matcher:
        by_key: dict[str, dict[str, str]] = {role: {} for role in ROLES}
        for row in instrument.items.itertuples():
            for text in (row.da, row.en, *row.spellings):
                by_key[row.role][text_key(text)] = row.item
        items = instrument.items
        ids = {(item[0].casefold(), int(item[1:])): item for item in items["item"]}
        return cls(by_key, ids, dict(zip(items["item"], items["role"])))

    def statement(self, text: str) -> dict[str, str]:
        """Items (by role) whose statement text is ``text``."""
        key = text_key(text)
        return {role: keys[key] for role, keys in self.by_key.items() if key in keys}

    def item(self, item_id: str) -> str | None:
        """The instrument's item an id such as ``"L1"`` or ``"l01"`` names, if any."""
        match = ITEM_ID.match(item_id)
        if not match or match.group(3):
            return None
        return self.ids.get((match.group(1).casefold(), int(match.group(2))))

    def header(self, header: str) -> dict[str, str]:
        """Items (by role) a column header names; empty when none.

        The header may be an item id (with or without the statement text after
        it), a statement text, a grid header ``Title [id or statement]``, a
        Qualtrics matrix header ``Question - statement``, a numbered statement
        ``1. statement`` or a statement cut short ``Jeg er godt forb..``.

        Raises
        ------
        ValueError
            When the header names two different statements of one role, e.g.
            an item id and another item's text, or is cut short so much that
            it could be several statements.
        """
        named = self._by_id(header)
        if named is None:
            named = self.statement(header)
        if named:
            return named
        if grid := _GRID.match(header):
            return self.header(grid.group(2))
        for dash in _DASH.finditer(header):
            if text_key(header[:dash.start()]) in _QUIZ:
                break
            if named := self.statement(header[dash.end():]):
                return named
        if numbered := _NUMBERED.match(header):
            return self.header(numbered.group(1))
        if cut := _ELLIPSIS.match(header):
            return self._abbreviated(cut.group(1))
        return {}

    def _by_id(self, header: str) -> dict[str, str] | None:
        """The item a header names by its id; None when it starts with no id."""
        match = ITEM_ID.match(header)
        if not match:
            return None
        item = self.ids.get((match.group(1).casefold(), int(match.group(2))))
        if item is None:
            return None
        role = self.role_of[item]
        rest = (match.group(3) or "").strip()
        named = self.statement(rest) if rest else {}
        if named and named.get(role) != item:
            other = named.get(role) or next(iter(named.values()))
            raise ValueError(f"names both {item} (by its id) and {other} (by its text)")
        return {role: item}

    def _abbreviated(self, start: str) -> dict[str, str]:
        """Items (by role) whose statement text starts with ``start``."""
        key = text_key(start)
        if len(key) < _MIN_ABBREVIATION:
            return {}
        found: dict[str, set[str]] = {}
        for role, keys in self.by_key.items():
            for text, item in keys.items():
                if text.startswith(key):
                    found.setdefault(role, set()).add(item)
        several = [sorted(items) for items in found.values() if len(items) > 1]
        if several:
            raise ValueError(f"is cut short and could be any of {', '.join(several[0])}")
        return {role: items.pop() for role, items in found.items()}


def names_statement(matcher: Matcher, header: str) -> bool:
    """Whether a header names a statement (a header naming two counts too)."""
    try:
        return bool(matcher.header(header))
    except ValueError:
        return True


# ------------------------------------------------------------- SurveyXact


_VARIABLE = {"variable", "variablename", "variabel", "variabelnavn", "varname", "name", "navn"}
_TEXT = {"text", "tekst", "label", "description", "beskrivelse", "variablelabel",
         "variabeltekst", "variabellabel", "question", "spørgsmål", "spørgsmålstekst"}
_VALUE = {"value", "værdi", "code", "kode", "valuecode", "labelvalue"}
_KIND_WORDS = re.compile(r"(?i)\b(dataset|datasæt|data|labels?|etiketter|structure|struktur|"
                         r"variables?|variabler)\b")


@dataclass
class Metadata:
    """What SurveyXact's variables and labels tables say about a dataset."""

    texts: dict[str, str] = field(default_factory=dict)            # variable -> text
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # variable -> code -> label
    sources: list[str] = field(default_factory=list)


def metadata_kind(frame: pd.DataFrame) -> tuple[str, dict[str, int]] | None:
    """``("variables" | "labels", column positions)`` when a table describes a dataset."""
    if frame.empty:
        return None
    keys = [text_key(c) for c in frame.iloc[0]]
    find = {name: next((pos for pos, key in enumerate(keys) if key in words), None)
            for name, words in (("variable", _VARIABLE), ("value", _VALUE), ("text", _TEXT))}
    if find["variable"] is None or find["text"] is None:
        return None
    if find["value"] is not None:
        return "labels", find
    return "variables", find


def read_metadata(kind: str, where: dict[str, int], frame: pd.DataFrame, into: Metadata) -> None:
    """Add the variable texts or labels of a metadata table to ``into``."""
    body = frame.iloc[1:]
    variables = body.iloc[:, where["variable"]].str.strip()
    texts = body.iloc[:, where["text"]].str.strip()
    if kind == "variables":
        into.texts.update({v: t for v, t in zip(variables, texts) if v and t})
        return
    codes = body.iloc[:, where["value"]].map(code_key)
    for variable, code, label in zip(variables, codes, texts):
        if variable and code:
            into.labels.setdefault(variable, {})[code] = label


def code_key(cell: object) -> str:
    """An answer code as text: ``"4"`` for ``4``, ``"4.0"`` and ``" 4 "``."""
    text = str(cell).strip()
    match = re.fullmatch(r"(-?\d+)(?:[.,]0+)?", text)
    return str(int(match.group(1))) if match else text


def group_key(file: str, sheet: str | None) -> tuple[str, str]:
    """Tables that belong together: the same workbook, or CSV files in one folder
    whose names differ only by ``dataset``, ``labels``, ``structure``...
    """
    path = PurePosixPath(file)
    if sheet is not None:
        return str(path), ""
    stem = _KIND_WORDS.sub(" ", path.stem)
    return str(path.parent), re.sub(r"[\W_]+", " ", stem).strip().casefold()


def apply_labels(values: pd.Series, labels: dict[str, str]) -> pd.Series:
    """Codes turned into their labels, once per distinct value; unknown codes stay."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.array([labels.get(code_key(u), u) for u in uniques], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="str")


# ------------------------------------------------------------- files


@dataclass(eq=False)
class Table:
    """One sheet or CSV file as read, every cell text ('' when blank); a column of
    few distinct values may be categorical.

    After :func:`read_round`, ``frame`` keeps only the statement, role and
    unit columns: personal and other dropped columns do not leave the reader.
    """

    file: str  # the path relative to the round folder
    sheet: str | None
    frame: pd.DataFrame
    header_row: int  # 1-based row number of the (main) header in the file
    detected: dict = field(default_factory=dict)
    # SurveyXact's variable texts and labels for this table, when it is a dataset.
    metadata: Metadata | None = None

    @property
    def label(self) -> str:
        return f"{self.file} (sheet {self.sheet!r})" if self.sheet else self.file


def _decode(name: str, raw: bytes) -> tuple[str, str]:
    """Decode a text export, returning the text and the encoding used.

    UTF-8 is tried first, then Windows-1252 (what Excel's plain "CSV" writes
    on a Danish machine). A file that holds valid UTF-8 letters and also
    bytes that are not UTF-8 mixes the two (rows pasted in from another
    file): decoding it all as Windows-1252 would garble the UTF-8 part, so
    it is refused, naming the first line that is not UTF-8.
    """
    encoding = "utf-16" if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_order(raw)
    if not encoding and (line := guard.nul_line(raw)) is not None:
        raise RoundError(name, f"contains NUL bytes (the first on line {line}), so it is not "
                               "a text CSV file.",
                         "export the answers again as CSV or .xlsx.")
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            at = 3 + exc.start
            raise RoundError(name, f"starts as UTF-8 but byte {raw[at]:#x} at position {at} "
                                   f"(line {_line_of(raw, at)}) is not UTF-8: the file mixes "
                                   "encodings.",
                             "save it from Excel as 'CSV UTF-8' again.") from None
    if encoding:
        try:
            return raw.decode(encoding), "utf-16"
        except UnicodeDecodeError:
            raise RoundError(name, "starts as UTF-16 text but is not valid UTF-16.",
                             "export the answers again as CSV or .xlsx.") from None
    if guard.looks_binary(raw):
        raise RoundError(name, "is not text: it holds control characters no CSV file has, "
                               "so it is a binary file with a text file's name.",
                         "export the answers again as CSV or .xlsx.")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if _UTF8_LETTER.search(raw):
            raise RoundError(name, f"line {_line_of(raw, exc.start)} is not UTF-8 (byte "
                                   f"{raw[exc.start]:#x}), but other lines are: the file "
                                   "mixes encodings, so its letters cannot all be read.",
                             "save it again as 'CSV UTF-8' from a spreadsheet program, after "
                             "correcting the lines whose æ, ø and å look wrong, or export "
                             "the answers again.") from None
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise RoundError(name, f"is neither UTF-8 nor Windows-1252 text (byte "
                               f"{raw[exc.start]:#x} at position {exc.start}).",
                         "save it from Excel as 'CSV UTF-8'.") from None


# UTF-8 of a letter such as æ, ø, å or of a typographic quote or dash: bytes
# that Windows-1252 text (where they read "Ã¦", "â€") practically never has.
_UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]|\xe2\x80[\x80-\xbf]")
# Text encoded twice: UTF-8 read as Windows-1252 and saved again ("SjÃ¦ldent").
_DOUBLE_ENCODED = re.compile("Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                             "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022"
                             "\u2026\u2030\u2039\u203a\u20ac\u2122]|â€")


def _line_of(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


def check_double_encoding(where: str, headers: list[str]) -> None:
    """Refuse headers whose letters were encoded twice (``"SjÃ¦ldent"``).

    Such headers match no statement; saying why spares the analyst a hunt.
    """
    for header in headers:
        if found := _DOUBLE_ENCODED.search(header):
            shown = header if len(header) <= 40 else header[:37] + "..."
            raise RoundError(where, f"its header {shown!r} looks encoded twice: "
                                    f"{found.group()!r} stands where a letter such as æ, ø "
                                    "or å was meant (UTF-8 text read as Windows-1252 and "
                                    "saved again).",
                             "export the answers again from the survey tool, or open the "
                             "original export as UTF-8 and save it as 'CSV UTF-8'.")


def _utf16_order(raw: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` for UTF-16 text without a byte order mark.

    Such text has a NUL byte beside every ASCII character; other files with
    NUL bytes are binary.
    """
    head = raw[:400]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) == len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) == len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


@dataclass
class _Shape:
    """What sniffing found: the separator, where the table starts, how wide it is."""

    sep: str
    lead: int        # records above the table (title lines)
    width: int       # the table's usual width
    widest: int      # the widest record seen
    padded: bool = False  # the header is one cell short of the rows: pad it


def _sniff(text: str) -> _Shape:
    """The separator of a CSV text, the number of records above its table, its width.

    The separator is the one that splits the first records into the most
    equal-width rows with more than one field. Records are parsed with
    quoting, so separators inside quoted cells (commas in statement texts,
    line breaks in comments) do not count. Records narrower than the table
    at the top (a title line) are above the table, except a first record one
    cell short of rows that all end in an empty cell: a header written
    without the trailing separator its rows have, which is the header.
    """
    best, best_fit = _Shape(";", 0, 1, 1), (False, 0.0, 0)
    # The first records are enough; a large export need not be copied three times.
    head = text[:_SNIFF_CHARACTERS]
    for sep in (";", ",", "\t"):
        records = []  # (record number, width, last cell empty) of non-blank records
        try:
            for number, row in enumerate(csv.reader(io.StringIO(head), delimiter=sep)):
                if any(cell.strip() for cell in row):
                    records.append((number, len(row), not row[-1].strip()))
                if len(records) == HEADER_SEARCH_ROWS * 2:
                    break
        except csv.Error:
            continue
        if not records:
            continue
        counts = [w for _, w, _ in records]
        width = max(set(counts), key=counts.count)
        fit = (width > 1, counts.count(width) / len(counts), width)
        if fit > best_fit:
            lead = next(number for number, w, _ in records if w >= width)
            shape = _Shape(sep, lead, width, max(counts))
            first, first_width, _ = records[0]
            if first < lead and first_width == width - 1 and width > 2 \
                    and all(empty for _, w, empty in records if w == width):
                shape.lead, shape.padded = first, True
            best, best_fit = shape, fit
    return best


_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _csv_problem(exc: Exception) -> str:
    """A parser error in the user's words."""
    ragged = _RAGGED.search(str(exc))
    if ragged:
        expected, line, saw = ragged.groups()
        return (f"line {line} has {saw} cells but the header has {expected}, so its "
                "answers would not line up with the statements")
    return "it cannot be parsed: " + " ".join(str(exc).split())


# Every cell is read as text, dictionary-encoded: a column of answers holds a
# handful of distinct values, so it is parsed into small codes, not strings.
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())


def _parse_arrow(data: bytes | memoryview, shape: _Shape, quotes: bool) -> pd.DataFrame | None:
    """Parse UTF-8 CSV with pyarrow's multi-threaded parser; None where it cannot.

    Columns of few distinct values (answers, units, roles) come back
    categorical, as parsed; the others (names, ids, comments) as text. An
    empty line is refused rather than skipped (skipping it would shift the
    row numbers the cleaning log reports), as is a short header to pad: such
    files, text that is not UTF-8 after all, and any file pyarrow refuses, are
    for pandas' parser, whose error messages name the faulty line. ``quotes``
    is whether the text has a quote at all.
    """
    if shape.padded:
        return None
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True,
                                           skip_rows=shape.lead),
            # A text with quotes may have cells with line breaks (comments): pyarrow
            # then finds where rows end quote by quote, which is slower, instead of
            # at each line break, which could cut such a cell in two unnoticed.
            parse_options=pacsv.ParseOptions(delimiter=shape.sep, ignore_empty_lines=False,
                                             newlines_in_values=quotes),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": _DICTIONARY for i in range(shape.widest)},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    columns = {}
    for pos, column in enumerate(table.columns):
        if column.type != _DICTIONARY:  # wider than sniffing saw: its type was guessed
            return None
        distinct = sum(len(chunk.dictionary) for chunk in column.chunks)
        columns[pos] = column.to_pandas() if distinct <= len(column) // 8 + 1_000 \
            else pd.Series(pd.array(column.cast(pa.large_string()), dtype="str"))
    return pd.DataFrame(columns, copy=False)


def _parse_text(text: str, shape: _Shape) -> pd.DataFrame:
    """Parse CSV text with pandas' parser, every cell a string."""
    names = {"names": range(shape.width)} if shape.padded else {}
    return pd.read_csv(io.StringIO(text), sep=shape.sep, header=None, skiprows=shape.lead,
                       dtype=str, keep_default_na=False, skip_blank_lines=False,
                       **names).fillna("")


def _utf8_start(raw: bytes) -> tuple[str, str, bytes | memoryview] | None:
    """The start of a UTF-8 text, its encoding and its bytes without a byte order mark.

    None unless the start is UTF-8 and the file is neither UTF-16 nor binary and
    holds no NUL byte. Only the start is decoded, for sniffing; the parser
    checks the rest is UTF-8.
    """
    bom = raw.startswith(b"\xef\xbb\xbf")
    data = memoryview(raw)[3:] if bom else raw
    if b"\x00" in raw or not bom and (raw.startswith((b"\xff\xfe", b"\xfe\xff"))
                                      or _utf16_order(raw) or guard.looks_binary(raw)):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        start = decoder.decode(bytes(data[:_SNIFF_CHARACTERS]))
    except UnicodeDecodeError:
        return None
    return start, "utf-8-sig" if bom else "utf-8", data


def _read_text(path: Path, name: str, limit: guard.Limits) -> list[Table]:
    raw = guard.read_bounded(path, name, limit)
    guard.text_file_kind(raw, name)
    text = None  # decoded whole only when pyarrow cannot parse the bytes
    if found := _utf8_start(raw):
        start, encoding, data = found
        quotes = raw.find(b'"') >= 0
    else:
        text, encoding = _decode(name, raw)
        start, data, quotes = text[:_SNIFF_CHARACTERS], text.encode("utf-8"), '"' in text
    # Only separators, quotes and line breaks: nothing to read.
    if not _CONTENT.search(start):
        if text is not None:
            whole = text
        elif len(data) <= _SNIFF_CHARACTERS:  # the start is all of it
            whole = start
        else:
            whole, _ = _decode(name, raw)
        if not _CONTENT.search(whole):
            raise RoundError(name, "is empty.", "export the answers again.")
    shape = _sniff(start)
    # Before parsing: a table far wider than an export is refused. The first
    # line counts too, in case sniffing could not parse the records.
    end = start.find("\n")
    first_line = start[:end if end >= 0 else len(start)]
    width = max(shape.widest, first_line.count(shape.sep) + 1)
    guard.check_table_size(name, 1, width)
    frame = _parse_arrow(data, shape, quotes)
    if frame is None and text is None:  # not UTF-8 after all, or not for pyarrow
        text, encoding = _decode(name, raw)
        if encoding == "cp1252":
            frame = _parse_arrow(text.encode("utf-8"), shape, quotes)
    if frame is None:
        # pandas' parser holds every row as Python text: a table far longer than
        # an export is refused before.
        guard.check_table_size(name, text.count("\n") + 1 - shape.lead, width)
        try:
            frame = _parse_text(text, shape)
        except (pd.errors.ParserError, csv.Error) as exc:
            raise RoundError(name, f"is not a well-formed CSV file: {_csv_problem(exc)}.",
                             "put cells that hold the separator in quotes, e.g. by opening "
                             "the file in a spreadsheet program and saving it as CSV "
                             "again.") from None
    guard.check_table_size(name, *frame.shape)
    detected = {"format": "CSV", "encoding": encoding, "separator": shape.sep}
    if shape.padded:
        detected["padded_header"] = True
    table = Table(name, None, frame, header_row=1 + shape.lead, detected=detected)
    return [table]


def _read_excel(path: Path, name: str, limit: guard.Limits) -> list[Table]:
    guard.check_workbook(path, name, limit)
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str,
                               engine="calamine")
    except Exception as exc:  # noqa: BLE001 - any parser failure means the same to the user
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise RoundError(name, f"cannot be read as an Excel workbook ({reason}).",
                         "check that the file is a complete .xlsx export, not password "
                         "protected, and open it in Excel once to repair it.") from None
    tables = []
    for sheet, frame in sheets.items():
        # A one-sheet workbook is named by its file alone in messages.
        label = str(sheet) if len(sheets) > 1 else None
        guard.check_table_size(f"{name} (sheet {label!r})" if label else name, *frame.shape)
        frame = frame.fillna("").astype(str)
        tables.append(Table(name, label, frame, header_row=1,
                            detected={"format": "Excel", "sheet": str(sheet)}))
    return tables


def read_tables(path: Path, name: str | None = None) -> list[Table]:
    """Read every sheet of one export file, all cells as text.

    ``name`` is how messages name the file (its path relative to the round
    folder); the file's name by default. The file is checked before it is
    parsed (:mod:`mus_analysis.guard`): its size, what it is by its bytes,
    and a workbook's archive, so a broken or hostile file gives a one-line
    error instead of a hang or a memory blow-up.
    """
    path = Path(path)
    name = name or path.name
    limit = guard.limits()
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path, name, limit)
    return _read_text(path, name, limit)


# ------------------------------------------------------------- tables and codes


def attach_metadata(tables: list[Table], is_statement: Callable[[str], bool]) -> list[Table]:
    """Give each SurveyXact dataset its variable texts and labels.

    A table of variable texts or labels (recognised by its headers, and not
    headed by statements) describes the datasets of its workbook, or of the
    CSV files in its folder whose names differ only by words such as
    ``dataset`` and ``labels``. Returns the describing tables, which are not
    answer tables; their cells are dropped once read.
    """
    groups: dict[tuple[str, str], Metadata] = {}
    described = []
    for table in tables:
        kind = metadata_kind(table.frame)
        if kind is None or any(is_statement(cell) for cell in table.frame.iloc[0]):
            continue
        meta = groups.setdefault(group_key(table.file, table.sheet), Metadata())
        read_metadata(kind[0], kind[1], table.frame, meta)
        meta.sources.append(table.label)
        table.detected.update({"layout": "SurveyXact", "holds": kind[0]})
        described.append(table)
    for table in tables:
        meta = groups.get(group_key(table.file, table.sheet))
        if table in described or meta is None or table.frame.empty:
            continue
        variables = set(meta.texts) | set(meta.labels)
        if variables & {str(cell).strip() for cell in table.frame.iloc[0]}:
            table.metadata = meta
    for table in described:
        meta = groups[group_key(table.file, table.sheet)]
        table.detected["describes"] = [t.label for t in tables if t.metadata is meta]
        table.frame = table.frame.iloc[:0, :0]
    return described


# ------------------------------------------------------------- answer codes


def scale_labels(instrument: Instrument) -> dict[str, int]:
    """The scale's answers (Danish and English) as text keys, with their points."""
    labels = {}
    for row in instrument.scale.itertuples():
        labels[text_key(row.da)] = row.points
        labels[text_key(row.en)] = row.points
    return labels


def answer_codes(where: str, uniques: list, instrument: Instrument, setting: str | None) -> str:
    """How a table codes its answers, from its distinct answer values.

    Numbers from 0 to 4 with no 5 are a 0-4 scale; 0 and 5 together are six
    codes for five answers, which round.toml's ``answer_codes`` must settle.
    LimeSurvey's answer codes (``A1``..) count by their position on the scale.
    """
    labels = scale_labels(instrument)
    numbers, a_codes, has_labels = set(), False, False
    for value in {str(v).strip() for values in uniques for v in values}:
        if code := CODE.match(value):
            numbers.add(int(code.group(1)))
        elif A_CODE.match(value):
            a_codes = True
        elif text_key(value) in labels:
            has_labels = True
    top = int(instrument.scale["points"].max())
    if setting is not None:
        codes = setting
    elif 0 in numbers and top in numbers:
        raise RoundError(where,
                         f"its answers are codes from 0 to {top}: {top + 1} codes for the "
                         f"{top} answers of the scale, so what each code means cannot be "
                         "told.", f"check the export's codes; if 0 means "
                         f"{instrument.scale['da'].iloc[0]}, put answer_codes = "
                         f"\"0-{top - 1}\" in round.toml, if 0 means no answer, put "
                         f"answer_codes = \"1-{top}\".")
    elif 0 in numbers and not has_labels:
        codes = "0-4"
    else:
        codes = "1-5"
    return "A1-A5" if a_codes and codes == "1-5" else codes


def check_labels(where: str, variable: str, labels: dict[str, str],
                 instrument: Instrument) -> None:
    """Refuse a statement's label list that does not name each answer of the scale once."""
    scale = scale_labels(instrument)
    points: dict[int, list[str]] = {}
    for code, label in labels.items():
        if text_key(label) in scale:
            points.setdefault(scale[text_key(label)], []).append(code)
    named = [f"{code}={label!r}" for code, label in labels.items()]
    twice = {p: codes for p, codes in points.items() if len(codes) > 1}
    absent = [row.da for row in instrument.scale.itertuples() if row.points not in points]
    if twice or absent:
        problem = (f"codes {', '.join(next(iter(twice.values())))} have the same answer"
                   if twice else f"no code is labelled {', '.join(map(repr, absent))}")
        raise RoundError(where,
                         f"the labels of {variable} ({', '.join(named)}) are not the answer "
                         f"scale of the MUS test: {problem}, so its codes cannot be read.",
                         "label each code with one answer of the scale (Aldrig .. Altid) in "
                         "the survey tool, and export the labels again.")
