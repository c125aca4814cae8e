"""Read a round folder of survey exports into tidy answers.

A round folder holds the exports of one MUS round: CSV or Excel files, one
per role, one workbook with a sheet per role, or one table with a role
column. :func:`read_round` finds the tables, works out which column holds
which statement and which rows belong to which role, turns every answer into
points and returns the answers in long form together with a cleaning log.

Nothing is changed or dropped silently: every dropped column, dropped row and
unreadable answer is a row of the cleaning log. Columns that are neither a
statement, the role nor the unit (names, e-mail addresses, IP addresses,
timestamps, free text) are dropped when read and never leave this module.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import RoundError
from .instrument import ROLES, Instrument, load_instrument, text_key

EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
LOG_COLUMNS = ["file", "row", "column", "value", "action", "reason"]
ANSWER_COLUMNS = ["round", "role", "respondent", "unit", "item", "points"]

# Header words, compared as text keys (letters and digits only, lower case).
_ROLE_HEADERS = {"role", "rolle", "rollen"}
# Headers that may mean the role or something else (a team): the role column
# only when some of its values name a role.
_GROUP_HEADERS = {"respondenttype", "respondentgruppe", "gruppe", "group"}
_UNIT_WORDS = ("enhed", "afdeling", "unit", "department", "kontor", "team", "sektion")
_PERSONAL = (
    ("e-mail address", ("mail",)),
    ("name", ("navn", "name", "fornavn", "efternavn")),
    ("IP address", ("ipaddress", "ipadresse")),
    ("free text", ("kommentar", "comment", "bemærk", "fritekst", "uddyb", "andet")),
    ("location", ("latitude", "longitude")),
)
_METADATA = (
    "id", "løbenr", "løbenummer", "nr", "respondentid", "responseid", "starttidspunkt",
    "sluttidspunkt", "starttime", "completiontime", "lastmodifiedtime", "senestændret",
    "tidsstempel", "timestamp", "startdate", "enddate", "submitdate", "datestamp",
)
# An item id, optionally followed by a separator or a space and further text:
# "L01", "l1", "L 1", "L01. MUS gennemføres", "L01 MUS gennemføres".
_ITEM_ID = re.compile(r"^\s*([A-Za-z])\s*0*(\d{1,3})(?:(?:\s*[.:)\-–]|\s)\s*(.*))?$", re.S)
_GRID = re.compile(r"^(.*)\[(.+)\]\s*$", re.S)
# An answer code: a whole number, also written as a decimal ("4.0", "4,0").
_CODE = re.compile(r"^([0-9]+)(?:[.,]0+)?$")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_MAX_LOGGED_VALUE = 40
_HEADER_SEARCH_ROWS = 10


@dataclass
class Table:
    """One sheet or CSV file as read, every cell a string ('' when blank).

    After :func:`read_round`, ``frame`` keeps only the statement, role and
    unit columns: personal and other dropped columns do not leave the reader.
    """

    file: str
    sheet: str | None
    frame: pd.DataFrame
    header_row: int  # 1-based row number of the header in the file
    detected: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.file} (sheet {self.sheet!r})" if self.sheet else self.file


@dataclass
class RoundData:
    """What :func:`read_round` found in a round folder.

    Attributes
    ----------
    round : str
        The round's name: the folder's name.
    answers : DataFrame
        Long form, one row per respondent and statement: ``round``, ``role``,
        ``respondent``, ``unit``, ``item``, ``points`` (nullable integer 1-5;
        missing where the answer was blank or unreadable).
    respondents : DataFrame
        One row per respondent: ``round``, ``role``, ``respondent``, ``unit``,
        ``file`` and ``row`` (where the answers came from).
    log : DataFrame
        The cleaning log: ``file``, ``row``, ``column``, ``value``, ``action``,
        ``reason``.
    tables : list of Table
        What was detected in each table (layout, encoding, columns).
    received : int
        Data rows received over all tables, before any row was dropped.
    """

    round: str
    answers: pd.DataFrame
    respondents: pd.DataFrame
    log: pd.DataFrame
    tables: list[Table]
    received: int


class _Log:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, file, row, column, value, action, reason) -> None:
        value = "" if value is None else str(value)
        # The log is shared with the report: it must not carry e-mail addresses.
        value = _EMAIL.sub("<e-mail address>", value)
        if len(value) > _MAX_LOGGED_VALUE:
            value = f"<text of {len(value)} characters>"
        self.rows.append(dict(zip(LOG_COLUMNS, (file, row, column, value, action, reason))))

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=LOG_COLUMNS)
        return frame.astype({"row": "Int64"})


# --------------------------------------------------------------- file level


def find_exports(round_dir: Path) -> list[Path]:
    """The export files of a round folder, in name order."""
    round_dir = Path(round_dir)
    if not round_dir.is_dir():
        raise RoundError(round_dir, "is not a folder.",
                         "give the path of a round folder, e.g. data/raw/2025.")
    paths = []
    for path in sorted(round_dir.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES | TEXT_SUFFIXES:
            paths.append(path)
        elif suffix in {".xls", ".ods", ".numbers"}:
            raise RoundError(path, f"{suffix} files cannot be read.",
                             "open it and save it as .xlsx or as CSV UTF-8.")
    if not paths:
        raise RoundError(round_dir, "holds no CSV or Excel (.xlsx) file.",
                         "put the survey tool's answer exports in the folder.")
    return paths


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Decode a text export, returning the text and the encoding used."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise RoundError(path, f"starts as UTF-8 but byte {raw[3 + exc.start]:#x} at "
                                   f"position {3 + exc.start} is not UTF-8.",
                             "save it from Excel as 'CSV UTF-8' again.") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise RoundError(path, "starts as UTF-16 text but is not valid UTF-16.",
                             "export the answers again as CSV or .xlsx.") from None
    if b"\x00" in raw:
        raise RoundError(path, "contains NUL bytes, so it is not a text CSV file.",
                         "export the answers again as CSV or .xlsx.")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise RoundError(path, f"is neither UTF-8 nor Windows-1252 text (byte "
                               f"{raw[exc.start]:#x} at position {exc.start}).",
                         "save it from Excel as 'CSV UTF-8'.") from None


def _sniff(text: str) -> tuple[str, int]:
    """The separator of a CSV text and the number of records above its table.

    The separator is the one that splits the first records into the most
    equal-width rows with more than one field. Records are parsed with
    quoting, so separators inside quoted cells (commas in statement texts,
    line breaks in comments) do not count. Records narrower than the table
    at the top (a title line) are above the table.
    """
    best, best_fit, best_lead = ";", (False, 0.0, 0), 0
    for sep in (";", ",", "\t"):
        widths = []  # (record number, width) of non-blank records
        try:
            for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=sep)):
                if any(cell.strip() for cell in row):
                    widths.append((number, len(row)))
                if len(widths) == _HEADER_SEARCH_ROWS * 2:
                    break
        except csv.Error:
            continue
        if not widths:
            continue
        counts = [w for _, w in widths]
        width = max(set(counts), key=counts.count)
        fit = (width > 1, counts.count(width) / len(counts), width)
        if fit > best_fit:
            lead = next(number for number, w in widths if w >= width)
            best, best_fit, best_lead = sep, fit, lead
    return best, best_lead


_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _csv_problem(exc: Exception) -> str:
    """A parser error in the user's words."""
    ragged = _RAGGED.search(str(exc))
    if ragged:
        expected, line, saw = ragged.groups()
        return (f"line {line} has {saw} cells but the header has {expected}, so its "
                "answers would not line up with the statements")
    return "it cannot be parsed: " + " ".join(str(exc).split())


