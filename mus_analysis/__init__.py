"""mus-analysis: score, band and chart MUS test rounds from survey exports.

The names below are imported on first use, so that the command line can
answer quickly (``--help``, a batch with nothing to build) without loading
pandas and matplotlib.
"""

from importlib import import_module

__version__ = "0.1.0"

_WHERE = {
    "Instrument": "instrument",
    "load_instrument": "instrument",
    "InstrumentError": "errors",
    "MusError": "errors",
    "ReportError": "errors",
    "RoundError": "errors",
    "RoundAnalysis": "analysis",
    "analyse_round": "analysis",
    "write_processed": "analysis",
    "write_summary": "analysis",
    "default_processed_dir": "files",
    "RoundData": "read",
    "read_round": "read",
    "band_of": "score",
    "score_respondents": "score",
    "score_round": "score",
    "setup_notebook": "notebook",
    "show": "notebook",
    "show_contents": "notebook",
    "build_report": "report",
    "Comparison": "compare",
    "compare_rounds": "compare",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mus_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
