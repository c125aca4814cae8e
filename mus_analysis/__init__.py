"""mus-analysis: score, band and chart MUS test rounds from survey exports."""

from .analysis import (
    RoundAnalysis,
    analyse_round,
    default_processed_dir,
    write_processed,
    write_summary,
)
from .errors import InstrumentError, MusError, ReportError, RoundError
from .instrument import Instrument, load_instrument
from .notebook import setup_notebook, show
from .read import RoundData, read_round
from .report import build_report
from .score import band_of, score_respondents

__version__ = "0.1.0"

__all__ = [
    "Instrument",
    "InstrumentError",
    "MusError",
    "ReportError",
    "RoundAnalysis",
    "RoundData",
    "RoundError",
    "analyse_round",
    "band_of",
    "build_report",
    "default_processed_dir",
    "load_instrument",
    "read_round",
    "score_respondents",
    "setup_notebook",
    "show",
    "write_processed",
    "write_summary",
]