def _parse_csv(text: str, sep: str, lead: int) -> pd.DataFrame:
    """Parse CSV text, every cell a string.

    pyarrow's multi-threaded parser reads large exports several times faster
    than pandas' own. It skips blank lines, which changes no answer but would
    shift the row numbers the cleaning log reports, so files with blank
    lines, and any file pyarrow refuses, go to pandas' parser, whose error
    messages also name the faulty line.
    """
    if "\n\n" not in text and "\r\n\r\n" not in text:
        try:
            return pd.read_csv(io.BytesIO(text.encode("utf-8")), sep=sep, header=None,
                               skiprows=lead, dtype=str, keep_default_na=False,
                               engine="pyarrow")
        except (pd.errors.ParserError, ValueError, ImportError):
            pass
    return pd.read_csv(io.StringIO(text), sep=sep, header=None, skiprows=lead, dtype=str,
                       keep_default_na=False, skip_blank_lines=False)


def _read_text(path: Path) -> list[Table]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RoundError(path, f"cannot be read ({exc.strerror}).", "check the file.") from None
    if raw.startswith(b"PK\x03\x04"):
        raise RoundError(path, "is a zip or Excel file with a text file's name.",
                         "rename it to .xlsx if it is an Excel workbook.")
    text, encoding = _decode(path, raw)
    # Only separators, quotes and line breaks: nothing to read.
    if not re.search(r'[^\s;,"]', text):
        raise RoundError(path, "is empty.", "export the answers again.")
    sep, lead = _sniff(text)
    try:
        frame = _parse_csv(text, sep, lead)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise RoundError(path, f"is not a well-formed CSV file: {_csv_problem(exc)}.",
                         "put cells that hold the separator in quotes, e.g. by opening "
                         "the file in a spreadsheet program and saving it as CSV "
                         "again.") from None
    frame = frame.fillna("")
    table = Table(path.name, None, frame, header_row=1 + lead,
                  detected={"format": "CSV", "encoding": encoding, "separator": sep})
    return [table]


