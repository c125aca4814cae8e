"""One round from raw exports to summary tables: the steps a report runs."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import summarise
from .files import (
    default_processed_dir,  # noqa: F401 - part of this module's API
    replace_folder,
    staging_folder,
    write_csv,
    write_json,
    write_parquet,
)
from .instrument import Instrument, load_instrument
from .read import RoundData, read_round
from .score import score_respondents


@dataclass
class RoundAnalysis:
    """A read, cleaned and scored round with its summary tables.

    Tables of withheld roles (fewer respondents than ``min_group``) are left
    out of ``bands``, ``spread``, ``sections`` and ``gaps``.
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

    @property
    def round(self) -> str:
        return self.data.round


def analyse_round(round_dir: str | Path, *, max_missing: int = 0,
                  min_group: int = summarise.DEFAULT_MIN_GROUP,
                  instrument: Instrument | None = None) -> RoundAnalysis:
    """Read, clean, score and summarise a round folder.

    Parameters
    ----------
    round_dir : str or Path
        The round folder of exports.
    max_missing : int, default 0
        Unanswered statements a respondent may have and still be scored
        (prorated); 0 scores complete answer sets only.
    min_group : int, default 5
        The anonymity threshold: a role with fewer respondents is withheld.
    instrument : Instrument, optional
        The questionnaire; the built-in MUS test by default.
    """
    instrument = instrument or load_instrument()
    data = read_round(round_dir, instrument=instrument)
    respondents = score_respondents(data.answers, data.respondents, instrument=instrument,
                                    max_missing=max_missing)

    shown = summarise.shown_roles(respondents, min_group=min_group)
    present = [r for r in instrument.roles["role"] if r in set(respondents["role"])]
    answers = data.answers[data.answers["role"].isin(shown)]
    both_shown = len(shown) == 2

    return RoundAnalysis(
        data=data,
        respondents=respondents,
        instrument=instrument,
        min_group=min_group,
        max_missing=max_missing,
        shown=shown,
        withheld=[r for r in present if r not in shown],
        bands=summarise.band_counts(respondents, roles=shown, instrument=instrument),
        spread=summarise.spread(answers, roles=shown, instrument=instrument),
        sections=summarise.section_means(respondents, roles=shown, instrument=instrument),
        gaps=(summarise.pair_gaps(answers, instrument=instrument) if both_shown
              else pd.DataFrame()),
        quality=summarise.data_quality(data.received, respondents, data.log),
        summary=summarise.round_summary(
            data.round, respondents, received=data.received, log=data.log,
            min_group=min_group, max_missing=max_missing, answers=data.answers,
            instrument=instrument),
    )


def write_processed(analysis: RoundAnalysis, folder: str | Path) -> Path:
    """Write the round's tidy data to ``folder``, replacing what was there.

    Files, each as Parquet and as CSV (UTF-8 with BOM): ``answers`` (one row
    per respondent and statement), ``respondents`` (one row per respondent
    with score and band) and ``cleaning_log``. The folder appears complete or
    not at all.
    """
    final = Path(folder)
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
        return replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_summary(analysis: RoundAnalysis, folder: str | Path) -> Path:
    """Write ``summary.json`` with the round's headline figures into ``folder``."""
    return write_json(Path(folder) / "summary.json", analysis.summary)
