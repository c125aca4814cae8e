"""Read a round folder of survey exports into tidy answers.

A round folder holds the exports of one MUS round: CSV or Excel files, one
per role, one workbook with a sheet per role, or one table with a role
column, as Microsoft Forms, Google Forms, Qualtrics, SurveyXact, SurveyMonkey,
LimeSurvey or a spreadsheet program write them. :func:`read_round` finds the
tables, works out which column holds which statement and which rows belong
to which role, turns every answer into points and returns the answers in long
form together with a cleaning log. What a tool writes around its answers
(extra header rows, metadata, label sheets) is the business of
:mod:`mus_analysis.formats`; what cannot be detected, the round says in its
``round.toml`` (:mod:`mus_analysis.settings`).

Nothing is changed or dropped silently: every dropped column, dropped row and
unreadable answer is a row of the cleaning log. Columns that are neither a
statement, the role nor the unit (names, e-mail addresses, IP addresses,
timestamps, free text) are dropped when read and never leave this module.
Files are named relative to the round folder, in messages and in the log.
Exports are untrusted: each file is checked before it is parsed
(:mod:`mus_analysis.guard`), so a hostile or broken one stops the round with
a one-line error instead of a hang or a memory blow-up.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import formats, guard
from .errors import RoundError
from .formats import EXCEL_SUFFIXES, TEXT_SUFFIXES, Table, read_tables  # noqa: F401 - API
from .instrument import ROLES, Instrument, load_instrument, text_key
from .settings import SETTINGS_FILE, RoundSettings, column_letter, is_column_letter, load_settings

# Text files that may as well be notes: ignored (and logged) when they hold no statements.
NOTE_SUFFIXES = {".txt"}
LOG_COLUMNS = ["file", "row", "column", "value", "action", "reason"]
ANSWER_COLUMNS = ["round", "role", "respondent", "unit", "item", "points"]
RESPONDENT_COLUMNS = ["round", "role", "respondent", "unit", "file", "row", "source_id"]

# Header words, compared as text keys (letters and digits only, lower case).
_ROLE_HEADERS = {"role", "rolle", "rollen"}
# Headers that may mean the role or something else (a team): the role column
# only when some of its values name a role.
_GROUP_HEADERS = {"respondenttype", "respondentgruppe", "gruppe", "group"}
_UNIT_WORDS = ("enhed", "afdeling", "unit", "department", "kontor", "team", "sektion")
# Unit headers that hold a personal word ("navn") but name a unit, not a person.
_UNIT_HEADERS = {
    "enhed", "enheder", "enhedsnavn", "afdeling", "afdelingsnavn", "afd", "unit", "unitname",
    "department", "departmentname", "kontor", "kontornavn", "team", "teamnavn", "teamname",
    "sektion", "sektionsnavn", "hvilkenenhed", "hvilkenafdeling", "hvilkenenhederduansati",
    "hvilkenafdelingerduansati", "hvilketkontorerduansati", "hvilketteamerduansati",
    "hvilkenenhedarbejderdui", "hvilkenafdelingarbejderdui", "whichunitdoyouworkin",
    "whichdepartmentdoyouworkin",
}
_PERSONAL = (
    ("e-mail address", ("mail",)),
    ("name", ("navn", "name", "fornavn", "efternavn")),
    ("IP address", ("ipaddress", "ipadresse", "ipaddr")),
    ("free text", ("kommentar", "comment", "bemærk", "fritekst", "uddyb", "andet")),
    ("location", ("latitude", "longitude")),
    ("token", ("token",)),
)
# SurveyXact's status variables: statoverall_1, statoverall_4, ...
_STATUS_VARIABLE = re.compile(r"^stat(overall)?\d*$")
# Headers of the column in which a tool gives each response its id: Microsoft
# Forms' Id, Qualtrics' ResponseId, SurveyMonkey's Respondent ID, LimeSurvey's
# id or Response ID, SurveyXact's respondentid, a spreadsheet's Løbenr.
_ID_HEADERS = {"id", "responseid", "respondentid", "respid", "løbenr", "løbenummer"}
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Phone numbers, CPR numbers, dates: six digits or more, maybe spaced or dashed.
_NUMBER = re.compile(r"\+?\d(?:[ ./-]?\d){5,}")
# Two capitalised words in a row: a person's name.
_NAME = re.compile(r"\b[A-ZÆØÅÄÖÜ][a-zæøåäöüé]+\s+[A-ZÆØÅÄÖÜ][a-zæøåäöüé]+")
_MASKS = re.compile(r"<e-mail address>|<number>")
_MAX_LOGGED_VALUE = 40
_MAX_LOGGED_CELL = 12
_HEADER_SEARCH_ROWS = formats.HEADER_SEARCH_ROWS
# Rows looked at before a whole column when telling what a column holds.
_FIRST_ROWS = 1_000


@dataclass
class WideAnswers:
    """A round's answers in wide form, as read: one row per respondent.

    What scoring uses (:func:`mus_analysis.score.score_round`), and what the
    long table :attr:`RoundData.answers` is built from.

    Attributes
    ----------
    round : str
        The round's name.
    respondent : ExtensionArray of str
        The respondents' ids, in the order of :attr:`RoundData.respondents`.
    role : ndarray of int
        Each respondent's role, as its position in ``ROLES``.
    unit : ExtensionArray of string
        Each respondent's unit; missing where the export has none.
    points : ndarray of float
        Respondents by statements: column ``k`` holds the points of the
        ``k``-th statement of the respondent's role (questionnaire order);
        NaN where the answer was blank or unreadable.
    items : dict of str to list of str
        Each role's items, in questionnaire order.
    order : list of str
        Every item of the questionnaire, in its order.
    """

    round: str
    respondent: pd.api.extensions.ExtensionArray
    role: np.ndarray
    unit: pd.api.extensions.ExtensionArray
    points: np.ndarray
    items: dict[str, list[str]]
    order: list[str]

    def long(self) -> pd.DataFrame:
        """The answers in long form (:attr:`RoundData.answers`).

        One row per respondent and statement of their role, missing answers
        too, role by role in ``ROLES`` order and respondents in order within
        a role. Columns are categorical: a large round has millions of rows,
        and repeating strings would dominate time and memory.
        """
        rows = np.argsort(self.role, kind="stable")
        n_items = self.points.shape[1]
        index = {item: pos for pos, item in enumerate(self.order)}
        by_role = np.array([[index[item] for item in self.items[role]] for role in ROLES])
        unit_codes, units = pd.factorize(self.unit, sort=True)
        role = self.role[rows]
        return pd.DataFrame({
            "round": pd.Categorical.from_codes(np.zeros(len(rows) * n_items, dtype="int8"),
                                               categories=[self.round]),
            "role": pd.Categorical.from_codes(np.repeat(role, n_items), categories=list(ROLES)),
            "respondent": pd.Categorical.from_codes(np.repeat(rows, n_items),
                                                    categories=self.respondent.tolist()),
            "unit": pd.Categorical.from_codes(np.repeat(unit_codes[rows], n_items),
                                              categories=list(units)),
            "item": pd.Categorical.from_codes(by_role[role].ravel(), categories=self.order),
            "points": _int_array(self.points[rows].ravel()),
        })


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
        missing where the answer was blank or unreadable). For a round read
        by :func:`read_round` it is built from ``wide`` when first used, and
        kept.
    respondents : DataFrame
        One row per respondent: ``round``, ``role``, ``respondent``, ``unit``,
        ``file`` and ``row`` (where the answers came from) and ``source_id``,
        the response's id in the export's id column (``Id``, ``ResponseId``,
        ``Respondent ID``, ...; never an e-mail address), ``""`` when the
        export has none. It names a response in the survey tool, so it stays
        in memory: :func:`mus_analysis.pseudonym.pseudonymise` replaces it by
        a keyed hash before anything is written.
    log : DataFrame
        The cleaning log: ``file``, ``row``, ``column``, ``value``, ``action``,
        ``reason``.
    tables : list of Table
        What was detected in each table (layout, encoding, columns).
    received : int
        Data rows received over all tables, before any row was dropped.
    settings : RoundSettings
        The round's settings (its ``round.toml``, or the defaults).
    wide : WideAnswers or None
        The same answers in wide form, row for row ``respondents``, as
        :func:`read_round` reads them; scoring goes by them
        (:func:`mus_analysis.score.score_round`). Building or setting
        ``answers`` sets it to None: the long table may be edited from then
        on, so it is what counts. ``answers`` may be None when ``wide`` is
        given.
    """

    round: str
    answers: pd.DataFrame
    respondents: pd.DataFrame
    log: pd.DataFrame
    tables: list[Table]
    received: int
    settings: RoundSettings = field(default_factory=RoundSettings)
    wide: WideAnswers | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._answers is not None:
            self.wide = None
        elif self.wide is None:
            raise ValueError("RoundData needs its answers, long or wide.")