def _read_excel(path: Path) -> list[Table]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str,
                               engine="calamine")
    except Exception as exc:  # noqa: BLE001 - any parser failure means the same to the user
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise RoundError(path, f"cannot be read as an Excel workbook ({reason}).",
                         "check that the file is a complete .xlsx export, not password "
                         "protected, and open it in Excel once to repair it.") from None
    tables = []
    for sheet, frame in sheets.items():
        frame = frame.fillna("").astype(str)
        # A one-sheet workbook is named by its file alone in messages.
        name = str(sheet) if len(sheets) > 1 else None
        tables.append(Table(path.name, name, frame, header_row=1,
                            detected={"format": "Excel", "sheet": str(sheet)}))
    return tables


def read_tables(path: Path) -> list[Table]:
    """Read every sheet of one export file, all cells as text."""
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path)
    return _read_text(path)


def _nonblank_rows(frame: pd.DataFrame) -> pd.Series:
    """True for rows with at least one cell that is not blank."""
    if frame.shape[1] == 0:
        return pd.Series(False, index=frame.index)
    return frame.apply(lambda column: column.str.strip() != "").any(axis=1)


# ------------------------------------------------------------ column level


@dataclass
class _Matcher:
    """Maps header text to statements of one instrument."""

    by_key: dict[str, dict[str, str]]   # role -> text key -> item
    ids: dict[tuple[str, int], str]     # (prefix, number) -> item
    role_of: dict[str, str]             # item -> role

    @classmethod
    def of(cls, instrument: Instrument) -> _Matcher:
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

    def header(self, header: str) -> dict[str, str]:
        """Items (by role) a column header names; empty when none.

        The header may be an item id (with or without the statement text after
        it), a statement text, or a grid header ``Title [id or statement]``.

        Raises
        ------
        ValueError
            When the header names two different statements of one role, e.g.
            an item id and another item's text.
        """
        named = self._by_id(header)
        if named is None:
            named = self.statement(header)
        if not named and (grid := _GRID.match(header)):
            return self.header(grid.group(2))
        return named

    def _by_id(self, header: str) -> dict[str, str] | None:
        """The item a header names by its id; None when it starts with no id."""
        match = _ITEM_ID.match(header)
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


