"""Build the reports of many rounds: incremental, in parallel, one failure at a time.

Each worker process builds its rounds one after another in one warm IPython
shell (see :mod:`mus_analysis.engine`), so the interpreter, pandas and
seaborn start once per worker, not once per round. A round whose report is
up to date (same exports, parameters, notebook and kit) is skipped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .errors import MusError
from .report import ReportJob, check_job, run_job

log = logging.getLogger("mus_analysis")


@dataclass
class Outcome:
    """What happened to one round: ``built``, ``up to date``, ``failed`` or ``would build``."""

    round: str
    status: str
    detail: str = ""
    seconds: float = 0.0

    def line(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        timing = f" ({self.seconds:.1f} s)" if self.status == "built" else ""
        return f"{self.status:<10} {self.round}{detail}{timing}"


PROCESSED_MARK = ".mus-analysis-processed"  # as analysis.PROCESSED_MARK, without pandas


def round_folders(raw_dir: Path) -> list[Path]:
    """The round folders under ``raw_dir``: its visible sub-folders, by name.

    Folders of processed data the kit wrote there (marked with
    ``.mus-analysis-processed``, in the folder or in its sub-folders) are
    not rounds and are left out.
    """
    def processed(folder: Path) -> bool:
        return (folder / PROCESSED_MARK).exists() or any(
            (sub / PROCESSED_MARK).exists() for sub in folder.iterdir() if sub.is_dir())

    return sorted(p for p in raw_dir.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and not processed(p))


def plan(jobs: Iterable[ReportJob], *, force: bool = False) -> tuple[list, list[Outcome]]:
    """Split jobs into those to build (with the reason) and those settled.

    Settled are the rounds whose report is up to date and those that failed
    before with exactly the same exports, parameters, notebook and kit:
    building them again would fail again. ``force`` builds every round.
    """
    todo, settled = [], []
    for job in jobs:
        if force:
            todo.append((job, "--force"))
            continue
        try:
            status, why = check_job(job)
        except OSError as exc:
            status, why = "build", f"cannot read the round ({exc.strerror})"
        if status == "build":
            todo.append((job, why))
        else:
            settled.append(Outcome(job.name, status, why))
    return todo, settled


def _build(job: ReportJob) -> Outcome:
    """Build one job, turning any failure into a one-line outcome."""
    start = time.perf_counter()
    try:
        run_job(job)
    except MusError as exc:
        return Outcome(job.name, "failed", _one_line(str(exc), job.name))
    except Exception as exc:  # noqa: BLE001 - one round must not stop the others
        log.debug("round %s failed", job.name, exc_info=True)
        return Outcome(job.name, "failed", _one_line(f"{type(exc).__name__}: {exc}", job.name))
    return Outcome(job.name, "built", seconds=time.perf_counter() - start)


def _one_line(message: str, name: str) -> str:
    message = message.splitlines()[0] if message else "unknown error"
    return message.removeprefix(f"{name}: ")


_PR_SET_PDEATHSIG = 1  # prctl option: the signal this process gets when its parent dies


def _die_with_parent(parent: int) -> None:
    """Have the system end this worker when the batch process dies (Linux).

    A batch killed by a scheduler or the out-of-memory killer must not leave
    workers behind: they would hold the output folder's lock and block every
    later run. Elsewhere this does nothing.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError, TypeError):
        return
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _warm_worker(level: int, parent: int) -> None:
    """Import what every report needs, once per worker process."""
    _die_with_parent(parent)
    logging.getLogger("mus_analysis").setLevel(level)
    from . import engine  # noqa: F401
    from .engine import _get_shell

    _get_shell()
    import seaborn  # noqa: F401

    import mus_analysis.analysis  # noqa: F401


def build_all(todo: list[tuple[ReportJob, str]], *, jobs: int = 1,
              on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Build every job, ``jobs`` rounds at a time; never stops at a failure.

    Should a worker process die (killed, out of memory), the pool cannot go
    on: the rounds it had not finished are built once more in new workers,
    and those that stop a worker again fail with that reason.
    """
    outcomes = []

    def done(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)

    pending = [job for job, _ in todo]
    if jobs <= 1 or len(pending) <= 1:
        for job in pending:
            done(_build(job))
        return outcomes
    for attempt in range(2):
        pending, error = _build_in_pool(pending, jobs, done)
        if not pending:
            break
        if attempt == 0:
            log.warning("a worker stopped (%s): %d round(s) are built again in new workers",
                        error, len(pending))
    for job in pending:
        done(Outcome(job.name, "failed", f"worker stopped: {error}"))
    return outcomes


def _build_in_pool(pending: list[ReportJob], jobs: int,
                   done: Callable[[Outcome], None]) -> tuple[list[ReportJob], str]:
    """Build ``pending`` in a pool of ``jobs`` warm workers; return the jobs a
    stopped worker left unfinished, with what stopped it."""
    # Forked workers start with what the parent imported; spawn elsewhere.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    level = logging.getLogger("mus_analysis").level
    unfinished, error = [], ""
    with ProcessPoolExecutor(max_workers=min(jobs, len(pending)), mp_context=context,
                             initializer=_warm_worker, initargs=(level, os.getpid())) as pool:
        futures = {pool.submit(_build, job): job for job in pending}
        for future in as_completed(futures):
            try:
                done(future.result())
            except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory)
                unfinished.append(futures[future])
                error = type(exc).__name__
    order = {job.name: n for n, job in enumerate(pending)}
    return sorted(unfinished, key=lambda job: order[job.name]), error


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
