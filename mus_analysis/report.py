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
import os
import shutil
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path

from .errors import MusError, ReportError, RoundError
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


def input_digests(round_dir: Path) -> dict[str, str]:
    """A digest of every file in a round folder, by its path in the folder.

    Files are hashed in chunks, so a huge file costs time, not memory (the
    reader then refuses it with a clear message). Links are not followed: a
    link counts by where it points, and the reader decides whether it may.
    """
    digests = {}
    for folder, subfolders, names in os.walk(round_dir, followlinks=False):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith((".", "~$")):
                continue
            rel = path.relative_to(round_dir).as_posix()
            if path.is_symlink():
                digests[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                with open(path, "rb") as handle:
                    digests[rel] = hashlib.file_digest(handle, "sha256").hexdigest()
    return digests


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
    unit: str = ""  # a unit whose spread the report adds; its own report folder
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The report's name: the round's, with ``--<unit>`` for a unit's report."""
        from .units import unit_slug

        return f"{self.round_dir.name}--{unit_slug(self.unit)}" if self.unit \
            else self.round_dir.name

    @property
    def folder(self) -> Path:
        return self.out_dir / self.name

    @property
    def processed(self) -> Path:
        """Where the tidy data goes: ``data/processed/<round>`` for a round in
        ``data/raw/``, else the report folder's ``processed/``, never a folder
        beside the exports (a batch would take it for a round)."""
        return self.processed_dir or default_processed_dir(self.round_dir, self.folder)

    def parameters(self, out_dir: Path) -> dict:
        processed = self.processed
        if processed.is_relative_to(self.folder):
            # Inside the report folder: built in the staging folder with the rest.
            processed = Path(out_dir) / processed.relative_to(self.folder)
        return {"round_dir": str(self.round_dir), "out_dir": str(out_dir),
                "processed_dir": str(processed), "lang": self.lang,
                "max_missing": self.max_missing, "min_group": self.min_group,
                **({"unit": self.unit} if self.unit else {}), **self.extra}

    def fingerprint(self) -> dict:
        """What the report is built from; equal fingerprints give equal reports."""
        return {
            "round": self.name,
            "inputs": input_digests(self.round_dir),
            "notebook": _digest([notebook_path("round_report.ipynb")]),
            "kit": kit_digest(),
            "parameters": {k: v for k, v in self.parameters(Path()).items()
                           if k not in ("out_dir",)},
        }


def resolve_job(round_dir: str | Path, out_dir: str | Path = "reports", **options) -> ReportJob:
    """A :class:`ReportJob` with absolute paths and checked options.

    ``lang``, ``max_missing`` and ``min_group`` left out or None come from the
    round's ``round.toml``, else the defaults. A ``round.toml`` that cannot be
    read gives the defaults here; the report's run then fails with its error.
    """
    round_dir = Path(round_dir).resolve()
    options = {key: value for key, value in options.items() if value is not None}
    for key, value in _round_settings(round_dir).items():
        options.setdefault(key, value)
    lang = options.get("lang", "da")
    if lang not in LANGS:
        raise ReportError(f"The value for `lang` must be one of {list(LANGS)}, "
                          f"but {lang!r} was passed.")
    if not round_dir.is_dir():
        raise RoundError(round_dir, "is not a folder.", "give the path of a round folder.")
    processed = options.pop("processed_dir", None)
    return ReportJob(round_dir=round_dir, out_dir=Path(out_dir).resolve(),
                     processed_dir=Path(processed).resolve() if processed else None,
                     **options)


def _round_settings(round_dir: Path) -> dict:
    """The report parameters a round's ``round.toml`` sets, or defaults."""
    from .settings import load_settings

    try:
        settings = load_settings(round_dir)
    except MusError:
        return {}
    return {"lang": settings.lang, "max_missing": settings.max_missing,
            "min_group": settings.min_group}


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
            notebook = papermill.execute_notebook(
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
            prefix = "" if error.startswith(f"{job.round_dir.name}:") else f"{job.name}: "
            raise ReportError(prefix + error) from None

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


def build_report(round_dir: str | Path, out_dir: str | Path = "reports", *,
                 lang: str | None = None, max_missing: int | None = None,
                 min_group: int | None = None, processed_dir: str | Path | None = None,
                 engine: str = "mus-inprocess", unit: str | None = None) -> Path:
    """Build one round's report folder ``out_dir/<round>/``.

    Runs ``round_report.ipynb`` with papermill and writes ``<round>.html``,
    ``summary.json``, the executed ``<round>.ipynb`` and ``build.json``. The
    folder is built beside its final place and swapped in only when
    complete, so a failed or killed run leaves the previous report as it
    was. A failed run keeps its executed notebook as
    ``<round>/<round>.failed.ipynb`` for the analyst to open.

    Parameters
    ----------
    lang, max_missing, min_group : optional
        The report language, the missing-answer policy and the anonymity
        threshold. Left out, the round's ``round.toml`` gives them, else
        ``"da"``, 0 and 5.
    engine : str, default "mus-inprocess"
        The papermill engine: ``"mus-inprocess"`` runs the notebook in this
        process's IPython shell (fast, see :mod:`mus_analysis.engine`);
        ``"nbclient"`` starts a Jupyter kernel as papermill does by default.
    unit : str, optional
        A unit whose spread of answers the report adds. The report goes to
        ``out_dir/<round>--<unit>/`` (the unit's name in plain letters, digits
        and dashes), beside the round's own report.

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
                      min_group=min_group, processed_dir=processed_dir, engine=engine,
                      **({"unit": unit} if unit else {}))
    return run_job(job)
