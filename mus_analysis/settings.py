"""A round's own settings: the optional ``round.toml`` in the round folder.

Most rounds need no settings: the reader detects the layout of each export by
itself. ``round.toml`` says what cannot be detected (which file holds which
role when the names and headers do not tell, which column is which statement
when the headers are numbers or codes) and what the report should use (its
language, the anonymity threshold, the missing-answer policy, a workplace's
own questionnaire). :func:`load_settings` reads and validates the file;
without one it returns the defaults.

Example::

    title = "MUS-runden foråret 2026"
    date = 2026-04-30
    lang = "da"
    min_group = 5
    max_missing = 1
    unit = "Afdeling"

    [roles]
    leader = "Ledere.xlsx"
    employee = ["Medarbejdere.csv", "Runde.xlsx:Medarbejdere"]

    [columns]
    "Spm. 1" = 1          # statement number 1 of the file's role
    [columns."Ledere.xlsx"]
    "C" = "L01"           # column letter C of that file only
"""

from __future__ import annotations

import datetime
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import guard
from .errors import MusError, RoundError

if TYPE_CHECKING:
    from .instrument import Instrument

# The instrument module (and pandas with it) is imported only when a round.toml
# needs it, so that the command line stays quick to start. These mirror it.
LANGUAGES = ("da", "en")
ROLES = ("leader", "employee")
SETTINGS_FILE = "round.toml"
DEFAULT_LANG = "da"
DEFAULT_MIN_GROUP = 5
DEFAULT_MAX_MISSING = 0
ANSWER_CODES = ("1-5", "0-4")
# A round.toml or an instrument file is a few kilobytes; anything this large is not one.
MAX_SETTINGS_BYTES = 1_000_000

# What each key takes, as said in messages.
KEYS = {
    "title": "a text",
    "date": "a date such as 2026-04-30",
    "lang": f"one of {list(LANGUAGES)}",
    "min_group": "a whole number of 1 or more",
    "max_missing": "a whole number from 0 to one less than the number of statements",
    "answer_codes": f"one of {list(ANSWER_CODES)}",
    "instrument": "the path of an instrument file, relative to the round folder",
    "unit": "a column header or column letter, a list of them, or \"\" for no unit column",
    "roles": f"a table with the keys {list(ROLES)}",
    "columns": "a table of column header or letter = item id (e.g. \"L01\") or number",
}
_COLUMN_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_ITEM = re.compile(r"^\s*([A-Za-z])\s*0*(\d{1,3})\s*$")


@dataclass(frozen=True)
class RoundSettings:
    """The settings of one round, from its ``round.toml`` or the defaults.

    Attributes
    ----------
    title, date : optional
        The round's title and date, for the report.
    lang : str
        The report language, ``"da"`` or ``"en"``.
    min_group : int
        The anonymity threshold: a role with fewer respondents is withheld.
    max_missing : int
        Unanswered statements a respondent may have and still be scored.
    answer_codes : str or None
        ``"1-5"`` or ``"0-4"`` when the round says how its answer codes run;
        None to detect it.
    instrument : Path or None
        A workplace's own instrument file; None for the built-in MUS test.
    unit : tuple of str or None
        Headers or column letters of the unit column; ``()`` for none; None
        to detect it.
    roles : dict
        ``"file"`` or ``"file:sheet"`` (relative to the round folder) -> role.
    columns : dict
        ``""`` (every file) or ``"file"``/``"file:sheet"`` -> {header or
        column letter -> item id, or a statement number of the file's role}.
    source : Path or None
        The ``round.toml`` read; None when the round has none.
    given : frozenset of str
        The keys the file sets.
    """

    title: str | None = None
    date: datetime.date | None = None
    lang: str = DEFAULT_LANG
    min_group: int = DEFAULT_MIN_GROUP
    max_missing: int = DEFAULT_MAX_MISSING
    answer_codes: str | None = None
    instrument: Path | None = None
    unit: tuple[str, ...] | None = None
    roles: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str | int]] = field(default_factory=dict)
    source: Path | None = None
    given: frozenset[str] = frozenset()

    def role_of(self, file: str, sheet: str | None = None) -> str | None:
        """The role ``[roles]`` gives a file or one of its sheets, if any."""
        if sheet is not None and f"{file}:{sheet}" in self.roles:
            return self.roles[f"{file}:{sheet}"]
        return self.roles.get(file)

    def columns_of(self, file: str, sheet: str | None = None) -> dict[str, tuple[str, str | int]]:
        """The column mapping for one table: key -> (where it was set, target).

        Keys set for the file or sheet win over keys set for every file.
        """
        mapping = {key: ("columns", target) for key, target in self.columns.get("", {}).items()}
        for scope in (file, f"{file}:{sheet}" if sheet is not None else None):
            if scope is not None and scope in self.columns:
                mapping.update({key: (f"columns.{_quote(scope)}", target)
                                for key, target in self.columns[scope].items()})
        return mapping