def _header_row(frame: pd.DataFrame, matcher: _Matcher) -> int:
    """0-based index of the row holding the headers (most statement matches)."""
    best, best_hits = None, 0
    for idx in range(min(len(frame), _HEADER_SEARCH_ROWS)):
        hits = 0
        for cell in frame.iloc[idx]:
            try:
                hits += bool(matcher.header(cell))
            except ValueError:
                hits += 1
        if hits > best_hits:
            best, best_hits = idx, hits
    if best is not None:
        return best
    nonblank = _nonblank_rows(frame)
    return int(np.argmax(nonblank.to_numpy())) if nonblank.any() else 0


def _personal_kind(key: str) -> str | None:
    for kind, words in _PERSONAL:
        if any(word in key for word in words):
            return kind
    return None


@dataclass
class _Plan:
    """What each column of a table is."""

    items: dict[str, dict[int, str]]   # role -> column position -> item
    role_col: int | None
    unit_col: int | None
    dropped: dict[int, str]            # column position -> reason
    # Statements both forms share that have one column per role (a table with
    # a role column): the positions, assigned to roles once rows have roles.
    shared: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    @property
    def kept(self) -> list[int]:
        """Positions of the statement, role and unit columns."""
        keep = {pos for by_pos in self.items.values() for pos in by_pos}
        keep.update(pos for group in self.shared.values() for pos in group)
        keep.update(pos for pos in (self.role_col, self.unit_col) if pos is not None)
        return sorted(keep)


def _plan_columns(table: Table, headers: list[str], instrument: Instrument,
                  matcher: _Matcher, body: pd.DataFrame) -> _Plan:
    items: dict[str, dict[int, str]] = {role: {} for role in ROLES}
    role_col = unit_col = None
    dropped: dict[int, str] = {}
    for pos, header in enumerate(headers):
        try:
            named = matcher.header(header)
        except ValueError as exc:
            raise RoundError(table.label, f"column {header!r} {exc}.",
                             "give the column one statement's id or text.") from None
        if named:
            for role, item in named.items():
                items[role][pos] = item
            continue
        key = text_key(header)
        values = body.iloc[:, pos]
        if role_col is None and _is_role_column(key, values, instrument):
            role_col = pos
        elif unit_col is None and any(word in key for word in _UNIT_WORDS):
            unit_col = pos
        elif kind := _personal_kind(key):
            dropped[pos] = f"personal data ({kind})"
        elif key in _METADATA or not key:
            dropped[pos] = "survey metadata" if key else "column without a header"
        else:
            dropped[pos] = "not a statement of the questionnaire"
    plan = _Plan(items, role_col, unit_col, dropped)
    _set_aside_shared(table, headers, plan)
    return plan


def _set_aside_shared(table: Table, headers: list[str], plan: _Plan) -> None:
    """Check that no statement has two columns, except shared ones in a role table.

    A form for both roles asks the statements both questionnaires share twice,
    so their text heads two columns. With a role column, which is whose is
    told later by who answered them (:func:`_assign_shared`).
    """
    for by_pos in plan.items.values():
        positions: dict[str, list[int]] = {}
        for pos, item in by_pos.items():
            positions.setdefault(item, []).append(pos)
        for item, group in positions.items():
            if len(group) == 1:
                continue
            pair = tuple(plan.items[r].get(group[0]) for r in ROLES)
            is_shared = None not in pair and all(
                tuple(plan.items[r].get(p) for r in ROLES) == pair for p in group)
            if plan.role_col is None or not is_shared or len(group) != len(ROLES):
                first, second = (headers[p] for p in group[:2])
                raise RoundError(
                    table.label,
                    f"columns {first!r} and {second!r} both map to statement {item}.",
                    "remove or rename the duplicate column so each statement has one.")
            plan.shared[pair] = group
    for group in plan.shared.values():
        for by_pos in plan.items.values():
            for pos in group:
                by_pos.pop(pos, None)


