"""Run a report notebook with papermill and render it to one HTML file."""

from __future__ import annotations

import logging
import shutil
from importlib.resources import files
from pathlib import Path

import nbformat

from .errors import ReportError, RoundError
from .files import replace_folder, staging_folder, write_text
from .render import notebook_html

log = logging.getLogger("mus_analysis")

LANGS = ("da", "en")


def notebook_path(name: str) -> Path:
    """The path of one of the kit's notebooks, e.g. ``round_report.ipynb``."""
    candidates = [
        Path(__file__).resolve().parent.parent / "notebooks" / name,  # source checkout
        Path(str(files("mus_analysis"))) / "notebooks" / name,       # installed copy
    ]
    for path in candidates:
        if path.is_file():
            return path
    raise ReportError(f"the notebook {name} was not found in "
                      f"{', '.join(str(c.parent) for c in candidates)}. Fix: install the "
                      "kit from its source folder with `pip install -e .`.")


def _failure(exc: Exception) -> str:
    """The one line that says why a notebook failed."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename in {"RoundError", "InstrumentError", "MusError"}:
        return evalue
    return f"{ename}: {evalue}".splitlines()[0]


def build_report(round_dir: str | Path, out_dir: str | Path = "reports", *, lang: str = "da",
                 max_missing: int = 0, min_group: int = 5,
                 processed_dir: str | Path | None = None) -> Path:
    """Build one round's report folder ``out_dir/<round>/``.

    Runs ``round_report.ipynb`` with papermill and writes ``<round>.html``,
    ``summary.json`` and the executed ``<round>.ipynb``. The folder is built
    beside its final place and moved there only when complete, so a failed
    run leaves the previous report as it was. A failed run keeps its executed
    notebook as ``<round>/<round>.failed.ipynb`` for the analyst to open.

    Returns
    -------
    Path
        The HTML file.

    Raises
    ------
    RoundError, ReportError
        With one line saying what failed and how to fix it.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .analysis import default_processed_dir

    if lang not in LANGS:
        raise ReportError(f"The value for `lang` must be one of {list(LANGS)}, "
                          f"but {lang!r} was passed.")
    round_dir = Path(round_dir).resolve()
    if not round_dir.is_dir():
        raise RoundError(round_dir, "is not a folder.", "give the path of a round folder.")
    name = round_dir.name
    final = Path(out_dir).resolve() / name
    processed = Path(processed_dir).resolve() if processed_dir else \
        default_processed_dir(round_dir)
    parameters = {
        "round_dir": str(round_dir),
        "out_dir": "",
        "processed_dir": str(processed),
        "lang": lang,
        "max_missing": max_missing,
        "min_group": min_group,
    }
    log.info("report %s: %s -> %s (%s)", name, round_dir, final,
             ", ".join(f"{k}={v}" for k, v in parameters.items() if k in
                       ("lang", "max_missing", "min_group")))

    staging = staging_folder(final)
    try:
        parameters["out_dir"] = str(staging)
        executed = staging / f"{name}.ipynb"
        try:
            papermill.execute_notebook(
                str(notebook_path("round_report.ipynb")), str(executed),
                parameters=parameters, progress_bar=False, log_output=False,
                cwd=str(staging), kernel_name="python3")
        except PapermillExecutionError as exc:
            failed = final / f"{name}.failed.ipynb"
            if executed.exists():
                final.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(executed, failed)
            raise ReportError(f"{name}: {_failure(exc)}") from None

        notebook = nbformat.read(executed, as_version=4)
        write_text(staging / f"{name}.html", notebook_html(notebook, title=name, lang=lang))
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("report %s written: %s", name, final / f"{name}.html")
    return final / f"{name}.html"
