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
import zipfile
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
_ROLE_HEADERS = {"role", "rolle", "rollen", "respondenttype", "respondentgruppe", "gruppe"}
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
_ITEM_ID = re.compile(r"^\s*([A-Za-z])\s*0*(\d{1,3})\s*(?:[.:)\-–]\s*(.*))?$", re.S)
_GRID = re.compile(r"^(.*)\[(.+)\]\s*$", re.S)
_MAX_LOGGED_VALUE = 40


@dataclass
class Table:
    """One sheet or CSV file as read, every cell a string ('' when blank)."""

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
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
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


def _sniff_separator(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        return max(";,\t", key=first.count)


def _read_text(path: Path) -> list[Table]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RoundError(path, f"cannot be read ({exc.strerror}).", "check the file.") from None
    if raw.startswith(b"PK\x03\x04"):
        raise RoundError(path, "is a zip or Excel file with a text file's name.",
                         "rename it to .xlsx if it is an Excel workbook.")
    text, encoding = _decode(path, raw)
    if not text.strip():
        raise RoundError(path, "is empty.", "export the answers again.")
    sep = _sniff_separator(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, dtype=str,
                            keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, csv.Error) as exc:
        raise RoundError(path, f"is not a well-formed CSV file ({exc}).",
                         "open it in a spreadsheet program and save it as CSV again.") from None
    table = Table(path.name, None, frame, header_row=1,
                  detected={"format": "CSV", "encoding": encoding, "separator": sep})
    return [table]


def _read_excel(path: Path) -> list[Table]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str,
                               engine="calamine")
    except (zipfile.BadZipFile, ValueError, OSError, Exception) as exc:  # noqa: B014
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
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


# ------------------------------------------------------------ column level


@dataclass
class _Matcher:
    """Maps header text to statements of one instrument."""

    by_key: dict[str, dict[str, str]]  # role -> text key -> item
    ids: dict[str, str]                # item id key -> item
    sections: set[str]

    @classmethod
    def of(cls, instrument: Instrument) -> _Matcher:
        by_key: dict[str, dict[str, str]] = {role: {} for role in ROLES}
        for row in instrument.items.itertuples():
            for text in (row.da, row.en, *row.spellings):
                by_key[row.role][text_key(text)] = row.item
        ids = {text_key(item): item for item in instrument.items["item"]}
        sections = set()
        for row in instrument.sections.itertuples():
            sections.update(text_key(t) for t in (row.da, row.en, *row.spellings))
        return cls(by_key, ids, sections)

    def statement(self, text: str) -> dict[str, str]:
        """Items (by role) whose statement text is ``text``."""
        key = text_key(text)
        found = {role: keys[key] for role, keys in self.by_key.items() if key in keys}
        if not found:
            grid = _GRID.match(text)
            if grid:
                return self.statement(grid.group(2))
        return found

    def header(self, header: str) -> dict[str, str]:
        """Items (by role) a column header names; empty when none.

        Raises
        ------
        ValueError
            When the header names two different statements of one role, e.g.
            an item id and another item's text.
        """
        match = _ITEM_ID.match(header)
        if match:
            item = self.ids.get(text_key(match.group(1) + f"{int(match.group(2)):02d}"))
            if item is not None:
                rest = (match.group(3) or "").strip()
                if rest:
                    named = self.statement(rest)
                    role = next(r for r in ROLES if item in self.by_key[r].values())
                    if named and named.get(role) != item:
                        other = named.get(role) or next(iter(named.values()))
                        raise ValueError(f"names both {item} (by its id) and {other} "
                                         "(by its text)")
                role = next(r for r in ROLES if item in self.by_key[r].values())
                return {role: item}
        return self.statement(header)


def _header_row(frame: pd.DataFrame, matcher: _Matcher) -> int:
    """0-based index of the row holding the headers (most statement matches)."""
    best, best_hits = None, 0
    for idx in range(min(len(frame), 10)):
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
    nonblank = frame.ne("").any(axis=1)
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
        if role_col is None and (key in _ROLE_HEADERS or _all_role_names(values, instrument)):
            role_col = pos
        elif unit_col is None and any(word in key for word in _UNIT_WORDS):
            unit_col = pos
        elif kind := _personal_kind(key):
            dropped[pos] = f"personal data ({kind})"
        elif key in _METADATA or not key:
            dropped[pos] = "survey metadata" if key else "column without a header"
        else:
            dropped[pos] = "not a statement of the questionnaire"

    # Two columns naming the same statement cannot both be its answer.
    for by_pos in items.values():
        seen: dict[str, int] = {}
        for pos, item in by_pos.items():
            if item in seen:
                raise RoundError(
                    table.label,
                    f"columns {headers[seen[item]]!r} and {headers[pos]!r} both map to "
                    f"statement {item}.",
                    "remove or rename the duplicate column so each statement has one.")
            seen[item] = pos
    return _Plan(items, role_col, unit_col, dropped)


