"""The ``compare`` command: a comparison of rounds as one HTML page and its data.

Add it to the ``mus-analysis`` group with ``main.add_command(compare)``; it
also runs on its own.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import click

from .errors import MusError, ReportError

log = logging.getLogger("mus_analysis")

NOTEBOOK = "compare_rounds.ipynb"

# Exceptions raised in the notebook whose message is meant for the user as it is.
_USER_ERRORS = {"MusError", "RoundError", "InstrumentError", "ReportError", "CompareError"}


def build_comparison(round_dirs, out_dir: str | Path = "reports", *, name: str | None = None,
                     lang: str = "da", min_group: int = 5, alpha: float = 0.05,
                     max_missing: int = 0) -> Path:
    """Build the comparison folder ``out_dir/<name>/``.

    Runs ``compare_rounds.ipynb`` with papermill and writes ``<name>.html``,
    ``comparison.json``, the executed ``<name>.ipynb`` and the tidy data of
    all rounds in ``data/``. The folder is built beside its final place and
    moved there only when complete; a failed run leaves the previous folder
    as it was and keeps its executed notebook as ``<name>.failed.ipynb``.

    Returns
    -------
    Path
        The HTML file.

    Raises
    ------
    MusError
        With one line saying what failed and how to fix it.
    """
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .compare import check_round_dirs, comparison_name
    from .engine import ENGINE_NAME
    from .files import replace_folder, staging_folder, write_text
    from .render import notebook_html
    from .report import notebook_path

    if lang not in ("da", "en"):
        raise ReportError(f"The value for `lang` must be one of ['da', 'en'], "
                          f"but {lang!r} was passed.")
    paths = [p.resolve() for p in check_round_dirs(round_dirs)]
    name = name or comparison_name(p.name for p in paths)
    if not name or name in {".", ".."} or "/" in name or "\\" in name:
        raise ReportError(f"the name {name!r} cannot name a folder. Fix: give a name "
                          "without slashes, e.g. 2025_vs_2026.")
    final = Path(out_dir).resolve() / name
    parameters = {
        "round_dirs": [str(p) for p in paths],
        "out_dir": "",
        "lang": lang,
        "min_group": min_group,
        "alpha": alpha,
        "max_missing": max_missing,
    }
    log.info("compare %s: %s -> %s (lang=%s, min_group=%s, alpha=%s, max_missing=%s)",
             name, ", ".join(str(p) for p in paths), final, lang, min_group, alpha,
             max_missing)

    staging = staging_folder(final)
    try:
        parameters["out_dir"] = str(staging)
        executed = staging / f"{name}.ipynb"
        try:
            papermill.execute_notebook(
                str(notebook_path(NOTEBOOK)), str(executed), parameters=parameters,
                engine_name=ENGINE_NAME, progress_bar=False, log_output=False,
                cwd=str(staging), kernel_name="python3")
        except PapermillExecutionError as exc:
            if executed.exists():
                final.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(executed, final / f"{name}.failed.ipynb")
            raise ReportError(f"{name}: {_failure(exc)}") from None

        notebook = nbformat.read(executed, as_version=4)
        write_text(staging / f"{name}.html", notebook_html(notebook, title=name, lang=lang))
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("comparison %s written: %s", name, final / f"{name}.html")
    return final / f"{name}.html"


def _failure(exc: Exception) -> str:
    """The one line that says why the notebook failed."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename in _USER_ERRORS:
        return evalue.splitlines()[0] if evalue else ename
    return f"{ename}: {evalue}".splitlines()[0]


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("round_dirs", nargs=-1, required=True,
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True,
              help="Folder that gets the comparison's folder.")
@click.option("--name", default=None,
              help="Name of the comparison's folder and page [default: the round names "
                   "joined by _vs_].")
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
              help="Report language.")
@click.option("--min-group", type=click.IntRange(1), default=5, show_default=True,
              help="Anonymity threshold: roles with fewer responses in a round are not shown "
                   "there and not compared.")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              default=0.05, show_default=True,
              help="Significance level for the Holm-adjusted p-values.")
@click.option("--max-missing", type=click.IntRange(0, 19), default=0, show_default=True,
              help="Unanswered statements allowed per response (the score is then "
                   "prorated); 0 scores complete answer sets only.")
def compare(round_dirs: tuple[Path, ...], out_dir: Path, name: str | None, lang: str,
            min_group: int, alpha: float, max_missing: int) -> None:
    """Compare two or more ROUND_DIRs, oldest first, into OUT/<name>/.

    Writes <name>.html, comparison.json and the tidy data of all rounds in
    data/ (Parquet, CSV, SPSS and a codebook). Prints the HTML file's path.
    """
    try:
        html = build_comparison(list(round_dirs), out_dir, name=name, lang=lang,
                                min_group=min_group, alpha=alpha, max_missing=max_missing)
    except MusError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(str(html))