def _built_answers(data: RoundData) -> pd.DataFrame:
    if data._answers is None:
        data._answers = data.wide.long()
        data.wide = None  # the table handed out may be edited: from now on it counts
    return data._answers


def _set_answers(data: RoundData, answers: pd.DataFrame | None) -> None:
    data._answers = answers
    data.wide = None


RoundData.answers = property(_built_answers, _set_answers,
                             doc="The answers in long form (see :class:`RoundData`).")


class _Log:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def add(self, file, row, column, value, action, reason) -> None:
        """Log a value a tool wrote (a status, a sheet name)."""
        value = "" if value is None else str(value)
        # The log is shared with the report: it must not carry e-mail addresses.
        value = _EMAIL.sub("<e-mail address>", value)
        if len(value) > _MAX_LOGGED_VALUE:
            value = f"<text of {len(value)} characters>"
        self.rows.append(dict(zip(LOG_COLUMNS, (file, row, column, value, action, reason))))

    def add_cell(self, file, row, column, value, action, reason) -> None:
        """Log a value a respondent typed: only what looks like an attempt at an answer."""
        self.rows.append(dict(zip(LOG_COLUMNS, (file, row, column, typed_value(value),
                                                action, reason))))

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=LOG_COLUMNS)
        return frame.astype({"row": "Int64"})


def typed_value(value: object) -> str:
    """What the cleaning log shows of a cell a respondent filled in.

    An answer cell or role cell that is not on the scale is logged so the
    analyst can see what went wrong: ``Ved ikke``, ``6``, ``3,5``,
    ``SjÃ¦ldent``. Free text typed instead (a name, a comment, a phone
    number) is not the log's business. The rule: e-mail addresses become
    ``<e-mail address>`` and runs of six or more digits (phone and CPR
    numbers, dates) ``<number>``; what is left is shown when it is at most
    12 characters, has no ``@`` and no two capitalised words in a row (a
    name); otherwise the cell is shown as ``<text of N characters>``.

    Notes
    -----
    A single short word is shown even when it is a first name ("Bent"):
    the rule cannot tell it from an answer typed in other words.
    """
    text = "" if value is None else str(value)
    shown = _NUMBER.sub("<number>", _EMAIL.sub("<e-mail address>", text))
    typed = _MASKS.sub("", shown)
    if len(typed) > _MAX_LOGGED_CELL or "@" in typed or _NAME.search(typed):
        return f"<text of {len(text)} characters>"
    return shown


# --------------------------------------------------------------- file level


def find_exports(round_dir: Path) -> list[Path]:
    """The export files of a round folder and its sub-folders, in name order.

    Hidden files and folders and spreadsheet lock files (``~$...``) are
    skipped, and so are files that are no CSV or Excel export (see
    :func:`other_files`).
    """
    round_dir = Path(round_dir)
    if not round_dir.is_dir():
        raise RoundError(round_dir, "is not a folder.",
                         "give the path of a round folder, e.g. data/raw/2025.")
    paths = []
    for path in _visible_files(round_dir):
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES | TEXT_SUFFIXES:
            paths.append(path)
        elif suffix in {".xls", ".ods", ".numbers"}:
            raise RoundError(_name(path, round_dir), f"{suffix} files cannot be read.",
                             "open it and save it as .xlsx or as CSV UTF-8.")
    if not paths:
        raise RoundError(round_dir, "holds no CSV or Excel (.xlsx) file.",
                         "put the survey tool's answer exports in the folder.")
    return paths


def other_files(round_dir: Path, settings: RoundSettings) -> list[str]:
    """Files of the round folder that are neither exports nor its settings."""
    own = {SETTINGS_FILE}
    if settings.instrument is not None:
        own.add(_name(settings.instrument, round_dir))
    return [name for path in _visible_files(round_dir)
            if path.suffix.lower() not in EXCEL_SUFFIXES | TEXT_SUFFIXES
            and (name := _name(path, round_dir)) not in own]


def _visible_files(round_dir: Path) -> list[Path]:
    """The round folder's files, hidden ones and lock files aside.

    Links are not followed out of the folder: a link to a file or folder
    elsewhere is refused (:func:`mus_analysis.guard.check_link`). Anything
    that is not a regular file (a pipe, a device) is passed over unopened.
    """
    found = []
    root = round_dir.resolve()
    for path in round_dir.rglob("*"):
        parts = path.relative_to(round_dir).parts
        if any(p.startswith(".") for p in parts) or path.name.startswith("~$"):
            continue
        guard.check_link(path, root, Path(*parts).as_posix())
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(round_dir).parts)


def _name(path: Path, round_dir: Path) -> str:
    """A file's name relative to the round folder, as messages and the log give it.

    A link in the round folder is named as it is, not as what it points to.
    """
    for resolve in (os.path.abspath, os.path.realpath):
        try:
            return Path(resolve(path)).relative_to(resolve(round_dir)).as_posix()
        except ValueError:
            pass
    return Path(path).name


def _nonblank_rows(frame: pd.DataFrame) -> pd.Series:
    """True for rows with at least one cell that is not blank.

    Column by column, only the rows still blank are looked at: in an export
    of answers the first columns settle nearly every row. Categorical columns
    go first, as their few distinct values are looked at instead of every cell.
    """
    found = np.zeros(len(frame), dtype=bool)
    columns = [frame.iloc[:, pos] for pos in range(frame.shape[1])]
    columns.sort(key=lambda column: not isinstance(column.dtype, pd.CategoricalDtype))
    for column in columns:
        todo = np.flatnonzero(~found)
        if not len(todo):
            break
        if isinstance(column.dtype, pd.CategoricalDtype) and not column.hasnans:
            filled = column.cat.categories.str.strip() != ""
            found[todo] = filled[column.cat.codes.to_numpy()[todo]]
            continue
        cells = column if len(todo) == len(found) else column.iloc[todo]
        found[todo] = (cells.str.strip() != "").to_numpy(dtype=bool)
    return pd.Series(found, index=frame.index)


