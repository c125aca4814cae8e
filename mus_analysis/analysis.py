"""One round from raw exports to summary tables: the steps a report runs."""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import summarise
from .errors import RoundError
from .files import (
    default_processed_dir,  # noqa: F401 - part of this module's API
    replace_folder,
    staging_folder,
    write_csv,
    write_json,
    write_parquet,
)
from .instrument import Instrument, load_instrument
from .pseudonym import check_key_outside, default_key_path, load_key, pseudonymise
from .read import RoundData, read_round
from .score import score_round
from .settings import RoundSettings, load_settings
from .units import close_units, find_unit


@dataclass
class RoundAnalysis:
    """A read, cleaned and scored round with its summary tables.

    ``data`` and ``respondents`` hold every respondent, named by pseudonym
    (:mod:`mus_analysis.pseudonym`). The tables are what a report may show,
    by the rules of :mod:`mus_analysis.anonymity`: withheld roles (fewer
    respondents than ``min_group``) are left out of ``bands``, ``spread``,
    ``sections`` and ``gaps``; ``bands`` holds runs of bands where a band
    alone would describe too few people; statements and sections with too
    few answers are left out. ``figures`` has all of them, with the unit
    groups and the chosen unit's spread.
    """

    data: RoundData
    respondents: pd.DataFrame
    instrument: Instrument
    min_group: int
    max_missing: int
    shown: list[str]
    withheld: list[str]
    bands: pd.DataFrame
    spread: pd.DataFrame
    sections: pd.DataFrame
    gaps: pd.DataFrame
    quality: pd.DataFrame
    summary: dict
    figures: summarise.Figures | None = None

    @property
    def round(self) -> str:
        return self.data.round

    @property
    def scores_shown(self) -> list[str]:
        """Shown roles whose score figures (mean score, bands) are shown."""
        return self.figures.scores_shown

    @property
    def spread_roles(self) -> list[str]:
        """Shown roles with at least one statement in ``spread``."""
        return [role for role in self.shown if role in set(self.spread["role"])]

    @property
    def has_units(self) -> bool:
        """Whether the round has a unit column with units in it."""
        return summarise.has_units(self.respondents)

    @property
    def units(self) -> pd.DataFrame:
        """The unit groups per role (:func:`summarise.unit_figures`)."""
        return self.figures.units

    @property
    def unit(self) -> summarise.UnitView | None:
        """The chosen unit's spread, when the report is for one unit."""
        return self.figures.unit


def analyse_round(round_dir: str | Path, *, max_missing: int | None = None,
                  min_group: int | None = None, instrument: Instrument | None = None,
                  settings: RoundSettings | None = None, unit: str | None = None,
                  key: bytes | None = None) -> RoundAnalysis:
    """Read, clean, score and summarise a round folder.

    Parameters
    ----------
    round_dir : str or Path
        The round folder of exports.
    max_missing : int, optional
        Unanswered statements a respondent may have and still be scored
        (prorated); 0 scores complete answer sets only. By default the
        round's ``round.toml`` says, else 0.
    min_group : int, optional
        The anonymity threshold: a role with fewer respondents is withheld.
        By default the round's ``round.toml`` says, else 5.
    instrument : Instrument, optional
        The questionnaire; by default the one ``round.toml`` names, else the
        built-in MUS test.
    settings : RoundSettings, optional
        The round's settings; read from its ``round.toml`` by default.
    unit : str, optional
        A unit whose spread of answers the report adds; see
        :func:`analyse_data`.
    key : bytes, optional
        The pseudonym key; by default :func:`~mus_analysis.pseudonym.load_key`
        reads (or creates) the key file, which must lie outside the round's
        data folders.
    """
    settings = load_settings(round_dir) if settings is None else settings
    max_missing = settings.max_missing if max_missing is None else max_missing
    min_group = settings.min_group if min_group is None else min_group
    instrument = instrument or load_instrument(settings.instrument)
    if key is None:
        check_key_outside(default_key_path(), *_data_folders(round_dir))
        key = load_key()
    data = read_round(round_dir, instrument=instrument, settings=settings)
    return analyse_data(data, max_missing=max_missing, min_group=min_group,
                        instrument=instrument, unit=unit, key=key)


def _data_folders(round_dir: str | Path) -> list[Path]:
    """The round folder and, for ``data/raw/<round>``, the whole ``data`` folder."""
    round_dir = Path(round_dir).resolve()
    return [round_dir, round_dir.parent.parent] if round_dir.parent.name == "raw" \
        else [round_dir]


