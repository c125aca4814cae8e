"""Build a round's report folder: papermill runs the notebook, nbconvert renders it.

A report folder ``<out>/<round>/`` holds ``<round>.html``, ``summary.json``,
the executed ``<round>.ipynb`` and ``build.json``, the record of what the
report was built from (the round's files, the notebook, the kit and the
parameters). The folder is built beside its final place and swapped in only
when complete.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path

from .errors import ReportError, RoundError
from .files import (
    default_processed_dir,
    recover_folder,
    replace_folder,
    staging_folder,
    write_json,
    write_text,
)

log = logging.getLogger("mus_analysis")

LANGS = ("da", "en")
RECORD = "build.json"
FAILED_RECORD = "build-failed.json"


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


def _digest(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.name.encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def kit_digest() -> str:
    """A digest of the kit's own code and data, so a changed kit rebuilds reports."""
    from . import __version__

    package = Path(__file__).resolve().parent
    sources = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in
                     {".py", ".toml", ".css"} and "__pycache__" not in p.parts)
    return f"{__version__}:{_digest(sources)}"


@dataclass(frozen=True)
class ReportJob:
    """One report to build: a round folder and the parameters of its report."""

    round_dir: Path
    out_dir: Path
    lang: str = "da"
    max_missing: int = 0
    min_group: int = 5
    processed_dir: Path | None = None
    engine: str = "mus-inprocess"
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.round_dir.name

    @property
    def folder(self) -> Path:
        return self.out_dir / self.name

    @property
    def processed(self) -> Path:
        return self.processed_dir or default_processed_dir(self.round_dir)

    def parameters(self, out_dir: Path) -> dict:
        return {"round_dir": str(self.round_dir), "out_dir": str(out_dir),
                "processed_dir": str(self.processed), "lang": self.lang,
                "max_missing": self.max_missing, "min_group": self.min_group, **self.extra}

    def fingerprint(self) -> dict:
        """What the report is built from; equal fingerprints give equal reports."""
        inputs = {}
        for path in sorted(self.round_dir.rglob("*")):
            if path.is_file() and not path.name.startswith((".", "~$")):
                rel = path.relative_to(self.round_dir).as_posix()
                inputs[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        return {
            "round": self.name,
            "inputs": inputs,
            "notebook": _digest([notebook_path("round_report.ipynb")]),
            "kit": kit_digest(),
            "parameters": {k: v for k, v in self.parameters(Path()).items()
                           if k not in ("out_dir",)},
        }


def resolve_job(round_dir: str | Path, out_dir: str | Path = "reports", **options) -> ReportJob:
    """A :class:`ReportJob` with absolute paths and checked options."""
    lang = options.get("lang", "da")
    if lang not in LANGS:
        raise ReportError(f"The value for `lang` must be one of {list(LANGS)}, "
                          f"but {lang!r} was passed.")
    round_dir = Path(round_dir).resolve()
    if not round_dir.is_dir():
        raise RoundError(round_dir, "is not a folder.", "give the path of a round folder.")
    processed = options.pop("processed_dir", None)
    return ReportJob(round_dir=round_dir, out_dir=Path(out_dir).resolve(),
                     processed_dir=Path(processed).resolve() if processed else None,
                     **options)


def _same_build(record: Path, now: dict) -> tuple[bool, str, dict]:
    """Compare a build record with a fingerprint: (same, what differs, record)."""
    try:
        built = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False, "build record unreadable", {}
    for key, why in (("inputs", "exports changed"), ("parameters", "parameters changed"),
                     ("notebook", "notebook changed"), ("kit", "mus-analysis changed")):
        if built.get(key) != now[key]:
            return False, why, built
    return True, "", built


def check_job(job: ReportJob) -> tuple[str, str]:
    """Whether a job needs building: ``("up to date", "")``, ``("failed", reason)``
    when it failed before and nothing changed since, or ``("build", reason)``."""
    now = job.fingerprint()
    failed = job.folder / FAILED_RECORD
    if failed.is_file():
        same, _, record = _same_build(failed, now)
        if same:
            return "failed", f"unchanged since it failed: {record.get('error', '?')}"
    wanted = [job.folder / f"{job.name}.html", job.folder / "summary.json",
              job.folder / RECORD]
    if not all(p.is_file() for p in wanted):
        return "build", "no complete report yet"
    if not job.processed.is_dir():
        return "build", "processed data missing"
    same, why, _ = _same_build(job.folder / RECORD, now)
    return ("up to date", "") if same else ("build", why)


def _failure(exc: Exception) -> str:
    """The one line that says why a notebook failed."""
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    if ename in {"RoundError", "InstrumentError", "MusError"}:
        return evalue
    return f"{ename}: {evalue}".splitlines()[0]


def run_job(job: ReportJob) -> Path:
    """Build one report folder; see :func:`build_report`."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import engine  # noqa: F401 - registers the in-process engine
    from .render import notebook_html

    final = job.folder
    recover_folder(final)
    fingerprint = job.fingerprint()
    log.info("report %s: %s -> %s (lang=%s, max_missing=%s, min_group=%s)", job.name,
             job.round_dir, final, job.lang, job.max_missing, job.min_group)

    staging = staging_folder(final)
    try:
        executed = staging / f"{job.name}.ipynb"
        try:
            papermill.execute_notebook(
                str(notebook_path("round_report.ipynb")), str(executed),
                parameters=job.parameters(staging), engine_name=job.engine,
                progress_bar=False, log_output=False, cwd=str(staging),
                kernel_name="python3")
        except PapermillExecutionError as exc:
            error = _failure(exc)
            final.mkdir(parents=True, exist_ok=True)
            if executed.exists():
                shutil.copyfile(executed, final / f"{job.name}.failed.ipynb")
            write_json(final / FAILED_RECORD, fingerprint | {"error": error})
            raise ReportError(f"{job.name}: {error}") from None

        notebook = nbformat.read(executed, as_version=4)
        write_text(staging / f"{job.name}.html",
                   notebook_html(notebook, title=job.name, lang=job.lang))
        write_json(staging / RECORD, fingerprint | {"job": _describe(job)})
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("report %s written: %s", job.name, final / f"{job.name}.html")
    return final / f"{job.name}.html"


def _describe(job: ReportJob) -> dict:
    return {k: str(v) if isinstance(v, Path) else v for k, v in asdict(job).items()}


def build_report(round_dir: str | Path, out_dir: str | Path = "reports", *, lang: str = "da",
                 max_missing: int = 0, min_group: int = 5,
                 processed_dir: str | Path | None = None,
                 engine: str = "mus-inprocess") -> Path:
    """Build one round's report folder ``out_dir/<round>/``.

    Runs ``round_report.ipynb`` with papermill and writes ``<round>.html``,
    ``summary.json``, the executed ``<round>.ipynb`` and ``build.json``. The
    folder is built beside its final place and swapped in only when
    complete, so a failed or killed run leaves the previous report as it
    was. A failed run keeps its executed notebook as
    ``<round>/<round>.failed.ipynb`` for the analyst to open.

    Parameters
    ----------
    engine : str, default "mus-inprocess"
        The papermill engine: ``"mus-inprocess"`` runs the notebook in this
        process's IPython shell (fast, see :mod:`mus_analysis.engine`);
        ``"nbclient"`` starts a Jupyter kernel as papermill does by default.

    Returns
    -------
    Path
        The HTML file.

    Raises
    ------
    RoundError, ReportError
        With one line saying what failed and how to fix it.
    """
    job = resolve_job(round_dir, out_dir, lang=lang, max_missing=max_missing,
                      min_group=min_group, processed_dir=processed_dir, engine=engine)
    return run_job(job)
