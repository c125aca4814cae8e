"""Pseudonyms: the key file, the keyed hash, and processed data without export ids.

The rounds are built as RoundData directly, with the ``source_id`` column
the reader is to provide (the export's own respondent id), so the tests do
not depend on which exports the reader gets it from.
"""

from __future__ import annotations

import re
import stat

import pandas as pd
import pytest

from mus_analysis import pseudonym
from mus_analysis.analysis import analyse_data, analyse_round, write_processed
from mus_analysis.errors import MusError
from mus_analysis.read import LOG_COLUMNS, RoundData

KEY = bytes.fromhex("11" * 32)
OTHER_KEY = bytes.fromhex("22" * 32)
PSEUDONYM = re.compile(r"^[LE]-[0-9a-f]{16}$")


@pytest.fixture(autouse=True)
def key_file(tmp_path, monkeypatch):
    """Every test gets its own key location, never the user's."""
    path = tmp_path / "config" / "mus-analysis" / "pseudonym.key"
    monkeypatch.setenv(pseudonym.KEY_ENV, str(path))
    return path


def round_data(name: str, ids: list[str | None] | None = None, *, n: int = 6,
               file: str = "Medarbejdere.xlsx") -> RoundData:
    """``n`` employees answering 4 to everything; ``ids`` are the export's ids."""
    respondents = pd.DataFrame({
        "round": name, "role": "employee", "respondent": [f"E{i:04d}" for i in range(1, n + 1)],
        "unit": pd.array(["A"] * n, dtype="string"), "file": file,
        "row": list(range(2, n + 2))})
    if ids is not None:
        respondents["source_id"] = pd.array(ids, dtype="string")
    answers = pd.DataFrame([
        {"round": name, "role": "employee", "respondent": r, "unit": "A",
         "item": f"E{i:02d}", "points": 4}
        for r in respondents["respondent"] for i in range(1, 21)]).astype(
        {"points": "Int64", "unit": "string"})
    return RoundData(round=name, answers=answers, respondents=respondents,
                     log=pd.DataFrame(columns=LOG_COLUMNS), tables=[], received=n)


# The key ---------------------------------------------------------------------------


def test_key_is_created_on_first_use_for_its_owner_only(key_file):
    assert not key_file.exists()
    key = pseudonym.load_key()
    assert len(key) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert re.fullmatch(r"[0-9a-f]{64}\n", key_file.read_text())
    assert pseudonym.load_key() == key                      # the same key next time