# ------------------------------------------------------------ column level


class _Mapping:
    """The round.toml column mapping that applies to one table."""

    def __init__(self, settings: RoundSettings, table: Table) -> None:
        self.entries = settings.columns_of(table.file, table.sheet)
        self.by_key = {text_key(key): key for key in self.entries}
        self.header_keys = {k for k, key in self.by_key.items() if not is_column_letter(key)}
        self.used: set[tuple[str, str]] = set()

    def names(self, header: str) -> bool:
        """Whether a cell is a header the mapping names (column letters aside)."""
        return text_key(header) in self.header_keys

    def target(self, pos: int, candidates: tuple[str, ...],
               header_keys: set[str]) -> tuple[str, str | int] | None:
        """``(key, item id or statement number)`` the mapping gives a column, if any."""
        for name in candidates:
            if (key := self.by_key.get(text_key(name))) is not None:
                break
        else:
            # A column letter, unless some column of the table is headed by it.
            key = column_letter(pos)
            if key not in self.entries or text_key(key) in header_keys \
                    or not is_column_letter(key):
                return None
        where, target = self.entries[key]
        self.used.add((where, key))
        return key, target

    def unused(self) -> list[tuple[str, str]]:
        """``(where, key)`` of the entries that named no column of the table."""
        return [(where, key) for key, (where, _) in self.entries.items()
                if (where, key) not in self.used]


def _header_row(frame: pd.DataFrame, top: pd.DataFrame, matcher: formats.Matcher,
                mapping: _Mapping) -> int:
    """0-based index of the row holding the headers (most statement matches).

    ``top`` holds the frame's first rows as plain cells.
    """
    best, best_hits = None, 0
    for idx, row in enumerate(top.iloc[:_HEADER_SEARCH_ROWS].itertuples(index=False)):
        hits = sum(formats.names_statement(matcher, cell) or mapping.names(cell)
                   for cell in row)
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
    id_col: int | None = None          # the export's response id (dropped, kept in memory)
    # Statements both forms share that have one column per role (a table with
    # a role column): the positions, assigned to roles once rows have roles.
    shared: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    # Columns round.toml maps to a statement number of the table's role.
    numbered: dict[int, int] = field(default_factory=dict)
    mapped: dict[int, str] = field(default_factory=dict)  # position -> round.toml key
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # round.toml keys unused

    @property
    def kept(self) -> list[int]:
        """Positions of the statement, role and unit columns."""
        keep = {pos for by_pos in self.items.values() for pos in by_pos}
        keep.update(pos for group in self.shared.values() for pos in group)
        keep.update(self.numbered)
        keep.update(pos for pos in (self.role_col, self.unit_col) if pos is not None)
        return sorted(keep)


def _plan_columns(table: Table, layout: formats.Layout, body: pd.DataFrame,
                  ctx: _Context, mapping: _Mapping) -> _Plan:
    items: dict[str, dict[int, str]] = {role: {} for role in ROLES}
    plan = _Plan(items, None, None, {})
    header_keys = {text_key(name) for name in layout.names}
    unit_cols = _unit_columns(layout, header_keys, ctx)
    for pos, name in enumerate(layout.names):
        candidates = layout.candidates[pos] or (name,)
        if (mapped := mapping.target(pos, candidates, header_keys)) is not None:
            key, target = mapped
            plan.mapped[pos] = key
            if isinstance(target, int):
                plan.numbered[pos] = target
            elif target in ctx.matcher.role_of:
                items[ctx.matcher.role_of[target]][pos] = target
            else:
                raise RoundError(SETTINGS_FILE, f"[columns] maps {key!r} to {target}, which "
                                 "is not an item of the questionnaire read.",
                                 "map it to an item id of the instrument in use.")
            continue
        named = _column_statements(table, name, candidates, ctx.matcher)
        if named:
            for role, item in named.items():
                items[role][pos] = item
            continue
        keys = [text_key(c) for c in candidates] or [""]
        values = body.iloc[:, pos]
        if plan.role_col is None and _is_role_column(keys, values, ctx.instrument):
            plan.role_col = pos
        elif plan.unit_col is None and (pos in unit_cols if unit_cols is not None
                                        else _is_unit_column(keys)):
            plan.unit_col = pos
        elif kind := next(filter(None, map(_personal_kind, keys)), None):
            plan.dropped[pos] = f"personal data ({kind})"
        elif any(k in formats.METADATA or _STATUS_VARIABLE.match(k) for k in keys):
            plan.dropped[pos] = "survey metadata"
            if plan.id_col is None and _is_id_column(keys, values):
                plan.id_col = pos
        elif not any(keys):
            plan.dropped[pos] = "column without a header"
        else:
            plan.dropped[pos] = "not a statement of the questionnaire"
    if unit_cols:
        ctx.units_found.add(table.label)
    _set_aside_shared(table, layout.names, plan)
    return plan


def _column_statements(table: Table, name: str, candidates: tuple[str, ...],
                       matcher: formats.Matcher) -> dict[str, str]:
    """Items (by role) the first candidate header that names any does name."""
    for candidate in candidates:
        try:
            named = matcher.header(candidate)
        except ValueError as exc:
            raise RoundError(table.label, f"column {name!r} {exc}.",
                             "give the column one statement's id or text, or map it in "
                             "round.toml [columns].") from None
        if named:
            return named
    return {}


def _unit_columns(layout: formats.Layout, header_keys: set[str], ctx: _Context) -> set | None:
    """Positions round.toml's ``unit`` names; None when the round leaves it to detection."""
    if ctx.settings.unit is None:
        return None
    wanted = {text_key(u) for u in ctx.settings.unit}
    found = set()
    for pos, candidates in enumerate(layout.candidates):
        letter = column_letter(pos)
        if wanted & {text_key(c) for c in candidates} or (
                letter in ctx.settings.unit and text_key(letter) not in header_keys):
            found.add(pos)
    return found


def _is_id_column(keys: list[str], values: pd.Series) -> bool:
    """Whether a metadata column holds the tool's response ids (never e-mail addresses)."""
    return any(key in _ID_HEADERS for key in keys) \
        and not values.str.contains("@", regex=False).any()


def _source_ids(values: pd.Series) -> np.ndarray:
    """Response ids as text: stripped, and ``7.0`` (a number in a workbook) as ``7``."""
    ids = values.astype("str").str.strip().str.replace(r"^(-?\d+)[.,]0+$", r"\1", regex=True)
    return ids.to_numpy(dtype=object)


def _is_unit_column(keys: list[str]) -> bool:
    """A unit header; personal words (a leader's name) win over unit words."""
    if any(key in _UNIT_HEADERS for key in keys):
        return True
    if any(_personal_kind(key) for key in keys):
        return False
    return any(word in key for key in keys for word in _UNIT_WORDS)