def _all_role_names(values: pd.Series, instrument: Instrument) -> bool:
    present = values[values.str.strip() != ""].unique()
    return len(present) > 0 and all(instrument.role_of_name(v) for v in present)


def _name_role(table: Table, instrument: Instrument) -> str | None:
    """The role a file or sheet name points at, if exactly one."""
    words = re.split(r"[\W_\d]+", f"{Path(table.file).stem} {table.sheet or ''}")
    roles = {instrument.role_of_name(w) for w in words if w} - {None}
    return roles.pop() if len(roles) == 1 else None


# ------------------------------------------------------------- answer level


def answer_points(values: pd.Series, instrument: Instrument) -> tuple[pd.Series, pd.Series]:
    """Turn answer cells into points.

    Labels (Danish or English, any case, stray spaces) and codes written as
    integers, decimals (``4``, ``4.0``, ``4,0``) or text become points;
    blank cells become missing.

    Returns
    -------
    points : Series of Int64
        Points, missing where blank or unreadable.
    invalid : Series of bool
        True where the cell held something that is not an answer.
    """
    labels = {}
    for row in instrument.scale.itertuples():
        labels[text_key(row.da)] = row.points
        labels[text_key(row.en)] = row.points
    top = int(instrument.scale["points"].max())

    def convert(cell: str) -> float:
        cell = cell.replace("\xa0", " ").strip()
        if not cell:
            return np.nan
        key = text_key(cell)
        if key in labels:
            return labels[key]
        try:
            number = float(cell.replace(",", "."))
        except ValueError:
            return -1
        return number if number.is_integer() and 1 <= number <= top else -1

    uniques = pd.unique(values)
    mapping = {u: convert(u) for u in uniques}
    converted = values.map(mapping).astype("float64")
    invalid = converted.eq(-1)
    points = converted.mask(invalid).astype("Int64")
    return points, invalid


# -------------------------------------------------------------- round level