def _is_role_column(key: str, values: pd.Series, instrument: Instrument) -> bool:
    """Whether a column with header key ``key`` says each row's role."""
    if key in _ROLE_HEADERS:
        return True
    present = values[values.str.strip() != ""].unique()
    # A generator, so a column of timestamps stops at its first value.
    names_role = (instrument.role_of_name(v) is not None for v in present)
    if key in _GROUP_HEADERS:
        return any(names_role)
    return len(present) > 0 and all(names_role)


def _name_role(table: Table, instrument: Instrument) -> str | None:
    """The role a file or sheet name points at, if exactly one."""
    words = re.split(r"[\W_\d]+", f"{Path(table.file).stem} {table.sheet or ''}")
    roles = {instrument.role_of_name(w) for w in words if w} - {None}
    return roles.pop() if len(roles) == 1 else None


# ------------------------------------------------------------- answer level


def answer_points(values: pd.Series, instrument: Instrument) -> tuple[pd.Series, pd.Series]:
    """Turn answer cells into points.

    Labels (Danish or English, any case, stray or non-breaking spaces) and
    codes written as integers, decimals (``4``, ``4.0``, ``4,0``) or text
    become points; blank cells become missing. Anything else (another label,
    a code off the scale, a broken encoding) is invalid: never guessed.

    Parameters
    ----------
    values : Series of str
        Answer cells as text.
    instrument : Instrument
        The questionnaire whose scale gives the labels and points.

    Returns
    -------
    points : Series of Int64
        Points, missing where blank or unreadable.
    invalid : Series of bool
        True where the cell held something that is not an answer.

    Notes
    -----
    Each distinct cell value is converted once, so the cost grows with the
    number of distinct values, not with the number of cells.
    """
    labels = {}
    for row in instrument.scale.itertuples():
        labels[text_key(row.da)] = row.points
        labels[text_key(row.en)] = row.points
    low, top = int(instrument.scale["points"].min()), int(instrument.scale["points"].max())

    def convert(cell: object) -> float:
        cell = "" if pd.isna(cell) else str(cell).strip()
        if not cell:
            return np.nan
        key = text_key(cell)
        if key in labels:
            return labels[key]
        code = _CODE.match(cell)
        if code and low <= int(code.group(1)) <= top:
            return int(code.group(1))
        return -1

    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    by_code = np.array([convert(value) for value in uniques], dtype="float64")
    converted = pd.Series(by_code[codes], index=values.index)
    invalid = converted.eq(-1)
    points = converted.mask(invalid).astype("Int64")
    return points, invalid


# -------------------------------------------------------------- table level


