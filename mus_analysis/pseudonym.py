"""Pseudonyms for respondents: a keyed hash of where each answer set came from.

The processed data of a round names each respondent by a pseudonym such as
``E-3f9a2c1d04e5b867`` instead of anything from the export. The pseudonym is
an HMAC-SHA256 of the export's respondent id (Microsoft Forms' ``Id``,
Qualtrics' ``ResponseId``, SurveyXact's respondent id, ...) under a secret
key, cut to 16 hex digits, with the role's prefix in front. When the export
has no id column, the file and the row stand in for the id.

Whoever holds the key can compute the pseudonym of any row of the raw
exports again and so find a respondent's row, or link rounds. Without the
key a pseudonym tells nothing about the respondent, and it is the same every
time the round is processed.

The key
-------
A file of 64 hex digits, by default ``~/.config/mus-analysis/pseudonym.key``
(``$XDG_CONFIG_HOME/mus-analysis/pseudonym.key`` when that is set); the
environment variable ``MUS_ANALYSIS_KEY`` gives another path. It is created
on first use, readable by its owner only, and must lie outside the round's
data folders. Keep a copy: without it the pseudonyms of later runs differ
from those already handed out. Several analysts who must produce the same
pseudonyms share one key file.

Linking rounds
--------------
By default a pseudonym also hashes the round's name, so the same export id
in two rounds gives two pseudonyms. That is deliberate: the ids most tools
write number responses, not people. Microsoft Forms numbers each form's
responses 1, 2, 3, ..., so ``Id`` 1 of 2025 and ``Id`` 1 of 2026 are most
likely two different people, and Qualtrics and SurveyXact give every
response a new id. Linking rounds by pseudonym is right only when the id is
the same person's in every round (an employee number, a panel id, Qualtrics'
``ExternalReference`` from a contact list); then ``link_rounds=True`` leaves
the round out of the hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .errors import MusError

if TYPE_CHECKING:
    from .read import RoundData

KEY_ENV = "MUS_ANALYSIS_KEY"
KEY_FILE = "pseudonym.key"
DIGITS = 16  # hex digits of the HMAC kept: 64 bits, no collision in any real round
SOURCE_ID = "source_id"  # the column of RoundData.respondents with the export's id
_KEY_TEXT = re.compile(r"^[0-9a-f]{64}$")


def default_key_path() -> Path:
    """Where the key is: ``$MUS_ANALYSIS_KEY``, else the user's configuration folder."""
    given = os.environ.get(KEY_ENV, "").strip()
    if given:
        return Path(given).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config) if config else Path.home() / ".config"
    return base / "mus-analysis" / KEY_FILE


def load_key(path: str | Path | None = None, *, create: bool = True) -> bytes:
    """Read the pseudonym key, creating it on first use.

    Parameters
    ----------
    path : str or Path, optional
        The key file; :func:`default_key_path` by default.
    create : bool, default True
        Create a new random key when the file does not exist.

    Returns
    -------
    bytes
        The 32-byte key.

    Raises
    ------
    MusError
        When the file cannot be created or read, or does not hold a key.
    """
    path = Path(path) if path is not None else default_key_path()
    if not path.exists():
        if not create:
            raise MusError(f"{path}: the pseudonym key does not exist. Fix: give the path "
                            f"of the key file in {KEY_ENV}.")
        _create_key(path)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise MusError(f"{path}: the pseudonym key cannot be read ({exc}). Fix: check the "
                        f"file, or point {KEY_ENV} at another key file.") from None
    if not _KEY_TEXT.match(text):
        raise MusError(f"{path}: is not a pseudonym key (64 hex digits). Fix: restore the "
                        "key from its copy; a new key gives new pseudonyms.")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        warnings.warn(f"{path}: the pseudonym key can be read by others; "
                      f"`chmod 600 {path}` keeps it to you.", stacklevel=2)
    return bytes.fromhex(text)