def load_settings(round_dir: str | Path) -> RoundSettings:
    """Read and check ``round_dir/round.toml``; the defaults when there is none.

    Raises
    ------
    RoundError
        Naming ``round.toml``, the key, the value and what the key allows, when
        the file is not valid TOML, has a key that is not a setting, or a value
        the key does not allow.
    """
    round_dir = Path(round_dir)
    path = round_dir / SETTINGS_FILE
    if not path.is_file():
        return RoundSettings()
    guard.check_link(path, round_dir.resolve(), SETTINGS_FILE)
    _check_size(path, SETTINGS_FILE, "a round's settings",
                "put the round's own round.toml in its place, or delete it to use the "
                "defaults.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise _error("is not UTF-8 text.", "save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise _error(f"is not valid TOML ({exc}).",
                     "check the quotes and brackets on that line; the README's section "
                     "round.toml has an example.") from None
    return _validate(data, round_dir, path)


def _check_size(path: Path, name: str, what: str, fix: str) -> None:
    """Refuse a settings or instrument file far larger than such a file is, unread."""
    size = path.stat().st_size
    if size > MAX_SETTINGS_BYTES:
        raise RoundError(name, f"is {guard.show_mb(size)}, far more than {what} takes, so "
                               "it is not one.", fix)


def _error(problem: str, fix: str = "") -> RoundError:
    return RoundError(SETTINGS_FILE, problem, fix)


def _quote(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'


def _bad_value(key: str, value: object) -> RoundError:
    shown = value if isinstance(value, str | int | float | bool) else type(value).__name__
    return _error(f"the value for `{key}` must be {KEYS.get(key.split('.')[0], 'valid')}, "
                  f"but {shown!r} was given.", f"correct `{key}` or delete the line.")


def _validate(data: dict, round_dir: Path, path: Path) -> RoundSettings:
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        key = unknown[0]
        close = difflib.get_close_matches(key, list(KEYS), n=1)
        hint = f"did you mean `{close[0]}`? " if close else ""
        raise _error(f"`{key}` is not a setting; the settings are {', '.join(KEYS)}.",
                     f"{hint}Correct or delete the line.")
    values: dict = {"source": path, "given": frozenset(data)}

    if "title" in data:
        if not isinstance(data["title"], str) or not data["title"].strip():
            raise _bad_value("title", data["title"])
        values["title"] = data["title"].strip()
    if "date" in data:
        values["date"] = _date(data["date"])
    if "lang" in data:
        if data["lang"] not in LANGUAGES:
            raise _bad_value("lang", data["lang"])
        values["lang"] = data["lang"]
    if "answer_codes" in data:
        if data["answer_codes"] not in ANSWER_CODES:
            raise _bad_value("answer_codes", data["answer_codes"])
        values["answer_codes"] = data["answer_codes"]
    if "unit" in data:
        values["unit"] = _unit(data["unit"])
    if "roles" in data:
        values["roles"] = _roles(data["roles"], _files(round_dir))

    if "min_group" in data:
        if not _whole(data["min_group"]) or data["min_group"] < 1:
            raise _bad_value("min_group", data["min_group"])
        values["min_group"] = data["min_group"]
    if "instrument" in data:
        values["instrument"] = _instrument_path(data["instrument"], round_dir)
    # Checks that need the questionnaire: its number of statements and items.
    if not {"instrument", "max_missing", "columns"} & set(data):
        return RoundSettings(**values)
    instrument = _instrument(values.get("instrument"))
    n_items = instrument.n_items
    if "max_missing" in data:
        if not _whole(data["max_missing"]) or not 0 <= data["max_missing"] < n_items:
            raise _error(f"the value for `max_missing` must be a whole number from 0 to "
                         f"{n_items - 1}, but {data['max_missing']!r} was given.",
                         "correct `max_missing` or delete the line.")
        values["max_missing"] = data["max_missing"]

    if "columns" in data:
        values["columns"] = _columns(data["columns"], _files(round_dir), instrument)
    return RoundSettings(**values)


def _instrument(path: Path | None) -> Instrument:
    from .instrument import load_instrument

    try:
        return load_instrument(path)
    except MusError as exc:
        raise _error(f"`instrument` names a file that is not a valid instrument: {exc}",
                     "fix the instrument file; the built-in one is the model.") from None


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _date(value: object) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _bad_value("date", value)


def _instrument_path(value: object, round_dir: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise _bad_value("instrument", value)
    path = Path(value.strip())
    path = path if path.is_absolute() else round_dir / path
    if not path.is_file():
        raise _error(f"`instrument` names {value!r}, which is not a file (looked for "
                     f"{path}).", "give the instrument file's path relative to the round "
                     "folder, e.g. instrument = \"vores-mus.toml\".")
    _check_size(path, value, "a questionnaire",
                "give the path of the instrument file (a few kilobytes of TOML).")
    return path.resolve()


def _unit(value: object) -> tuple[str, ...]:
    if value is False or value == "":
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise _bad_value("unit", value)
    return tuple(n.strip() for n in names)


def _files(round_dir: Path) -> list[str]:
    """The files of the round folder, relative to it (as the settings name them)."""
    return sorted(p.relative_to(round_dir).as_posix() for p in round_dir.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in
                                             p.relative_to(round_dir).parts))


def _target(key: str, spec: str, files: list[str]) -> str:
    """Check that ``spec`` names a file (``"file"`` or ``"file:sheet"``) of the round."""
    file = spec
    if spec not in files and ":" in spec:
        file = spec.rsplit(":", 1)[0]
    if file in files:
        return spec
    names = {Path(f).name: f for f in files}
    close = difflib.get_close_matches(spec, list(names) + files, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise _error(f"`{key}` names {spec!r}, which is not a file of the round folder.{hint}",
                 "give the file's name relative to the round folder, and a sheet as "
                 "\"file.xlsx:Sheet\".")


def _roles(value: object, files: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _bad_value("roles", value)
    roles: dict[str, str] = {}
    for role, specs in value.items():
        if role not in ROLES:
            close = difflib.get_close_matches(role, list(ROLES), n=1)
            hint = f"did you mean `{close[0]}`? " if close else ""
            raise _error(f"`roles.{role}` is not a role; the roles are {list(ROLES)}.",
                         f"{hint}Write e.g. leader = \"Ledere.xlsx\".")
        specs = [specs] if isinstance(specs, str) else specs
        if not isinstance(specs, list) or not specs or \
                not all(isinstance(s, str) and s.strip() for s in specs):
            raise _error(f"the value for `roles.{role}` must be a file name or a list of "
                         f"them, but {specs!r} was given.",
                         f"write e.g. {role} = \"{role}s.xlsx\".")
        for spec in specs:
            spec = _target(f"roles.{role}", spec.strip(), files)
            if roles.get(spec, role) != role:
                raise _error(f"{spec!r} is named under both roles.",
                             "name each file or sheet under one role.")
            roles[spec] = role
    return roles


def _columns(value: object, files: list[str],
             instrument: Instrument) -> dict[str, dict[str, str | int]]:
    if not isinstance(value, dict):
        raise _bad_value("columns", value)
    scopes: dict[str, dict[str, str | int]] = {"": {}}
    for key, target in value.items():
        if isinstance(target, dict):
            scope = _target(f"columns.{_quote(key)}", key, files)
            scopes[scope] = {k: _column_target(f"columns.{_quote(key)}.{_quote(k)}", t,
                                               instrument) for k, t in target.items()}
        else:
            scopes[""][key] = _column_target(f"columns.{_quote(key)}", target, instrument)
    for scope, mapping in scopes.items():
        seen: dict[str | int, str] = {}
        for key, target in mapping.items():
            if target in seen:
                where = f"columns.{_quote(scope)}" if scope else "columns"
                raise _error(f"`{where}` maps both {seen[target]!r} and {key!r} to "
                             f"{target!r}.", "map each statement from one column.")
            seen[target] = key
    return {scope: mapping for scope, mapping in scopes.items() if mapping}


def _column_target(key: str, target: object, instrument: Instrument) -> str | int:
    """An item id of the instrument (as the instrument writes it) or a statement number."""
    items = instrument.items["item"].tolist()
    n_items = instrument.n_items
    allowed = (f"an item id from {items[0]} to {items[-1]}, or a statement number from 1 to "
               f"{n_items} of the file's role")
    if _whole(target) and 1 <= target <= n_items:
        return target
    if isinstance(target, str) and (match := _ITEM.match(target)):
        ids = {(i[0].casefold(), int(i[1:])): i for i in items}
        item = ids.get((match.group(1).casefold(), int(match.group(2))))
        if item is not None:
            return item
    raise _error(f"the value for `{key}` must be {allowed}, but {target!r} was given.",
                 f"correct `{key}` or delete the line.")


def is_column_letter(key: str) -> bool:
    """Whether a mapping key is a spreadsheet column letter (``A``..``ZZZ``)."""
    return bool(_COLUMN_LETTERS.match(key))


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