def _set_aside_shared(table: Table, headers: list[str], plan: _Plan) -> None:
    """Check that no statement has two columns, except shared ones in a role table.

    A form for both roles asks the statements both questionnaires share twice,
    so their text heads two columns. With a role column, which is whose is
    told later by who answered them (:func:`_assign_shared`).
    """
    if plan.role_col is None:
        _refuse_both_without_role(table, plan)
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
                _duplicate(table, headers, group, item)
            plan.shared[pair] = group
    for group in plan.shared.values():
        for by_pos in plan.items.values():
            for pos in group:
                by_pos.pop(pos, None)


def _refuse_both_without_role(table: Table, plan: _Plan) -> None:
    """Refuse a table with statements only one form or the other has, and no role column.

    Said before anything about its columns: two columns of a statement both
    forms share are what such a table has, not the problem to fix.
    """
    if all(set(plan.items[role]) - set(plan.items[other])
           for role, other in (ROLES, ROLES[::-1])):
        raise RoundError(table.label,
                         "has statements of both questionnaires but no role column.",
                         "split it into one file per role, or add a column 'Rolle' "
                         "saying leder or medarbejder on each row.")


def _duplicate(table: Table, headers: list[str], group: list[int], item: str) -> None:
    first, second = (headers[p] for p in sorted(group)[:2])
    raise RoundError(table.label,
                     f"columns {first!r} and {second!r} both map to statement {item}.",
                     "remove or rename the duplicate column so each statement has one.")


def _is_role_column(keys: list[str], values: pd.Series, instrument: Instrument) -> bool:
    """Whether a column with header keys ``keys`` says each row's role."""
    if any(key in _ROLE_HEADERS for key in keys):
        return True
    group = any(key in _GROUP_HEADERS for key in keys)
    # The first rows first: a column of names or timestamps is settled by them.
    for part in (values.iloc[:_FIRST_ROWS], values):
        present = part[part.str.strip() != ""].unique()
        names_role = (instrument.role_of_name(v) is not None for v in present)
        if group and any(names_role):
            return True
        if not group and not all(names_role):
            return False
        if len(part) == len(values):
            break
    return not group and len(present) > 0


def _name_role(table: Table, instrument: Instrument) -> str | None:
    """The role a file, folder or sheet name points at, if exactly one."""
    path = Path(table.file)
    names = " ".join([*path.parent.parts, path.stem, table.sheet or ""])
    words = re.split(r"[\W_\d]+", names)
    roles = {instrument.role_of_name(w) for w in words if w} - {None}
    return roles.pop() if len(roles) == 1 else None


# ------------------------------------------------------------- answer level


def _converter(instrument: Instrument, codes: str = "1-5"):
    """A function from one answer cell to points (nan: blank, -1: not an answer)."""
    labels = formats.scale_labels(instrument)
    low, top = int(instrument.scale["points"].min()), int(instrument.scale["points"].max())
    shift = 1 if codes == "0-4" else 0

    def convert(cell: object) -> float:
        cell = "" if pd.isna(cell) else str(cell).strip()
        if not cell:
            return np.nan
        key = text_key(cell)
        if key in labels:
            return labels[key]
        code = formats.CODE.match(cell)
        if code and low <= int(code.group(1)) + shift <= top:
            return int(code.group(1)) + shift
        a_code = formats.A_CODE.match(cell) if codes == "A1-A5" else None
        if a_code and low <= int(a_code.group(1)) <= top:
            return int(a_code.group(1))
        return -1

    return convert


def answer_points(values: pd.Series, instrument: Instrument, *,
                  codes: str = "1-5") -> tuple[pd.Series, pd.Series]:
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
    codes : {"1-5", "0-4", "A1-A5"}, default "1-5"
        How numbers are coded: ``"0-4"`` reads 0 as the first answer
        (Aldrig); ``"A1-A5"`` also reads LimeSurvey's answer codes ``A1``..
        ``A5`` (or ``AO01``..) by their position on the scale.

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
    codes_of, uniques = pd.factorize(values, use_na_sentinel=False)
    convert = _converter(instrument, codes)
    by_code = np.array([convert(value) for value in uniques], dtype="float64")
    converted = pd.Series(by_code[codes_of], index=values.index)
    invalid = converted.eq(-1)
    points = converted.mask(invalid).astype("Int64")
    return points, invalid


# -------------------------------------------------------------- table level


@dataclass
class _Context:
    """What reading one round needs at every step."""

    instrument: Instrument
    matcher: formats.Matcher
    settings: RoundSettings
    log: _Log
    mapped: set = field(default_factory=set)       # (where, key) of round.toml [columns] used
    units_found: set = field(default_factory=set)  # tables with a unit column round.toml named