def analyse_data(data: RoundData, *, max_missing: int = 0,
                 min_group: int = summarise.DEFAULT_MIN_GROUP,
                 instrument: Instrument | None = None, unit: str | None = None,
                 key: bytes | None = None) -> RoundAnalysis:
    """Pseudonymise, score and summarise a round that has been read.

    Parameters
    ----------
    data : RoundData
        The round as :func:`~mus_analysis.read_round` returns it.
    max_missing, min_group, instrument
        As for :func:`analyse_round`.
    unit : str, optional
        A unit whose spread of answers the report adds, matched without
        regard to letter case and spacing. Its spread is shown for each role
        where the unit is a group of its own; otherwise the report says why.
    key : bytes, optional
        The pseudonym key; :func:`~mus_analysis.pseudonym.load_key` by default.

    Raises
    ------
    RoundError
        When ``unit`` names no unit of the round.
    """
    instrument = instrument or load_instrument()
    data = _pseudonymised(data, load_key() if key is None else key)
    respondents = score_round(data, instrument=instrument, max_missing=max_missing)
    unit = None if unit is None or not str(unit).strip() else _find_unit(data, str(unit))
    figures = summarise.round_figures(respondents, data.answers, min_group=min_group,
                                      instrument=instrument, unit=unit)

    return RoundAnalysis(
        data=data,
        respondents=respondents,
        instrument=instrument,
        min_group=min_group,
        max_missing=max_missing,
        shown=figures.shown,
        withheld=figures.withheld,
        bands=figures.bands,
        spread=figures.spread,
        sections=figures.sections,
        gaps=figures.gaps,
        quality=summarise.data_quality(data.received, respondents, data.log),
        summary=summarise.round_summary(
            data.round, respondents, received=data.received, log=data.log,
            max_missing=max_missing, answers=data.answers, instrument=instrument,
            figures=figures),
        figures=figures,
    )


def _pseudonymised(data: RoundData, key: bytes) -> RoundData:
    """The round named by pseudonym, keeping its wide answers for scoring.

    Pseudonymising builds the long table, which drops ``data.wide``. It
    changes only the respondents' names, so the wide answers, renamed as the
    long table's respondents are, still hold the same answers.
    """
    wide = data.wide
    named = pseudonymise(data, key)
    if wide is not None:
        names = dict(zip(data.respondents["respondent"].astype(str),
                         named.respondents["respondent"]))
        named.wide = dataclasses.replace(
            wide, respondent=pd.array([names.get(r, r) for r in wide.respondent], dtype="str"))
    return named


def _find_unit(data: RoundData, name: str) -> str:
    """The unit of the round that ``name`` names, or a RoundError that lists them."""
    units = sorted(data.respondents["unit"].dropna().astype(str).unique())
    if not units:
        raise RoundError(data.round, "has no unit column, so there is no unit to report on.",
                         "leave out the unit, or name the unit column in round.toml "
                         "(unit = \"Afdeling\").")
    found = find_unit(name, units)
    if found is None:
        close = close_units(name, units)
        listed = ", ".join(repr(u) for u in (close or units[:10]))
        more = "" if close or len(units) <= 10 else f" and {len(units) - 10} more"
        raise RoundError(data.round, f"has no unit {name!r}; "
                         f"{'close' if close else 'its units are'}: {listed}{more}.",
                         "give the unit's name as the exports write it.")
    return found


PROCESSED_MARK = ".mus-analysis-processed"


def write_processed(analysis: RoundAnalysis, folder: str | Path) -> Path:
    """Write the round's tidy data to ``folder``, replacing what was there.

    Files, each as Parquet and as CSV (UTF-8 with BOM): ``answers`` (one row
    per respondent and statement), ``respondents`` (one row per respondent
    with score and band) and ``cleaning_log``. The folder appears complete or
    not at all. Respondents are named by pseudonym; ``respondents`` also
    keeps the ``file`` and ``row`` each answer set came from, which point
    into the raw exports the analyst holds anyway. The pseudonym key must
    not lie in ``folder``.
    """
    final = Path(folder)
    check_key_outside(default_key_path(), final)
    staging = staging_folder(final)
    try:
        tables = {
            "answers": analysis.data.answers,
            "respondents": analysis.respondents,
            "cleaning_log": analysis.data.log,
        }
        for name, frame in tables.items():
            write_parquet(staging / f"{name}.parquet", frame)
            write_csv(staging / f"{name}.csv", frame)
        (staging / PROCESSED_MARK).write_text(
            "Written by mus-analysis: tidy data rebuilt from a round's exports.\n",
            encoding="utf-8")
        return replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_summary(analysis: RoundAnalysis, folder: str | Path) -> Path:
    """Write ``summary.json`` with the round's headline figures into ``folder``."""
    return write_json(Path(folder) / "summary.json", analysis.summary)
