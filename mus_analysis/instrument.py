"""The questionnaire as data: items, scale, bands and pairs.

The built-in MUS test lives in ``data/instrument.toml``. :func:`load_instrument`
reads and validates such a file once and returns an :class:`Instrument` whose
tables are plain DataFrames.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pandas as pd

from .errors import InstrumentError

ROLES = ("leader", "employee")
LANGUAGES = ("da", "en")


def text_key(text: object) -> str:
    """Reduce a header or label to the letters and digits that identify it.

    Letter case, spaces (also non-breaking ones), dashes and punctuation are
    ignored, so ``"Jeg er godt forberedt til MUS."`` and
    ``"jeg er godt\\xa0forberedt til mus"`` have the same key.
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return re.sub(r"[\W_]+", "", text)


@dataclass(frozen=True)
class Instrument:
    """A validated questionnaire.

    Attributes
    ----------
    name : str
        The instrument's name.
    items : DataFrame
        One row per statement: ``item``, ``role``, ``number``, ``section``,
        ``da``, ``en`` and ``spellings`` (a tuple of further header texts).
    scale : DataFrame
        One row per answer category: ``points``, ``da``, ``en``.
    bands : DataFrame
        One row per score band: ``band``, ``low``, ``high``, ``da``, ``en``.
    sections : DataFrame
        One row per section: ``section``, ``da``, ``en``.
    pairs : DataFrame
        One row per leader/employee pair: ``pair``, ``leader``, ``employee``,
        ``da``, ``en``.
    roles : DataFrame
        One row per role: ``role``, ``prefix``, ``da``, ``en``,
        ``da_singular``, ``en_singular`` and ``names`` (words naming it).
    source : str
        Where the instrument was read from.
    """

    name: str
    items: pd.DataFrame
    scale: pd.DataFrame
    bands: pd.DataFrame
    sections: pd.DataFrame
    pairs: pd.DataFrame
    roles: pd.DataFrame
    source: str

    @property
    def n_items(self) -> int:
        """Number of statements per role."""
        return int(self.items.groupby("role").size().iloc[0])

    @property
    def min_score(self) -> int:
        return self.n_items * int(self.scale["points"].min())

    @property
    def max_score(self) -> int:
        return self.n_items * int(self.scale["points"].max())

    def role_items(self, role: str) -> pd.DataFrame:
        """The statements of one role, in questionnaire order."""
        return self.items[self.items["role"] == role]

    def item_text(self, lang: str) -> dict[str, str]:
        """Map item id to its display text in ``lang``."""
        return dict(zip(self.items["item"], self.items[lang]))

    def role_of_name(self, name: object) -> str | None:
        """The role a word such as ``"Ledere"`` or ``"employee"`` names."""
        key = text_key(name)
        for role, names in zip(self.roles["role"], self.roles["names"]):
            if key in {text_key(n) for n in names}:
                return role
        return None


def _fail(source: str, message: str) -> None:
    raise InstrumentError(f"{source}: {message}")


def _table(data: dict, key: str, source: str, required: tuple[str, ...]) -> list:
    rows = data.get(key)
    if not isinstance(rows, list) or not rows:
        _fail(source, f"the instrument needs a non-empty [[{key}]] list.")
    for n, row in enumerate(rows, start=1):
        missing = [field for field in required if field not in row]
        if missing:
            _fail(source, f"[[{key}]] entry {n} lacks {', '.join(missing)}.")
    return rows


