"""Naming a unit: finding the one a report is asked for, and a safe folder name.

Unit names come from the exports, so they may hold anything: markup, slashes,
``..`` or text that looks like a formula. They are matched here without
regard to case and spaces, and turned into a folder name of plain letters,
digits and dashes before they go near the file system.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa",
                         "ß": "ss"})
_MAX_SLUG = 40


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(name)).casefold().split())


def find_unit(name: str, units: Iterable[str]) -> str | None:
    """The unit of ``units`` that ``name`` names, as the data writes it.

    An exact match wins; otherwise letter case and runs of spaces do not
    matter. None when no unit matches, or when ``name`` matches two units
    that differ only in case and spacing and neither exactly.
    """
    units = [str(u) for u in units]
    if name in units:
        return name
    found = [u for u in units if _key(u) == _key(name)]
    return found[0] if len(found) == 1 else None


def close_units(name: str, units: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` unit names that look like ``name``, for an error message."""
    units = [str(u) for u in units]
    keys = {_key(u): u for u in units}
    return [keys[k] for k in difflib.get_close_matches(_key(name), list(keys), n=n)]


def unit_slug(name: str) -> str:
    """A unit name as part of a folder name: lower-case letters, digits and dashes.

    ``"HR og Løn"`` becomes ``hr-og-loen``; markup, slashes and dots are
    dropped, so the result can never leave its folder. A name without any
    letter or digit becomes ``unit``.
    """
    text = unicodedata.normalize("NFKD", str(name).translate(_DANISH))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:_MAX_SLUG].strip("-")
    return slug or "unit"