def _table_answers(table: Table, instrument: Instrument, matcher: _Matcher,
                   log: _Log) -> list[pd.DataFrame] | None:
    """Answers of one table in wide form, one frame per role found.

    Returns None when the table has no statement columns. A frame may have
    no rows when the table has a header but no answers.
    """
    frame = table.frame
    if frame.empty:
        return None
    header_idx = _header_row(frame, matcher)
    table.header_row += header_idx
    headers = [str(h).strip() for h in frame.iloc[header_idx]]
    body = frame.iloc[header_idx + 1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    # Rows as the user numbers them in a spreadsheet program.
    file_rows = pd.Series(np.arange(len(body)) + table.header_row + 1)

    plan = _plan_columns(table, headers, instrument, matcher, body)
    # Only the columns read leave the reader; the rest may be personal data.
    table.frame = frame.iloc[:, plan.kept]
    table.detected.update({
        "header_row": table.header_row,
        "role_column": None if plan.role_col is None else headers[plan.role_col],
        "unit_column": None if plan.unit_col is None else headers[plan.unit_col],
        "dropped_columns": {headers[p]: why for p, why in plan.dropped.items()},
    })
    if not any(plan.items.values()) and not plan.shared:
        return None

    # Drop blank lines (trailing separators, empty spreadsheet rows) quietly:
    # they are not responses. Every other dropped row is logged.
    nonblank = _nonblank_rows(body)
    body, file_rows = body[nonblank], file_rows[nonblank]
    table.detected["rows"] = len(body)
    for pos, why in plan.dropped.items():
        log.add(table.label, None, headers[pos], "", "dropped column", why)

    row_roles, roles = _row_roles(table, headers, plan, body, file_rows, instrument, log)
    _assign_shared(table, headers, plan, body, row_roles)
    table.detected["roles"] = roles
    table.detected["columns"] = {
        role: {headers[pos]: item for pos, item in plan.items[role].items()} for role in roles}

    rows_of = {role: row_roles.eq(role).to_numpy() for role in roles}
    return [_role_answers(table, headers, plan, role, body[rows], file_rows[rows],
                          instrument, log)
            for role, rows in rows_of.items()]


def _row_roles(table: Table, headers: list[str], plan: _Plan, body: pd.DataFrame,
               file_rows: pd.Series, instrument: Instrument,
               log: _Log) -> tuple[pd.Series, list[str]]:
    """The role of each row, and the roles the table holds."""
    if plan.role_col is None:
        role = _content_role(table, plan, instrument, log)
        return pd.Series(role, index=body.index, dtype=object), [role]

    values = body[plan.role_col]
    row_roles = values.map({v: instrument.role_of_name(v) for v in values.unique()})
    table.detected["role_from"] = f"column {headers[plan.role_col]!r}"
    for idx in row_roles.index[row_roles.isna()]:
        log.add(table.label, int(file_rows[idx]), headers[plan.role_col],
                body.at[idx, plan.role_col], "dropped row",
                "role is neither a leader nor an employee name")
    present = set(row_roles.dropna())
    return row_roles, [r for r in ROLES if r in present]


def _content_role(table: Table, plan: _Plan, instrument: Instrument, log: _Log) -> str:
    """The role of a table without a role column: from its statements, else its name."""
    specific = {r: set(plan.items[r].values()) - _shared(plan, r) for r in ROLES}
    by_content = [r for r in ROLES if specific[r]]
    by_name = _name_role(table, instrument)
    if len(by_content) == 2:
        raise RoundError(table.label,
                         "has statements of both questionnaires but no role column.",
                         "split it into one file per role, or add a column 'Rolle' "
                         "saying leder or medarbejder on each row.")
    if by_content:
        role = by_content[0]
        table.detected["role_from"] = "the statements in the columns"
        if by_name and by_name != role:
            log.add(table.label, None, "", "", "note",
                    f"the name suggests {by_name}s, but the columns are the {role} "
                    f"questionnaire: read as {role}s")
        return role
    if by_name:
        table.detected["role_from"] = "the file or sheet name"
        return by_name
    raise RoundError(table.label,
                     "holds only statements that both questionnaires share, so "
                     "its role cannot be told.",
                     "put 'ledere' or 'medarbejdere' in the file or sheet name.")


def _shared(plan: _Plan, role: str) -> set[str]:
    """Items of ``role`` whose columns also name an item of the other role."""
    other = [r for r in ROLES if r != role][0]
    shared_pos = set(plan.items[role]) & set(plan.items[other])
    return {plan.items[role][p] for p in shared_pos}


def _assign_shared(table: Table, headers: list[str], plan: _Plan, body: pd.DataFrame,
                   row_roles: pd.Series) -> None:
    """Give each role one of the two columns of a shared statement: the one it answered."""
    for pair, group in plan.shared.items():
        answered_by = [set(row_roles[body[pos].str.strip().ne("")].dropna())
                       for pos in group]
        owners = [next(iter(roles)) if len(roles) == 1 else None for roles in answered_by]
        if any(len(roles) > 1 for roles in answered_by) or owners[0] == owners[1] != None:  # noqa: E711
            first, second = (headers[p] for p in group)
            raise RoundError(
                table.label,
                f"columns {first!r} and {second!r} both hold statement {pair[0]}/{pair[1]}, "
                "and the answers in them do not tell which column is whose.",
                f"rename the columns to the item ids, e.g. {pair[0]} and {pair[1]}.")
        # A column nobody answered belongs to the role the other column does not.
        if owners == [None, None]:
            owners = list(ROLES)
        elif None in owners:
            known = next(o for o in owners if o is not None)
            owners = [o or next(r for r in ROLES if r != known) for o in owners]
        for pos, role in zip(group, owners):
            plan.items[role][pos] = pair[ROLES.index(role)]


def _role_answers(table: Table, headers: list[str], plan: _Plan, role: str,
                  part: pd.DataFrame, rows: pd.Series, instrument: Instrument,
                  log: _Log) -> pd.DataFrame:
    """Points of one role's rows, wide: file, row, role, unit and one column per item."""
    role_items = instrument.role_items(role)["item"].tolist()
    by_item = {item: pos for pos, item in plan.items[role].items()}
    absent = [i for i in role_items if i not in by_item]
    if absent:
        text = instrument.item_text("da")
        named = ", ".join(f"{i} ({text[i]!r})" for i in absent[:5])
        more = f" and {len(absent) - 5} more" if len(absent) > 5 else ""
        raise RoundError(
            table.label,
            f"{len(absent)} {role} statement(s) have no column: {named}{more}.",
            "export all statements; headers must be the item id (e.g. "
            f"{absent[0]}) or the statement text.")

    wide = pd.DataFrame({"file": table.label, "row": rows.to_numpy(dtype="int64")})
    wide["role"] = role
    wide["unit"] = (part[plan.unit_col].str.strip().replace("", pd.NA).to_numpy()
                    if plan.unit_col is not None else pd.NA)
    for item in role_items:
        pos = by_item[item]
        points, invalid = answer_points(part[pos], instrument)
        for idx in np.flatnonzero(invalid.to_numpy()):
            log.add(table.label, int(wide.at[idx, "row"]), headers[pos],
                    part[pos].iloc[idx], "set to missing", "not an answer on the scale")
        wide[item] = points.to_numpy()
    return wide


# -------------------------------------------------------------- round level


def read_round(round_dir: str | Path, *, instrument: Instrument | None = None) -> RoundData:
    """Read every export of a round folder.

    Parameters
    ----------
    round_dir : str or Path
        The round folder, e.g. ``data/raw/2025``. Its name is the round's name.
    instrument : Instrument, optional
        The questionnaire; the built-in MUS test by default.

    Returns
    -------
    RoundData

    Raises
    ------
    RoundError
        When the folder holds no readable export, a file matches neither
        questionnaire, statement columns are missing or ambiguous, a file
        is corrupt, or no row answers any statement. The message names the
        file, the problem and the fix.
    """
    instrument = instrument or load_instrument()
    round_dir = Path(round_dir)
    name = round_dir.resolve().name
    matcher = _Matcher.of(instrument)
    log = _Log()

    tables, wides = [], []
    for path in find_exports(round_dir):
        found_in_file = False
        for table in read_tables(path):
            table_wides = _table_answers(table, instrument, matcher, log)
            tables.append(table)
            if table_wides is None:
                if table.sheet is not None:
                    log.add(table.label, None, "", "", "ignored sheet",
                            "no statement columns")
                continue
            found_in_file = True
            wides.extend(table_wides)
            if not table.detected["rows"]:
                log.add(table.label, None, "", "", "note", "no answer rows below the header")
        if not found_in_file:
            raise RoundError(
                path.name,
                "matches neither questionnaire: no column header is a statement "
                "of the MUS test or an item id (L01-L20, E01-E20).",
                "check that it is the answer export, with the statements as column "
                "headers, or remove it from the round folder.")

    received = sum(t.detected.get("rows", 0) for t in tables)
    wide = pd.concat(wides, ignore_index=True) if wides else _empty_wide(instrument)
    return _tidy(name, wide, instrument, log, tables, received)


def _empty_wide(instrument: Instrument) -> pd.DataFrame:
    return pd.DataFrame(columns=["file", "row", "role", "unit", *instrument.items["item"]])


def _tidy(name: str, wide: pd.DataFrame, instrument: Instrument, log: _Log,
          tables: list[Table], received: int) -> RoundData:
    item_cols = [c for c in wide.columns if c in set(instrument.items["item"])]

    # Rows with no answer at all are not respondents.
    answered = wide[item_cols].notna().any(axis=1)
    for row in wide[~answered].itertuples():
        log.add(row.file, row.row, "", "", "dropped row", "no statement answered")
    wide = wide[answered].copy()
    if wide.empty:
        raise RoundError(name, f"no row of its exports answers a statement "
                               f"({received} rows received).",
                         "check that the exports hold the answers, not only the headers.")

    # Respondent ids: role prefix and a running number, in file order,
    # leaders first.
    prefix = dict(zip(instrument.roles["role"], instrument.roles["prefix"]))
    wide = pd.concat([wide[wide["role"] == role] for role in ROLES], ignore_index=True)
    number = wide.groupby("role", sort=False).cumcount() + 1
    wide["respondent"] = wide["role"].map(prefix) + number.map("{:04d}".format)
    wide["round"] = name
    wide["unit"] = wide["unit"].astype("string")
    respondents = wide[["round", "role", "respondent", "unit", "file", "row"]]
    respondents = respondents.reset_index(drop=True).astype({"row": "int64"})
    return RoundData(
        round=name,
        answers=_long_answers(wide, instrument),
        respondents=respondents,
        log=log.frame(),
        tables=tables,
        received=received,
    )


def _long_answers(wide: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """One row per respondent and statement of their role, missing answers too.

    Built with numpy from the wide table (respondents in order, items in
    questionnaire order) as categorical columns: a large round has millions
    of rows, and repeating strings would dominate time and memory.
    """
    if wide.empty:
        return pd.DataFrame(columns=ANSWER_COLUMNS)
    items = instrument.items["item"].tolist()
    unit_codes, units = pd.factorize(wide["unit"], sort=True)
    codes = {key: [] for key in ("role", "respondent", "unit", "item", "points")}
    for role in ROLES:
        rows = np.flatnonzero(wide["role"].to_numpy() == role)
        if not len(rows):
            continue
        role_items = instrument.role_items(role)["item"].tolist()
        n = len(role_items)
        codes["role"].append(np.full(len(rows) * n, ROLES.index(role), dtype="int8"))
        codes["respondent"].append(np.repeat(rows, n))
        codes["unit"].append(np.repeat(unit_codes[rows], n))
        codes["item"].append(np.tile([items.index(i) for i in role_items], len(rows)))
        codes["points"].append(wide[role_items].iloc[rows].to_numpy(
            dtype="float64", na_value=np.nan).ravel())
    joined = {key: np.concatenate(parts) for key, parts in codes.items()}
    return pd.DataFrame({
        "round": pd.Categorical.from_codes(np.zeros(len(joined["role"]), dtype="int8"),
                                           categories=[wide["round"].iloc[0]]),
        "role": pd.Categorical.from_codes(joined["role"], categories=list(ROLES)),
        "respondent": pd.Categorical.from_codes(joined["respondent"],
                                                categories=wide["respondent"].tolist()),
        "unit": pd.Categorical.from_codes(joined["unit"], categories=list(units)),
        "item": pd.Categorical.from_codes(joined["item"], categories=items),
        "points": pd.array(joined["points"], dtype="Float64").astype("Int64"),
    })