def _table_answers(table: Table, ctx: _Context) -> list[_Answers] | None:
    """Answers of one table in wide form, one part per role found.

    Returns None when the table has no statement columns. A frame may have
    no rows when the table has a header but no answers.
    """
    frame = table.frame
    if frame.empty:
        return None
    mapping = _Mapping(ctx.settings, table)
    layout = _layout(table, ctx, mapping)
    base = table.header_row  # file row of the frame's first row
    table.header_row = base + layout.main
    headers = layout.names
    if Path(table.file).suffix.lower() not in NOTE_SUFFIXES:
        formats.check_double_encoding(table.label, headers)
    body = frame.iloc[layout.first_body_row:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    if table.metadata is not None:
        body = _labelled(body, headers, table.metadata)
    # Rows as the user numbers them in a spreadsheet program.
    file_rows = pd.Series(np.arange(len(body)) + base + layout.first_body_row)

    plan = _plan_columns(table, layout, body, ctx, mapping)
    ctx.mapped |= mapping.used
    plan.unmapped = mapping.unused()
    # Keys set for this table alone (a CSV file, a one-sheet workbook or a sheet)
    # must name one of its columns; the others may name columns of other tables.
    own = "columns." + _toml_key(table.file if table.sheet is None
                                 else f"{table.file}:{table.sheet}")
    for where, key in plan.unmapped:
        if where == own:
            raise RoundError(SETTINGS_FILE,
                             f"`{where}` maps {key!r}, which is neither a column header nor a "
                             f"column letter of {table.label}.", _UNUSED_FIX)
    # Only the columns read leave the reader; the rest may be personal data.
    table.frame = frame.iloc[:, plan.kept]
    table.detected.update({
        "layout": layout.tool or "table",
        "header_row": table.header_row,
        "header_rows": [base + r for r in layout.header_rows],
        "role_column": None if plan.role_col is None else headers[plan.role_col],
        "unit_column": None if plan.unit_col is None else headers[plan.unit_col],
        "dropped_columns": {headers[p]: why for p, why in plan.dropped.items()},
        "mapped": {headers[p]: key for p, key in plan.mapped.items()},
    })
    if not any(plan.items.values()) and not plan.shared and not plan.numbered:
        return None

    # Drop blank lines (trailing separators, empty spreadsheet rows) quietly:
    # they are not responses. Every other dropped row is logged.
    nonblank = _nonblank_rows(body)
    body, file_rows = body[nonblank], file_rows[nonblank]
    table.detected["rows"] = len(body)
    for pos, why in plan.dropped.items():
        ctx.log.add(table.label, None, headers[pos], "", "dropped column", why)
    body, file_rows = _drop_excluded(table, layout, body, file_rows, ctx.log)

    row_roles, roles = _row_roles(table, headers, plan, body, file_rows, ctx)
    _assign_shared(table, headers, plan, body, row_roles)
    table.detected["roles"] = roles
    table.detected["columns"] = {
        role: {headers[pos]: item for pos, item in plan.items[role].items()} for role in roles}

    positions = sorted({pos for role in roles for pos in plan.items[role]})
    columns = {pos: _factorized(body[pos]) for pos in positions}
    codes = formats.answer_codes(table.label, [c.present for c in columns.values()],
                                  ctx.instrument, ctx.settings.answer_codes)
    table.detected["answer_codes"] = codes
    if table.metadata is not None:
        for pos in positions:
            if (labels := table.metadata.labels.get(headers[pos])) is not None:
                formats.check_labels(table.label, headers[pos], labels, ctx.instrument)
    convert = _converter(ctx.instrument, codes)
    points = {pos: np.array([convert(u) for u in coded.values], dtype="float64")
              for pos, coded in columns.items()}
    rows_of = {role: row_roles.eq(role).to_numpy() for role in roles}
    return [_role_answers(table, headers, plan, role, body, rows, file_rows, columns,
                          points, ctx)
            for role, rows in rows_of.items()]


def _layout(table: Table, ctx: _Context, mapping: _Mapping) -> formats.Layout:
    """The table's layout; a SurveyXact dataset's columns also go by their texts."""
    # The rows a header and a layout may take, as plain cells, once: rows across
    # categorical columns are slow to take one by one.
    top = table.frame.iloc[:_HEADER_SEARCH_ROWS + formats.LAYOUT_ROWS].astype(object)
    main = _header_row(table.frame, top, ctx.matcher, mapping)
    if main + formats.LAYOUT_ROWS > len(top):  # a header found below the rows searched
        top = table.frame.iloc[:main + formats.LAYOUT_ROWS].astype(object)
    layout = formats.detect_layout(top, main)
    if table.metadata is not None:
        texts = table.metadata.texts
        layout.tool = "SurveyXact"
        table.detected["texts"] = {name: texts[name] for name in layout.names if name in texts}
        layout.candidates = [
            cands + ((texts[name],) if name in texts else ())
            for name, cands in zip(layout.names, layout.candidates)]
        table.detected["metadata"] = list(table.metadata.sources)
    return layout


def _labelled(body: pd.DataFrame, headers: list[str], meta: formats.Metadata) -> pd.DataFrame:
    """SurveyXact's codes replaced by their labels, in every column that has labels."""
    body = body.copy()
    for pos, name in enumerate(headers):
        if name in meta.labels:
            body[pos] = formats.apply_labels(body[pos], meta.labels[name])
    return body


def _drop_excluded(table: Table, layout: formats.Layout, body: pd.DataFrame,
                   file_rows: pd.Series, log: _Log) -> tuple[pd.DataFrame, pd.Series]:
    """Drop the rows the tool marks as not a respondent's (previews, spam), logged."""
    excluded = formats.excluded_rows(layout, body)
    for idx, pos, value, reason in excluded:
        log.add(table.label, int(file_rows[idx]), layout.names[pos], value, "dropped row",
                reason)
    table.detected["excluded_rows"] = len(excluded)
    if not excluded:
        return body, file_rows
    keep = ~body.index.isin([idx for idx, *_ in excluded])
    return body[keep], file_rows[keep]


def _row_roles(table: Table, headers: list[str], plan: _Plan, body: pd.DataFrame,
               file_rows: pd.Series, ctx: _Context) -> tuple[pd.Series, list[str]]:
    """The role of each row, and the roles the table holds."""
    if plan.role_col is None:
        role = _content_role(table, plan, ctx)
        _number_columns(table, headers, plan, role, ctx.instrument)
        # Categorical: one role for every row, compared at the cost of one.
        same = pd.Categorical.from_codes(np.zeros(len(body), dtype=np.int8), categories=[role])
        return pd.Series(same, index=body.index), [role]

    if declared := ctx.settings.role_of(table.file, table.sheet):
        raise RoundError(SETTINGS_FILE,
                         f"`roles.{declared}` names {table.label}, which has a role column "
                         f"({headers[plan.role_col]!r}) saying each row's role.",
                         f"remove {table.label!r} from [roles].")
    if plan.numbered:
        pos = next(iter(plan.numbered))
        raise RoundError(table.label,
                         f"round.toml maps column {headers[pos]!r} to statement number "
                         f"{plan.numbered[pos]}, but the table holds both roles.",
                         "map its columns to item ids such as L01 or E01 instead.")
    values = body[plan.role_col]
    row_roles = values.map({v: ctx.instrument.role_of_name(v) for v in values.unique()})
    table.detected["role_from"] = f"column {headers[plan.role_col]!r}"
    for idx in row_roles.index[row_roles.isna()]:
        ctx.log.add_cell(table.label, int(file_rows[idx]), headers[plan.role_col],
                    body.at[idx, plan.role_col], "dropped row",
                    "role is neither a leader nor an employee name")
    present = set(row_roles.dropna())
    return row_roles, [r for r in ROLES if r in present]


def _content_role(table: Table, plan: _Plan, ctx: _Context) -> str:
    """The role of a table without a role column: from round.toml, its statements,
    else its name."""
    specific = {r: set(plan.items[r].values()) - _shared(plan, r) for r in ROLES}
    by_content = [r for r in ROLES if specific[r]]
    declared = ctx.settings.role_of(table.file, table.sheet)
    if declared:
        if by_content and declared not in by_content:
            raise RoundError(SETTINGS_FILE,
                             f"`roles.{declared}` names {table.label}, but its columns are "
                             f"the {by_content[0]} questionnaire.",
                             f"name it under roles.{by_content[0]}, or check its columns.")
        if len(by_content) < 2:
            table.detected["role_from"] = f"round.toml roles.{declared}"
            return declared
    by_name = _name_role(table, ctx.instrument)
    if len(by_content) == 2:
        raise RoundError(table.label,
                         "has statements of both questionnaires but no role column.",
                         "split it into one file per role, or add a column 'Rolle' "
                         "saying leder or medarbejder on each row.")
    if by_content:
        role = by_content[0]
        table.detected["role_from"] = "the statements in the columns"
        if by_name and by_name != role:
            ctx.log.add(table.label, None, "", "", "note",
                        f"the name suggests {by_name}s, but the columns are the {role} "
                        f"questionnaire: read as {role}s")
        return role
    if by_name:
        table.detected["role_from"] = "the file or sheet name"
        return by_name
    if plan.numbered:
        raise RoundError(table.label,
                         "round.toml maps its columns by statement number, but its role "
                         "cannot be told.",
                         f"name the file under [roles] in round.toml, e.g. leader = "
                         f"{table.file!r}.")
    raise RoundError(table.label,
                     "holds only statements that both questionnaires share, so "
                     "its role cannot be told.",
                     "put 'ledere' or 'medarbejdere' in the file or sheet name, or name "
                     "it under [roles] in round.toml.")


def _number_columns(table: Table, headers: list[str], plan: _Plan, role: str,
                    instrument: Instrument) -> None:
    """Turn the columns round.toml maps by statement number into the role's items."""
    role_items = instrument.role_items(role)["item"].tolist()
    for pos, number in plan.numbered.items():
        item = role_items[number - 1]
        taken = [p for p, i in plan.items[role].items() if i == item]
        if taken:
            _duplicate(table, headers, [taken[0], pos], item)
        plan.items[role][pos] = item
    plan.numbered = {}


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


class _Answers(NamedTuple):
    """Answers in wide form: where each row came from, and its points."""

    rows: pd.DataFrame   # file, row, role, unit, source_id
    points: np.ndarray   # rows by the role's statements in questionnaire order; NaN blank

    @classmethod
    def joined(cls, parts: list[_Answers], n_items: int) -> _Answers:
        if len(parts) == 1:
            return parts[0]
        if not parts:
            return cls(pd.DataFrame(columns=["file", "row", "role", "unit", "source_id"]),
                       np.empty((0, n_items)))
        return cls(pd.concat([p.rows for p in parts], ignore_index=True),
                   np.concatenate([p.points for p in parts]))

    def take(self, keep: np.ndarray) -> _Answers:
        """The rows ``keep`` selects: a mask, or positions in the order wanted."""
        return _Answers(self.rows.iloc[keep].reset_index(drop=True), self.points[keep])

    def frame(self) -> pd.DataFrame:
        """Rows and points in one frame, points in columns 0, 1, ..."""
        return pd.concat([self.rows, pd.DataFrame(self.points)], axis=1)


def _role_answers(table: Table, headers: list[str], plan: _Plan, role: str,
                  body: pd.DataFrame, rows: np.ndarray, file_rows: pd.Series,
                  columns: dict, points: dict, ctx: _Context) -> _Answers:
    """Answers of one role's rows: file, row, role, unit and source_id, and the
    points of the role's statements in questionnaire order.

    ``columns`` holds each statement column coded (:func:`_factorized`)
    and ``points`` the points of each distinct value (nan blank, -1 not an answer).
    """
    role_items = ctx.instrument.role_items(role)["item"].tolist()
    by_item = {item: pos for pos, item in plan.items[role].items()}
    absent = [i for i in role_items if i not in by_item]
    if absent:
        text = ctx.instrument.item_text("da")
        named = ", ".join(f"{i} ({text[i]!r})" for i in absent[:5])
        more = f" and {len(absent) - 5} more" if len(absent) > 5 else ""
        unused = "".join(f" round.toml `{where}` maps {key!r}, which no column here has."
                         for where, key in plan.unmapped)
        raise RoundError(
            table.label,
            f"{len(absent)} {role} statement(s) have no column: {named}{more}.{unused}",
            "export all statements; headers must be the item id (e.g. "
            f"{absent[0]}) or the statement text, or map them in round.toml [columns].")

    rows = np.flatnonzero(rows)
    row_numbers = file_rows.to_numpy(dtype="int64")[rows]
    # Fortran order: each statement's points are one contiguous column, filled
    # and later summed column by column.
    block = np.empty((len(rows), len(role_items)), order="F")
    for number, item in enumerate(role_items):
        pos = by_item[item]
        codes_of, uniques, _ = columns[pos]
        mine = codes_of if len(rows) == len(codes_of) else codes_of[rows]
        np.take(points[pos], mine, out=block[:, number], mode="clip")  # codes are in range
        invalid = np.flatnonzero(block[:, number] == -1)
        for idx in invalid:
            ctx.log.add_cell(table.label, int(row_numbers[idx]), headers[pos],
                             uniques[mine[idx]], "set to missing", "not an answer on the scale")
        block[invalid, number] = np.nan
    where = pd.DataFrame({
        "file": _repeated(table.label, len(rows)),
        "row": row_numbers,
        "role": _repeated(role, len(rows)),
        "unit": _units(body[plan.unit_col], rows) if plan.unit_col is not None
        else pd.array([pd.NA], dtype="string").take(np.full(len(rows), -1), allow_fill=True),
        "source_id": _source_ids(body[plan.id_col])[rows] if plan.id_col is not None
        else _repeated("", len(rows)),
    }, copy=False)
    return _Answers(where, block)


class _Coded(NamedTuple):
    """A column as codes into its distinct values (:func:`_factorized`)."""

    codes: np.ndarray
    values: pd.api.extensions.ExtensionArray
    used: np.ndarray | None = None  # which values occur; None: all

    @property
    def present(self) -> pd.api.extensions.ExtensionArray:
        """The values that occur in the column."""
        return self.values if self.used is None else self.values[self.used]


def _factorized(values: pd.Series) -> _Coded:
    """A column as codes into its distinct values, as :func:`pandas.factorize` codes it.

    A categorical column (as CSV exports are parsed) is coded already. Its
    categories may include values only rows no longer in it had (the header's
    text): no cell has their code, and ``used`` tells them apart.
    """
    if isinstance(values.dtype, pd.CategoricalDtype) and not values.hasnans:
        codes, categories = values.cat.codes.to_numpy(), values.cat.categories.array
        return _Coded(codes, categories, np.bincount(codes, minlength=len(categories)) > 0)
    return _Coded(*pd.factorize(values, use_na_sentinel=False))


def _repeated(text: str, n: int) -> pd.api.extensions.ExtensionArray:
    """``text`` ``n`` times, as a column of text."""
    return pd.array(pa.repeat(pa.scalar(text, pa.large_string()), n), dtype="str")


def _units(values: pd.Series, rows: np.ndarray) -> pd.arrays.StringArray:
    """The unit of each of ``rows``: the cell stripped, missing where blank."""
    codes, uniques, _ = _factorized(values)
    units = pd.Series(uniques).str.strip().replace("", pd.NA)
    return pd.array(units, dtype="string").take(codes[rows])


# -------------------------------------------------------------- round level


def read_round(round_dir: str | Path, *, instrument: Instrument | None = None,
               settings: RoundSettings | None = None) -> RoundData:
    """Read every export of a round folder.

    Parameters
    ----------
    round_dir : str or Path
        The round folder, e.g. ``data/raw/2025``. Its name is the round's name.
    instrument : Instrument, optional
        The questionnaire; by default the one round.toml names, else the
        built-in MUS test.
    settings : RoundSettings, optional
        The round's settings; read from its ``round.toml`` by default.

    Returns
    -------
    RoundData

    Raises
    ------
    RoundError
        When the folder holds no readable export, a file matches neither
        questionnaire, statement columns are missing or ambiguous, a file
        is corrupt, round.toml is invalid or names what is not there, or no
        row answers any statement; when two files hold the same export; and
        when a file is hostile or broken in a way :mod:`mus_analysis.guard`
        checks before parsing (too large, not what its name says, a zip
        bomb, mixed encodings, a link out of the folder...). The message
        names the file, the problem and the fix.
    """
    round_dir = Path(round_dir)
    reading = _Reading(round_dir, instrument, settings, problems=None)
    return reading.round_data()


@dataclass
class RoundInspection:
    """What the reader detected in each file of a round (see :func:`inspect_round`).

    Attributes
    ----------
    round : str
        The round's name.
    settings : RoundSettings
        The round's settings (the defaults when its round.toml is invalid).
    files : list of (str, list of Table)
        Each export file, relative to the round folder, with its tables and
        what was detected in each (``Table.detected``).
    log : DataFrame
        The cleaning log so far.
    problems : dict
        File name (or ``round.toml``, or the round's name) -> the error that
        stops the round, as :func:`read_round` would raise it.
    data : RoundData or None
        The round as read, when it reads without a problem.
    """

    round: str
    settings: RoundSettings
    files: list[tuple[str, list[Table]]]
    log: pd.DataFrame
    problems: dict[str, RoundError]
    data: RoundData | None


def inspect_round(round_dir: str | Path) -> RoundInspection:
    """Read a round as :func:`read_round` does, noting each file's problem instead
    of stopping at the first one. Writes nothing.

    Raises
    ------
    RoundError
        Only when the folder is missing or holds no export file at all.
    """
    round_dir = Path(round_dir)
    find_exports(round_dir)
    problems: dict[str, RoundError] = {}
    try:
        settings = load_settings(round_dir)
    except RoundError as exc:
        problems[SETTINGS_FILE] = exc
        settings = RoundSettings()
    reading = _Reading(round_dir, None, settings, problems=problems)
    data = None
    if not problems:
        try:
            data = reading.round_data()
        except RoundError as exc:
            problems[reading.name] = exc
    files = [(_name(path, round_dir), tables) for path, tables in reading.files]
    return RoundInspection(reading.name, settings, files, reading.ctx.log.frame(), problems,
                           data)


class _Reading:
    """One pass over a round folder's exports.

    With ``problems`` None, the first problem raises; with a dict, each file's
    problem is put in it under the file's name and the other files are read on.
    """

    def __init__(self, round_dir: Path, instrument: Instrument | None,
                 settings: RoundSettings | None, problems: dict | None) -> None:
        self.round_dir, self.problems = round_dir, problems
        self.name = round_dir.resolve().name
        exports = find_exports(round_dir)
        guard.check_round_size(exports, self.name, guard.limits())
        settings = load_settings(round_dir) if settings is None else settings
        instrument = instrument or load_instrument(settings.instrument)
        self.ctx = ctx = _Context(instrument, formats.Matcher.of(instrument), settings, _Log())
        for other in other_files(round_dir, settings):
            ctx.log.add(other, None, "", "", "ignored file", "not a CSV or Excel export")

        self.files = _read_files(exports, round_dir, ctx, problems)
        self.tables = [table for _, file_tables in self.files for table in file_tables]
        described = formats.attach_metadata(
            self.tables, lambda cell: formats.names_statement(ctx.matcher, cell))
        self.wides: list[_Answers] = []
        notes, answered = [], []
        for path, file_tables in self.files:
            name = _name(path, round_dir)
            with self._noted(name):
                found = _file_answers(path, file_tables, described, self.wides, ctx)
                if found:
                    answered.append(path)
                if not found and path.suffix.lower() in NOTE_SUFFIXES:
                    # A note: its lines are no headers, and nothing of it is kept.
                    ctx.log.add(name, None, "", "", "ignored file", "no statement columns")
                    notes.append(path)
                elif not found and not all(t in described for t in file_tables):
                    raise RoundError(
                        name,
                        "matches neither questionnaire: no column header is a statement "
                        "of the MUS test or an item id (L01-L20, E01-E20).",
                        "check that it is the answer export, with the statements as column "
                        "headers, or remove it from the round folder; headers that are "
                        "numbers or codes can be mapped in round.toml [columns].")
        self.files = [(path, tables) for path, tables in self.files if path not in notes]
        self.tables = [table for _, file_tables in self.files for table in file_tables]
        # The same answers twice; SurveyXact's label files may well be alike.
        for copy, original in _identical_files(answered):
            with self._noted(_name(copy, round_dir)):
                raise RoundError(_name(copy, round_dir),
                                 f"has the same content as {_name(original, round_dir)}: the "
                                 "same export twice (e.g. downloaded again), which would count "
                                 "every answer twice.", "remove one of the two files.")
        if not problems:
            with self._noted(SETTINGS_FILE):
                _check_settings_used(ctx, self.tables)

    @contextlib.contextmanager
    def _noted(self, name: str):
        try:
            yield
        except RoundError as exc:
            if self.problems is None:
                raise
            self.problems[name] = exc

    def round_data(self) -> RoundData:
        """The round's tidy answers, respondents and cleaning log."""
        ctx = self.ctx
        received = sum(t.detected.get("rows", 0) for t in self.tables)
        wide = _Answers.joined(self.wides, ctx.instrument.n_items)
        data = _tidy(self.name, wide, ctx.instrument, ctx.log, self.tables, received)
        data.settings = ctx.settings
        return data


def _read_files(exports: list[Path], round_dir: Path, ctx: _Context,
                problems: dict | None) -> list[tuple[Path, list[Table]]]:
    """Every export's tables; a text file that may be a note is skipped if unreadable."""
    files = []
    for path in exports:
        try:
            files.append((path, read_tables(path, _name(path, round_dir))))
        except RoundError as exc:
            if path.suffix.lower() in NOTE_SUFFIXES:
                ctx.log.add(_name(path, round_dir), None, "", "", "ignored file", exc.problem)
            elif problems is not None:
                problems[_name(path, round_dir)] = exc
            else:
                raise
    return files


def _identical_files(paths: list[Path]) -> list[tuple[Path, Path]]:
    """(copy, original) for each file whose bytes equal another's.

    Of two equal files, the one with the longer name is taken for the copy
    (``Ledere (1).csv``, ``Kopi af Ledere.csv``). Only files of equal size
    are read and hashed.
    """
    by_size: dict[int, list[Path]] = {}
    for path in paths:
        by_size.setdefault(path.stat().st_size, []).append(path)
    found = []
    for same_size in by_size.values():
        seen: dict[str, Path] = {}
        for path in same_size if len(same_size) > 1 else []:
            with open(path, "rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
            if digest in seen:
                pair = sorted((seen[digest], path), key=lambda p: len(p.name))
                found.append((pair[1], pair[0]))
            else:
                seen[digest] = path
    return found


def _file_answers(path: Path, file_tables: list[Table], described: list[Table],
                  wides: list, ctx: _Context) -> bool:
    """Add the answers of one file's tables to ``wides``; whether it had any."""
    found = False
    if file_tables and file_tables[0].sheet is not None:
        _check_sheets(file_tables, ctx)
    for table in file_tables:
        if table in described:
            if not table.detected["describes"]:
                ctx.log.add(table.label, None, "", "", "ignored sheet" if table.sheet
                            else "ignored file", "variable texts or labels of no dataset")
            continue
        table_wides = _table_answers(table, ctx)
        table.metadata = None  # its labels may name what was dropped
        if table_wides is None:
            if table.sheet is not None:
                ctx.log.add(table.label, None, "", "", "ignored sheet", "no statement columns")
            continue
        found = True
        wides.extend(table_wides)
        if not table.detected["rows"]:
            ctx.log.add(table.label, None, "", "", "note", "no answer rows below the header")
    return found


def _check_sheets(file_tables: list[Table], ctx: _Context) -> None:
    """Refuse round.toml [roles] and [columns] entries naming a sheet the workbook lacks."""
    file = file_tables[0].file
    sheets = [str(t.detected.get("sheet")) for t in file_tables]
    named = [(f"roles.{role}", spec) for spec, role in ctx.settings.roles.items()]
    named += [(f"columns.{_toml_key(spec)}", spec) for spec in ctx.settings.columns]
    for key, spec in named:
        if spec.startswith(f"{file}:") and spec[len(file) + 1:] not in sheets:
            raise RoundError(SETTINGS_FILE,
                             f"`{key}` names the sheet {spec[len(file) + 1:]!r} of {file}, "
                             f"which has the sheets {sheets}.",
                             "give the sheet's name as it is in the workbook.")


def _check_settings_used(ctx: _Context, tables: list[Table]) -> None:
    """Refuse round.toml column keys and unit headers that name no column."""
    for scope, mapping in ctx.settings.columns.items():
        where = "columns" + (f".{_toml_key(scope)}" if scope else "")
        for key in mapping:
            if (where, key) not in ctx.mapped:
                files = f"of {scope}" if scope else "of any export"
                raise RoundError(SETTINGS_FILE,
                                 f"`{where}` maps {key!r}, which is neither a column header "
                                 f"nor a column letter {files}.", _UNUSED_FIX)
    if ctx.settings.unit and not ctx.units_found:
        raise RoundError(SETTINGS_FILE,
                         f"`unit` names {list(ctx.settings.unit)}, which is no column of any "
                         "export.", "copy the unit column's header as the export writes it, "
                         "or give its column letter; unit = \"\" means no unit column.")


_UNUSED_FIX = ("copy the header as the export writes it (mus-analysis inspect lists them), "
               "or give the column letter, e.g. C.")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'


def _tidy(name: str, wide: _Answers, instrument: Instrument, log: _Log,
          tables: list[Table], received: int) -> RoundData:
    # Rows with no answer at all are not respondents.
    answered = ~np.isnan(wide.points).all(axis=1)
    if not answered.all():
        for file, row in wide.rows.loc[~answered, ["file", "row"]].itertuples(index=False):
            log.add(file, row, "", "", "dropped row", "no statement answered")
        wide = wide.take(answered)
    if not len(wide.points):
        raise RoundError(name, f"no row of its exports answers a statement "
                               f"({received} rows received).",
                         "check that the exports hold the answers, not only the headers.")
    wide = _repeated_responses(wide, log)
    role = np.zeros(len(wide.points), dtype="int8")  # each row's role as its position in ROLES
    for code, role_name in enumerate(ROLES):
        rows = wide.rows["role"].eq(role_name).to_numpy()
        if not rows.any():
            log.add(name, None, "", "", "note", f"no {role_name} answers in this round")
        role[rows] = code

    # Respondent ids: role prefix and a running number, in file order,
    # leaders first.
    if (np.diff(role) < 0).any():
        order = np.argsort(role, kind="stable")
        wide, role = wide.take(order), role[order]
    prefix = dict(zip(instrument.roles["role"], instrument.roles["prefix"]))
    respondent = _respondent_ids(role, [prefix[r] for r in ROLES])
    unit = pd.array(wide.rows["unit"], dtype="string")
    respondents = pd.DataFrame({
        "round": _repeated(name, len(role)),
        "role": wide.rows["role"].array,
        "respondent": respondent,
        "unit": unit,
        "file": wide.rows["file"].array,
        "row": wide.rows["row"].to_numpy(dtype="int64"),
        "source_id": pd.array(wide.rows["source_id"], dtype="string"),
    }, copy=False)[RESPONDENT_COLUMNS]
    return RoundData(
        round=name,
        answers=None,
        respondents=respondents,
        log=log.frame(),
        tables=tables,
        received=received,
        wide=WideAnswers(name, respondent, role, unit, wide.points,
                         {r: instrument.role_items(r)["item"].tolist() for r in ROLES},
                         instrument.items["item"].tolist()),
    )


def _respondent_ids(role: np.ndarray, prefixes: list[str]) -> pd.api.extensions.ExtensionArray:
    """Ids of respondents sorted by role: the role's prefix and a running number of
    at least four digits within the role (``L0001``, ``L0002``, ``E0001``, ...)."""
    first = np.searchsorted(role, role)  # each row's role starts here
    number = pa.array(np.arange(len(role)) - first + 1).cast(pa.string())
    return pd.array(pc.binary_join_element_wise(
        pa.array(prefixes).take(role), pc.utf8_lpad(number, 4, "0"), ""), dtype="str")


def _repeated_responses(wide: _Answers, log: _Log) -> _Answers:
    """Count each response once, and note responses that look alike across files.

    A response read twice has the same role, export id, unit and answers as
    an earlier row (the same export downloaded twice, or an old and a new
    download side by side): the later row is dropped and logged. Without an
    export id, rows with the same role, unit and answers in two files may be
    two people who answered alike, so they are kept and counted in a note per
    pair of files. Rows that share an id but not their answers are kept and
    noted too.

    Only rows that share an id, or rows of a round of several files, are
    compared, by whole columns.
    """
    answers = ["role", "unit", *range(wide.points.shape[1])]
    ids = wide.rows["source_id"].ne("").to_numpy()
    shared = np.zeros(len(ids), dtype=bool)
    shared[ids] = wide.rows[ids].duplicated(["role", "source_id"], keep=False).to_numpy()
    if shared.any():
        repeated = _read_twice(wide.take(shared).frame(), answers, log)
        if repeated.any():
            keep = np.ones(len(ids), dtype=bool)
            keep[np.flatnonzero(shared)[repeated]] = False
            wide, ids = wide.take(keep), ids[keep]
    if wide.rows["file"].nunique() > 1:
        _note_alike(wide.take(~ids).frame(), answers, log)
    return wide


def _read_twice(rows: pd.DataFrame, answers: list, log: _Log) -> np.ndarray:
    """Log the ``rows`` (rows that share an export id) whose export id and answers
    an earlier row has: True for each of them."""
    key = ["source_id", *answers]
    again = rows.duplicated(key).to_numpy()
    first = rows.groupby(key, dropna=False, sort=False)[["file", "row"]].transform("first")
    for idx in np.flatnonzero(again):
        log.add(rows.at[idx, "file"], int(rows.at[idx, "row"]), "", "", "dropped row",
                f"the same response (export id and answers) as {first.at[idx, 'file']} "
                f"row {int(first.at[idx, 'row'])}: counted once")
    kept = rows[~again]
    for idx in kept.index[kept.duplicated(["role", "source_id"], keep=False).to_numpy()]:
        log.add(rows.at[idx, "file"], int(rows.at[idx, "row"]), "", "", "note",
                "another row has the same export id but other answers: both kept")
    return again


def _note_alike(plain: pd.DataFrame, answers: list[str], log: _Log) -> None:
    """A note per pair of files for rows without an id whose answers are alike."""
    earliest = plain.groupby(answers, dropna=False, sort=False)["file"].transform("first")
    alike = plain["file"].ne(earliest)
    pairs = pd.DataFrame({"file": plain["file"][alike], "like": earliest[alike]})
    for (file, like), count in pairs.value_counts(sort=False).items():
        log.add(file, None, "", "", "note",
                f"{count} response(s) have the same role, unit and answers as responses in "
                f"{like} and no export id: kept, as people may answer alike; if the file is "
                "a second export of the same answers, remove it")


def _int_array(points: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole-number points as a nullable integer array, NaN becoming missing."""
    missing = np.isnan(points)
    return pd.arrays.IntegerArray(np.where(missing, 0, points).astype("int64"), missing)