def test_key_location_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(pseudonym.KEY_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert pseudonym.default_key_path() == tmp_path / "xdg" / "mus-analysis" / "pseudonym.key"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert pseudonym.default_key_path() == (tmp_path / "home" / ".config" / "mus-analysis"
                                            / "pseudonym.key")


def test_a_key_that_exists_is_never_replaced(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("ab" * 32 + "\n")
    key_file.chmod(0o600)
    pseudonym._create_key(key_file)                         # a run that came second
    assert pseudonym.load_key() == bytes.fromhex("ab" * 32)
    assert [p.name for p in key_file.parent.iterdir()] == ["pseudonym.key"]


def test_bad_or_exposed_keys_are_reported(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("not a key")
    with pytest.raises(MusError, match="is not a pseudonym key"):
        pseudonym.load_key()
    key_file.write_text("cd" * 32)
    key_file.chmod(0o644)
    with pytest.warns(UserWarning, match="can be read by others"):
        pseudonym.load_key()
    with pytest.raises(MusError, match="does not exist"):
        pseudonym.load_key(key_file.parent / "missing.key", create=False)


def test_key_must_lie_outside_the_data_it_protects(tmp_path, monkeypatch):
    data = tmp_path / "data"
    folder = data / "raw" / "2026"
    folder.mkdir(parents=True)
    monkeypatch.setenv(pseudonym.KEY_ENV, str(data / "pseudonym.key"))
    with pytest.raises(MusError, match="lies in .*data.* Fix: move it out"):
        analyse_round(folder)
    assert not (data / "pseudonym.key").exists()            # refused before it was made
    monkeypatch.setenv(pseudonym.KEY_ENV, str(tmp_path / "out" / "processed" / "k.key"))
    analysis = analyse_data(round_data("2026"), key=KEY)
    with pytest.raises(MusError, match="lies in"):
        write_processed(analysis, tmp_path / "out" / "processed")


# The pseudonyms ------------------------------------------------------------------------


def test_pseudonyms_hash_the_export_id_under_the_key():
    data = round_data("2026", ["R_a1", "R_b2", "R_c3", "R_d4", "R_e5", "R_f6"])
    names = pseudonym.respondent_pseudonyms(data.respondents, KEY)
    assert names.str.fullmatch(PSEUDONYM.pattern).all() and names.is_unique
    # Stable: the same id and key give the same name, also when rows move.
    moved = data.respondents.iloc[::-1].assign(row=range(10, 16), file="again.xlsx")
    assert pseudonym.respondent_pseudonyms(moved, KEY).tolist() == names.tolist()[::-1]
    assert not (pseudonym.respondent_pseudonyms(data.respondents, OTHER_KEY) == names).any()
    assert names.iloc[0] == pseudonym.pseudonym(KEY, "E", "2026", "employee", "id", "R_a1")


def test_rounds_are_linked_only_when_asked():
    ids = [str(i) for i in range(1, 7)]                      # Microsoft Forms: 1, 2, 3, ...
    spring, autumn = round_data("2025", ids), round_data("2026", ids)
    separate = [pseudonym.respondent_pseudonyms(d.respondents, KEY) for d in (spring, autumn)]
    assert not set(separate[0]) & set(separate[1])          # Id 1 of 2025 is not Id 1 of 2026
    linked = [pseudonym.respondent_pseudonyms(d.respondents, KEY, link_rounds=True)
              for d in (spring, autumn)]
    assert linked[0].tolist() == linked[1].tolist()


def test_without_an_id_the_file_and_row_stand_in():
    data = round_data("2026", [None, "", "x", "x", "y", "z"])
    names = pseudonym.respondent_pseudonyms(data.respondents, KEY)
    assert names.is_unique
    assert names.iloc[0] == pseudonym.pseudonym(KEY, "E", "row", "2026", "employee",
                                                "Medarbejdere.xlsx", "2")
    # "x" twice in one round and role is no id of a person: the row stands in.
    assert names.iloc[2] == pseudonym.pseudonym(KEY, "E", "row", "2026", "employee",
                                                "Medarbejdere.xlsx", "4")
    assert names.iloc[4] == pseudonym.pseudonym(KEY, "E", "2026", "employee", "id", "y")
    plain = round_data("2026").respondents                  # no id column at all
    assert pseudonym.respondent_pseudonyms(plain, KEY).iloc[0] == names.iloc[0]


def test_processed_data_keeps_no_export_id(tmp_path):
    ids = [f"medarbejder-{n}@styrelsen.example.dk" for n in range(6)]
    analysis = analyse_data(round_data("2026", ids), key=KEY)
    respondents, answers = analysis.respondents, analysis.data.answers
    assert "source_id" not in respondents and "source_id" not in analysis.data.respondents
    assert respondents["respondent"].str.fullmatch(PSEUDONYM.pattern).all()
    assert set(answers["respondent"].astype(str)) == set(respondents["respondent"])
    assert (answers.groupby("respondent", observed=True).size() == 20).all()

    folder = write_processed(analysis, tmp_path / "processed")
    for path in folder.iterdir():
        content = path.read_bytes()
        assert b"styrelsen.example.dk" not in content and b"medarbejder-" not in content
        assert not re.search(rb"\bE000\d\b", content), path.name  # no running numbers
    written = pd.read_parquet(folder / "respondents.parquet")
    assert written["respondent"].tolist() == respondents["respondent"].tolist()
    # The file and row stay: they point into the raw export the analyst holds.
    assert written[["file", "row"]].values.tolist()[0] == ["Medarbejdere.xlsx", 2]


def test_a_report_names_no_respondent(tmp_path):
    analysis = analyse_data(round_data("2026", ["1", "2", "3", "4", "5", "6"]), key=KEY)
    names = set(analysis.respondents["respondent"])
    text = repr(analysis.summary)
    assert not any(name in text for name in names)