def _validate(data: dict, source: str) -> Instrument:
    roles = data.get("roles", {})
    if set(roles) != set(ROLES):
        _fail(source, f"[roles] must define exactly {list(ROLES)}, found {list(roles)}.")
    role_rows = [
        {"role": role, **{k: roles[role].get(k) for k in ("prefix", "da", "en")},
         "da_singular": roles[role].get("da_singular", roles[role].get("da")),
         "en_singular": roles[role].get("en_singular", roles[role].get("en")),
         "names": tuple(roles[role].get("names", ())) + (role,)}
        for role in ROLES
    ]
    prefix_role = {r["prefix"]: r["role"] for r in role_rows}

    scale = pd.DataFrame(_table(data, "scale", source, ("points", "da", "en")))
    if scale["points"].tolist() != list(range(1, len(scale) + 1)):
        _fail(source, "[[scale]] points must run 1, 2, 3, ... in order.")

    sections = data.get("sections", {})
    section_rows = [
        {"section": k, "da": v["da"], "en": v["en"],
         "spellings": tuple(v.get("spellings", ()))}
        for k, v in sections.items()
    ]

    item_rows = []
    for row in _table(data, "items", source, ("id", "section", "da", "en")):
        item = str(row["id"])
        role = prefix_role.get(item[:1])
        if role is None or not item[1:].isdigit():
            _fail(source, f"item id {item!r} must be a role prefix "
                          f"({', '.join(prefix_role)}) and a number, e.g. L01.")
        if row["section"] not in sections:
            _fail(source, f"item {item} names section {row['section']!r}, "
                          f"which is not under [sections].")
        item_rows.append({
            "item": item, "role": role, "number": int(item[1:]),
            "section": row["section"], "da": row["da"], "en": row["en"],
            "spellings": tuple(row.get("spellings", ())),
        })
    # Checked on the rows, not with pandas: the questionnaire is loaded by every run.
    ids = Counter(row["item"] for row in item_rows)
    if dupes := [item for item, n in ids.items() if n > 1]:
        _fail(source, f"item ids appear twice: {dupes}.")
    counts = Counter(row["role"] for row in item_rows)
    expected = data.get("items_per_role", max(counts.values()))
    for role in ROLES:
        if counts[role] != expected:
            _fail(source, f"role {role} has {counts[role]} items; "
                          f"items_per_role says {expected}.")

    # Within a role, two statements with the same text could not be told apart.
    for role in ROLES:
        seen, same = set(), []
        for row in item_rows:
            if row["role"] == role:
                key = text_key(row["da"])
                if key in seen:
                    same.append(row["item"])
                seen.add(key)
        if same:
            _fail(source, f"two {role} statements have the same Danish text: {same}.")
    items = pd.DataFrame(item_rows)

    bands = pd.DataFrame(_table(data, "bands", source, ("label", "low", "high", "da", "en")))
    bands = bands.rename(columns={"label": "band"})
    lowest, highest = expected, expected * len(scale)  # points run 1..len(scale)
    edges_ok = (
        bands["low"].iloc[0] <= lowest
        and bands["high"].iloc[-1] >= highest
        and (bands["low"].iloc[1:].to_numpy() == bands["high"].iloc[:-1].to_numpy() + 1).all()
    )
    if not edges_ok:
        _fail(source, f"[[bands]] must cover {lowest}-{highest} without gaps or overlaps, "
                      "in ascending order.")

    pairs = pd.DataFrame(_table(data, "pairs", source, ("id", "leader", "employee", "da", "en")))
    pairs = pairs.rename(columns={"id": "pair"})
    for role in ROLES:
        known = set(items.loc[items["role"] == role, "item"])
        unknown = sorted(set(pairs[role]) - known)
        if unknown:
            _fail(source, f"[[pairs]] name {role} items that do not exist: {unknown}.")
        if pairs[role].duplicated().any():
            _fail(source, f"[[pairs]] use a {role} item twice: "
                          f"{pairs.loc[pairs[role].duplicated(), role].tolist()}.")

    return Instrument(
        name=str(data.get("name", "MUS")),
        items=items,
        scale=scale[["points", "da", "en"]],
        bands=bands[["band", "low", "high", "da", "en"]],
        sections=pd.DataFrame(section_rows),
        pairs=pairs[["pair", "leader", "employee", "da", "en"]],
        roles=pd.DataFrame(role_rows),
        source=source,
    )


@functools.cache
def _load_cached(path: str | None) -> Instrument:
    if path is None:
        resource = files("mus_analysis") / "data" / "instrument.toml"
        text, source = resource.read_text(encoding="utf-8"), "built-in MUS test"
    else:
        try:
            text, source = Path(path).read_text(encoding="utf-8"), path
        except (OSError, UnicodeDecodeError) as exc:
            raise InstrumentError(f"{path}: cannot read the instrument file ({exc}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstrumentError(f"{source}: not valid TOML ({exc}).") from None
    return _validate(data, source)


def load_instrument(path: str | Path | None = None) -> Instrument:
    """Read and validate an instrument file.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file in the format of the built-in ``instrument.toml``. Without
        it, the built-in MUS test is returned.

    Returns
    -------
    Instrument
    """
    return _load_cached(None if path is None else str(Path(path).resolve()))
