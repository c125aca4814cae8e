"""The ``inspect`` and ``init`` commands: what the kit sees in a round folder.

``mus-analysis inspect ROUND_DIR`` prints, for each file, what the reader
detected (layout, encoding, header rows, role, which column became which
statement, the unit column, what was dropped) and writes nothing.
``mus-analysis init ROUND_DIR`` writes a commented ``round.toml`` holding
what was detected, for the analyst to check and complete.

Add them to the ``mus-analysis`` group with ``main.add_command``.
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

import click

from .errors import MusError

_MAX_HEADER = 60


@click.command()
@click.argument("round_dir", type=click.Path(path_type=Path))
def inspect(round_dir: Path) -> None:
    """Show what the kit detects in each file of ROUND_DIR, and why; write nothing.

    Exits 0 when the round reads, 1 when it does not (the problems are listed).
    """
    from .read import inspect_round

    try:
        inspection = inspect_round(round_dir)
    except MusError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(describe(inspection, round_dir).rstrip("\n"))
    sys.exit(1 if inspection.problems else 0)


@click.command()
@click.argument("round_dir", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace an existing round.toml.")
def init(round_dir: Path, force: bool) -> None:
    """Write ROUND_DIR/round.toml with what the kit detects, commented.

    The keys the round does not need stay commented out with their defaults;
    an existing round.toml is kept unless --force is given.
    """
    from .read import inspect_round
    from .settings import SETTINGS_FILE

    path = round_dir / SETTINGS_FILE
    if path.exists() and not force:
        click.echo(f"error: {path}: exists already. Fix: edit it, or give --force to "
                   "write it anew.", err=True)
        sys.exit(1)
    try:
        inspection = inspect_round(round_dir)
    except MusError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    path.write_text(round_toml(inspection), encoding="utf-8")
    click.echo(str(path))
    if inspection.problems:
        click.echo(f"{len(inspection.problems)} problem(s) remain; `mus-analysis inspect "
                   f"{round_dir}` lists them.", err=True)


# ----------------------------------------------------------------- inspect


def describe(inspection, round_dir: Path | str) -> str:
    """The text ``inspect`` prints for a :class:`~mus_analysis.read.RoundInspection`."""
    lines = [f"Round {inspection.round} ({round_dir})", *_settings_lines(inspection), ""]
    log = inspection.log
    for name, tables in inspection.files:
        lines.append(name)
        for table in tables:
            lines += ["  " + line for line in _table_lines(table, log)]
        if name in inspection.problems:
            lines.append(f"  PROBLEM: {_problem(inspection.problems[name], name)}")
        lines.append("")
    ignored = log[log["action"] == "ignored file"]
    for file, reason in zip(ignored["file"], ignored["reason"]):
        lines.append(f"{file}\n  ignored: {reason}\n")
    lines += _result_lines(inspection)
    return "\n".join(lines).rstrip() + "\n"


def _settings_lines(inspection) -> list[str]:
    settings = inspection.settings
    defaults = (f"lang {settings.lang}, min_group {settings.min_group}, "
                f"max_missing {settings.max_missing}")
    if settings.source is None:
        return [f"round.toml: none; the defaults apply ({defaults})"]
    given = ", ".join(sorted(settings.given)) or "nothing"
    lines = [f"round.toml: sets {given}; in effect: {defaults}"]
    if settings.title or settings.date:
        lines.append(f"  title {settings.title or '-'}, date {settings.date or '-'}")
    if settings.instrument:
        lines.append(f"  instrument: {settings.instrument}")
    return lines


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_HEADER else text[: _MAX_HEADER - 3] + "..."


def _table_lines(table, log) -> list[str]:
    found = table.detected
    lines = []
    if table.sheet is not None:
        lines.append(f"sheet {table.sheet!r}")
    indent = "  " if table.sheet is not None else ""
    if found.get("holds"):
        what = {"labels": "the labels of the answer codes",
                "variables": "the texts of the variables"}[found["holds"]]
        of = ", ".join(found.get("describes", [])) or "no dataset in the round (ignored)"
        return lines + [f"{indent}SurveyXact {found['holds']}: {what} of {of}"]
    lines += [indent + line for line in _file_lines(table, log)]
    return lines


def _file_lines(table, log) -> list[str]:
    found = table.detected
    how = "CSV" if found.get("format") == "CSV" else "Excel workbook"
    if how == "CSV":
        how += (f", encoding {found.get('encoding')}, separator "
                f"{_separator(found.get('separator'))}")
    lines = [f"read as: {how}"]
    if "layout" not in found:
        return lines
    layout = found["layout"]
    lines.append(f"layout: {layout if layout != 'table' else 'a plain table (no tool named)'}"
                 + (f", described by {', '.join(found['metadata'])}"
                    if found.get("metadata") else ""))
    rows = found.get("header_rows") or [found.get("header_row")]
    header = (f"row {rows[0]}" if len(rows) == 1 else
              f"rows {rows[0]}-{rows[-1]} (statements named in row {found['header_row']})")
    if "rows" not in found:
        return lines + [f"header: {header}", "no statement columns"] + _dropped_lines(found)
    lines.append(f"header: {header}; {found['rows']} answer rows below")
    lines.append(f"role: {', '.join(found.get('roles', [])) or '-'}, from "
                 f"{found.get('role_from', '-')}")
    unit = found.get("unit_column")
    lines.append(f"unit column: {unit!r}" if unit else "unit column: none")
    lines.append("answers: " + _CODES.get(found.get("answer_codes", "1-5"), "?"))
    mapped = found.get("mapped", {})
    for role, columns in found.get("columns", {}).items():
        pairs = sorted(columns.items(), key=lambda pair: pair[1])
        if all(re.fullmatch(rf"{item[0]}0?{int(item[1:])}", header.strip(), re.I)
               for header, item in pairs) and not mapped:
            lines.append(f"{role} statements: {len(pairs)} columns headed by their item ids "
                         f"{pairs[0][1]}-{pairs[-1][1]}")
            continue
        lines.append(f"{role} statements: {len(pairs)} columns")
        texts = found.get("texts", {})
        for header, item in pairs:
            how = f"  (round.toml: {mapped[header]!r})" if header in mapped else ""
            text = f" ({_short(texts[header])})" if header in texts else ""
            lines.append(f"  {item} <- {_short(header)!r}{text}{how}")
    lines += _dropped_lines(found)
    mine = log[log["file"] == table.label]
    for action in ("dropped row", "set to missing"):
        logged = mine[mine["action"] == action]
        if len(logged):
            reasons = logged["reason"].value_counts()
            why = "; ".join(f"{count} {reason}" if len(reasons) > 1 else reason
                            for reason, count in reasons.items())
            label = {"dropped row": "dropped rows",
                     "set to missing": "answers set to missing"}[action]
            lines.append(f"{label}: {len(logged)} ({why})")
    return lines


_CODES = {"1-5": "labels or codes 1-5",
          "0-4": "codes 0-4, read as 1-5 (0 is Aldrig)",
          "A1-A5": "labels or answer codes A1-A5, by their position on the scale"}


def _dropped_lines(found: dict) -> list[str]:
    dropped = found.get("dropped_columns", {})
    if not dropped:
        return []
    lines = [f"dropped columns: {len(dropped)}"]
    lines += [f"  {_short(header)!r}: {why}" for header, why in dropped.items()]
    return lines


def _separator(sep: str | None) -> str:
    return {"\t": "tab", ";": "';'", ",": "','"}.get(sep or "", repr(sep))


def _problem(exc: Exception, name: str) -> str:
    return str(exc).removeprefix(f"{name}: ")


def _result_lines(inspection) -> list[str]:
    for name in (inspection.round, "round.toml"):
        if name in inspection.problems:
            label = "round.toml" if name == "round.toml" else "the round"
            return [f"PROBLEM ({label}): {_problem(inspection.problems[name], name)}",
                    "The round does not read."]
    if inspection.problems:
        return [f"The round does not read: {len(inspection.problems)} file(s) with a "
                "problem above."]
    data = inspection.data
    counts = data.respondents["role"].value_counts()
    roles = ", ".join(f"{counts.get(role, 0)} {role}s" for role in ("leader", "employee"))
    log = data.log
    missing = int((log["action"] == "set to missing").sum())
    dropped = int((log["action"] == "dropped row").sum())
    return [f"The round reads: {roles} from {data.received} rows; dropped rows: {dropped}, "
            f"answers set to missing: {missing}."]


# -------------------------------------------------------------------- init


def round_toml(inspection) -> str:
    """A commented ``round.toml`` with what was detected in the round."""
    settings = inspection.settings
    given = settings.given
    today = datetime.date.today().isoformat()
    out = [
        f"# round.toml: the settings of the round {inspection.round!r}.",
        f"# Written by `mus-analysis init` on {today} from what the kit detected.",
        "# Every key is optional. A line starting with # is not in effect: it shows the",
        "# default or an example; remove the # to use it. The README's section",
        "# \"round.toml\" describes every key.",
        "",
        _line("title", settings.title or inspection.round, "title" in given,
              "the round's title"),
        _line("date", settings.date or datetime.date.today(), "date" in given,
              "the round's date"),
        _line("lang", settings.lang, "lang" in given, "report language: da or en"),
        _line("min_group", settings.min_group, "min_group" in given,
              "anonymity threshold"),
        _line("max_missing", settings.max_missing, "max_missing" in given,
              "unanswered statements allowed (prorated)"),
        _line("answer_codes", settings.answer_codes or _codes(inspection),
              "answer_codes" in given, "or \"0-4\" when the code 0 means Aldrig"),
        _line("instrument", _instrument(settings, inspection), "instrument" in given,
              "your own questionnaire, in this folder"),
        "",
    ]
    out += _unit_lines(inspection)
    out += _role_lines(inspection)
    out += _column_lines(inspection)
    return "\n".join(out).rstrip() + "\n"


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | datetime.date):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return f'"{text}"'


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)


def _line(key: str, value, active: bool, help_text: str) -> str:
    line = f"{'' if active else '# '}{key} = {_toml(value)}"
    return f"{line:<44} # {help_text}"


def _codes(inspection) -> str:
    found = {t.detected.get("answer_codes") for _, tables in inspection.files for t in tables}
    return "0-4" if "0-4" in found else "1-5"


def _instrument(settings, inspection) -> str:
    if settings.instrument is None:
        return "instrument.toml"
    return settings.instrument.name


def _tables(inspection):
    for _, tables in inspection.files:
        for table in tables:
            if "rows" in table.detected:
                yield table


def _unit_lines(inspection) -> list[str]:
    units = list(dict.fromkeys(t.detected["unit_column"] for t in _tables(inspection)
                               if t.detected.get("unit_column")))
    lines = ["# The unit column (a header or column letter, a list of them, or \"\" for",
             "# none). Its values are shown in the report, so it must not name persons."]
    if inspection.settings.unit is not None:
        return lines + [f"unit = {_toml(list(inspection.settings.unit))}", ""]
    if not units:
        return lines + ["# No unit column was detected.", "# unit = \"Afdeling\"", ""]
    value = units[0] if len(units) == 1 else units
    return lines + ["# Detected:", f"unit = {_toml(value)}", ""]


def _role_lines(inspection) -> list[str]:
    roles: dict[str, list[str]] = {"leader": [], "employee": []}
    for table in _tables(inspection):
        found = table.detected.get("roles", [])
        if len(found) == 1 and not table.detected.get("role_column"):
            spec = table.file if table.sheet is None else f"{table.file}:{table.sheet}"
            roles[found[0]].append(spec)
    for spec, role in inspection.settings.roles.items():
        if spec not in roles[role]:
            roles[role].append(spec)
    lines = ["# Which file (or \"file.xlsx:sheet\") holds which role. Detected:", "[roles]"]
    for role, specs in roles.items():
        if specs:
            lines.append(f"{role} = {_toml(specs[0] if len(specs) == 1 else specs)}")
        else:
            lines.append(f"# {role} = \"{role}s.xlsx\"")
    return lines + [""]


def _column_lines(inspection) -> list[str]:
    lines = ["# Columns whose headers are neither item ids nor statements: header (or",
             "# column letter) = item id (L01..L20, E01..E20) or statement number (1..20)",
             "# of the file's role. In [columns] for every file, in [columns.\"file\"] for",
             "# one file."]
    settings = inspection.settings
    for scope, mapping in settings.columns.items():
        lines.append("[columns]" if not scope else f"[columns.{_key(scope)}]")
        lines += [f"{_key(key)} = {_toml(target)}" for key, target in mapping.items()]
    unread = [(name, tables) for name, tables in inspection.files
              if name in inspection.problems
              and "matches neither questionnaire" in str(inspection.problems[name])]
    for _, tables in unread:
        for table in tables:
            dropped = table.detected.get("dropped_columns", {})
            headers = [h for h, why in dropped.items() if why.startswith("not a statement")]
            if not headers:
                continue
            scope = table.file if table.sheet is None else f"{table.file}:{table.sheet}"
            lines.append(f"# [columns.{_key(scope)}]")
            for header in headers:
                number = re.search(r"(\d{1,2})\s*$", header)
                example = int(number.group(1)) if number else '""'
                lines.append(f"# {_key(header)} = {example}")
    if len(lines) == 4:
        lines.append("# [columns]")
        lines.append("# \"Spm. 1\" = 1")
    return lines