def _create_key(path: Path) -> None:
    """Write a new random key to ``path``, readable by its owner only.

    The key is written to a temporary file and linked into place, so two
    runs starting at once end up with the same complete key.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    except OSError as exc:
        raise MusError(f"{path}: the pseudonym key cannot be created ({exc.strerror}). Fix: "
                        f"set {KEY_ENV} to a key file in a folder you can write.") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:  # mkstemp: mode 600
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another run created it first: use that one
    finally:
        os.unlink(tmp)


def check_key_outside(key_path: str | Path, *folders: str | Path) -> None:
    """Refuse a key that lies in one of ``folders`` (the data it protects).

    Raises
    ------
    MusError
        Naming the key and the folder, when the key is inside it.
    """
    key = Path(key_path).resolve()
    for folder in folders:
        folder = Path(folder).resolve()
        if key.is_relative_to(folder):
            raise MusError(f"{key_path}: the pseudonym key lies in {folder}, with the data "
                            f"it protects. Fix: move it out of the data folders and set "
                            f"{KEY_ENV} to its new path.")


def pseudonym(key: bytes, prefix: str, *parts: str) -> str:
    """``prefix-`` and the first 16 hex digits of HMAC-SHA256(key, parts)."""
    message = "\x1f".join(parts).encode("utf-8")
    return f"{prefix}-{hmac.new(key, message, hashlib.sha256).hexdigest()[:DIGITS]}"


def respondent_pseudonyms(respondents: pd.DataFrame, key: bytes, *,
                          link_rounds: bool = False) -> pd.Series:
    """The pseudonym of every respondent, aligned with ``respondents``.

    Parameters
    ----------
    respondents : DataFrame
        ``round``, ``role``, ``respondent`` (the reader's running id, whose
        letters are kept as the prefix), ``file``, ``row`` and, when the
        export has an id column, ``source_id``.
    key : bytes
        The key (:func:`load_key`).
    link_rounds : bool, default False
        Leave the round out of the hash, so an id gives the same pseudonym
        in every round. Only for ids that name a person, see the module's
        notes.

    Notes
    -----
    What is hashed, parts separated by a unit separator: the role, then
    ``id`` and the export's id; the round's name goes first unless
    ``link_rounds``. A respondent without an id, or with an id that another
    respondent of the same role and round has too (two files that both
    count from 1), is hashed as ``row``, round, role, file and row: stable
    while the export file stays the same, and never linked.
    """
    prefixes = respondents["respondent"].astype(str).str.extract(r"^(\D*)")[0]
    prefixes = prefixes.where(prefixes != "", respondents["role"].astype(str).str[:1].str.upper())
    ids = (respondents[SOURCE_ID].astype("string").str.strip()
           if SOURCE_ID in respondents else pd.Series(pd.NA, index=respondents.index,
                                                      dtype="string"))
    has_id = (ids.notna() & (ids != "")).fillna(False).astype(bool)
    keys = pd.DataFrame({"round": respondents["round"].astype(str),
                         "role": respondents["role"].astype(str), "id": ids})
    unique = has_id & ~keys.duplicated(keep=False)

    names = []
    for rnd, role, prefix, has, id_, file, row in zip(
            keys["round"].tolist(), keys["role"].tolist(), prefixes.tolist(), unique.tolist(),
            ids.tolist(), respondents["file"].astype(str).tolist(),
            respondents["row"].astype(str).tolist()):
        if has:
            parts = (role, "id", id_) if link_rounds else (rnd, role, "id", id_)
        else:
            parts = ("row", rnd, role, file, row)
        names.append(pseudonym(key, prefix, *parts))
    result = pd.Series(names, index=respondents.index, dtype="string", name="respondent")
    if result.duplicated().any():  # 1 in 2**64 per pair: a sign of repeated rows
        raise MusError("two respondents got the same pseudonym. Fix: check the exports "
                        "for a file read twice.")
    return result


def pseudonymise(data: RoundData, key: bytes, *, link_rounds: bool = False) -> RoundData:
    """``data`` with every respondent id replaced by its pseudonym.

    The export's id (``source_id``) is dropped; ``file`` and ``row`` stay,
    for the analyst who checks a cleaning-log entry against the raw export.
    The answers keep their order.
    """
    respondents = data.respondents
    names = respondent_pseudonyms(respondents, key, link_rounds=link_rounds)
    mapping = dict(zip(respondents["respondent"].astype(str), names))
    if len(mapping) != len(respondents):
        raise ValueError("`respondents` must have one row per respondent id.")

    answers = data.answers.copy()
    column = answers["respondent"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        answers["respondent"] = column.cat.rename_categories(
            [mapping.get(str(c), str(c)) for c in column.cat.categories])
    else:
        answers["respondent"] = column.astype(str).map(mapping).astype(column.dtype)
    respondents = respondents.drop(columns=[SOURCE_ID], errors="ignore").assign(
        respondent=names.astype(respondents["respondent"].dtype).to_numpy())
    return dataclasses.replace(data, answers=answers, respondents=respondents)