def _table_answers(table: Table, instrument: Instrument, matcher: _Matcher,
                   log: _Log) -> tuple[list[pd.DataFrame], int]:
    """Answers of one table in wide form per role, and the data rows received."""
    frame = table.frame
    header_idx = _header_row(frame, matcher)
    table.header_row += header_idx
    headers = [str(h).strip() for h in frame.iloc[header_idx]]
    body = frame.iloc[header_idx + 1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    # Rows as the user numbers them in a spreadsheet program.
    file_rows = pd.Series(np.arange(len(body)) + table.header_row + 1)

    plan = _plan_columns(table, headers, instrument, matcher, body)
    table.detected.update({
        "header_row": table.header_row,
        "role_column": None if plan.role_col is None else headers[plan.role_col],
        "unit_column": None if plan.unit_col is None else headers[plan.unit_col],
        "dropped_columns": {headers[p]: why for p, why in plan.dropped.items()},
    })
    mapped = {r for r in ROLES if plan.items[r]}
    if not mapped:
        return [], 0

    # Drop blank lines (trailing separators, empty spreadsheet rows) quietly:
    # they are not responses. Every other dropped row is logged below.
    nonblank = body.apply(lambda col: col.str.strip() != "").any(axis=1)
    body, file_rows = body[nonblank], file_rows[nonblank]
    received = len(body)
    for pos, why in plan.dropped.items():
        log.add(table.label, None, headers[pos], "", "dropped column", why)

    # Which rows belong to which role.
    if plan.role_col is not None:
        values = body[plan.role_col]
        row_roles = values.map({v: instrument.role_of_name(v) for v in values.unique()})
        table.detected["role_from"] = f"column {headers[plan.role_col]!r}"
        for idx in row_roles.index[row_roles.isna()]:
            log.add(table.label, int(file_rows[idx]), headers[plan.role_col],
                    body.at[idx, plan.role_col], "dropped row",
                    "role is neither a leader nor an employee name")
    else:
        specific = {r: set(plan.items[r].values()) - _shared(instrument, plan, r)
                    for r in ROLES}
        by_content = [r for r in ROLES if specific[r]]
        by_name = _name_role(table, instrument)
        if len(by_content) == 1:
            role = by_content[0]
            table.detected["role_from"] = "the statements in the columns"
            if by_name and by_name != role:
                log.add(table.label, None, "", "", "note",
                        f"the name suggests {by_name}s, but the columns are the {role} "
                        f"questionnaire: read as {role}s")
        elif len(by_content) == 2:
            raise RoundError(table.label,
                             "has statements of both questionnaires but no role column.",
                             "split it into one file per role, or add a column 'Rolle' "
                             "saying leder or medarbejder on each row.")
        elif by_name:
            role = by_name
            table.detected["role_from"] = "the file or sheet name"
        else:
            raise RoundError(table.label,
                             "holds only statements that both questionnaires share, so "
                             "its role cannot be told.",
                             "put 'ledere' or 'medarbejdere' in the file or sheet name.")
        row_roles = pd.Series(role, index=body.index)
    table.detected["roles"] = [r for r in ROLES if r in set(row_roles.dropna())]
    table.detected["columns"] = {
        role: {headers[pos]: item for pos, item in plan.items[role].items()}
        for role in table.detected["roles"]}

    wides = []
    for role in ROLES:
        rows = row_roles.eq(role).to_numpy()
        if not rows.any():
            continue
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
        part = body[rows]
        wide = pd.DataFrame({"file": table.label, "row": file_rows[rows].to_numpy()})
        wide["role"] = role
        wide["unit"] = (part[plan.unit_col].str.strip().replace("", pd.NA).to_numpy()
                        if plan.unit_col is not None else pd.NA)
        for item in role_items:
            pos = by_item[item]
            points, invalid = answer_points(part[pos], instrument)
            for idx in np.flatnonzero(invalid.to_numpy()):
                log.add(table.label, int(wide.at[idx, "row"]), headers[pos],
                        part[pos].iloc[idx], "set to missing",
                        "not an answer on the scale")
            wide[item] = points.to_numpy()
        wides.append(wide)
    return wides, received


def _shared(instrument: Instrument, plan: _Plan, role: str) -> set[str]:
    """Items of ``role`` whose columns also name an item of the other role."""
    other = [r for r in ROLES if r != role][0]
    shared_pos = set(plan.items[role]) & set(plan.items[other])
    return {plan.items[role][p] for p in shared_pos}


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
        questionnaire, statement columns are missing or ambiguous, or a file
        is corrupt. The message names the file, the problem and the fix.
    """
    instrument = instrument or load_instrument()
    round_dir = Path(round_dir)
    name = round_dir.resolve().name
    matcher = _Matcher.of(instrument)
    log = _Log()

    tables, wides, received = [], [], 0
    for path in find_exports(round_dir):
        file_tables = read_tables(path)
        found_in_file = 0
        for table in file_tables:
            table_wides, table_received = _table_answers(table, instrument, matcher, log)
            if table_wides:
                found_in_file += 1
                wides.extend(table_wides)
                received += table_received
            elif table.sheet is not None:
                log.add(table.label, None, "", "", "ignored sheet",
                        "no statement columns")
            tables.append(table)
        if not found_in_file:
            raise RoundError(
                path.name,
                "matches neither questionnaire: no column header is a statement "
                "of the MUS test or an item id (L01-L20, E01-E20).",
                "check that it is the answer export, with the statements as column "
                "headers, or remove it from the round folder.")

    wide = pd.concat(wides, ignore_index=True)
    return _tidy(name, wide, instrument, log, tables, received)


def _tidy(name: str, wide: pd.DataFrame, instrument: Instrument, log: _Log,
          tables: list[Table], received: int) -> RoundData:
    item_cols = [c for c in wide.columns if c in set(instrument.items["item"])]

    # Rows with no answer at all are not respondents.
    answered = wide[item_cols].notna().any(axis=1)
    for row in wide[~answered].itertuples():
        log.add(row.file, row.row, "", "", "dropped row", "no statement answered")
    wide = wide[answered].copy()

    # Respondent ids: role prefix and a running number, in file order.
    prefix = dict(zip(instrument.roles["role"], instrument.roles["prefix"]))
    wide["respondent"] = (
        wide["role"].map(prefix)
        + (wide.groupby("role").cumcount() + 1).map("{:04d}".format)
    )
    wide["round"] = name
    wide["unit"] = wide["unit"].astype("string")
    respondents = wide[["round", "role", "respondent", "unit", "file", "row"]]
    respondents = respondents.reset_index(drop=True).astype({"row": "int64"})

    # Long form: every statement of the respondent's role, missing ones too.
    answers = pd.concat(
        [group.melt(id_vars=["round", "role", "respondent", "unit"],
                    value_vars=instrument.role_items(role)["item"].tolist(),
                    var_name="item", value_name="points")
         for role, group in wide.groupby("role", sort=False)],
        ignore_index=True,
    ).astype({"points": "Int64"})
    answers = answers.sort_values(["role", "respondent", "item"], kind="stable")
    return RoundData(
        round=name,
        answers=answers[ANSWER_COLUMNS].reset_index(drop=True),
        respondents=respondents,
        log=log.frame(),
        tables=tables,
        received=received,
    )
