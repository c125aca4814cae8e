"""The ``mus-analysis`` command."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from pathlib import Path

import click
from click.core import ParameterSource

from .errors import MusError

log = logging.getLogger("mus_analysis")

_lang = click.option("--lang", type=click.Choice(["da", "en"]), default="da",
                     help="Report language [default: the round's round.toml, else da].")
_out = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("reports"), show_default=True,
                    help="Folder that gets one report folder per round.")
_max_missing = click.option("--max-missing", type=click.IntRange(0, 19), default=0,
                            help="Unanswered statements allowed per response (the score is "
                                 "then prorated); 0 scores complete answer sets only "
                                 "[default: the round's round.toml, else 0].")
_min_group = click.option("--min-group", type=click.IntRange(1), default=5,
                          help="Anonymity threshold: roles with fewer responses are not shown "
                               "[default: the round's round.toml, else 5].")


def _given(**options) -> dict:
    """The options given on the command line; the others are None, for round.toml to set."""
    ctx = click.get_current_context()
    return {name: value if ctx.get_parameter_source(name) is not ParameterSource.DEFAULT
            else None for name, value in options.items()}


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mus-analysis")
@click.option("-v", "--verbose", is_flag=True, help="Say more about each step.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors and results only.")
def main(verbose: bool, quiet: bool) -> None:
    """Reports on MUS test rounds from survey tools' answer exports."""
    _setup_logging(verbose, quiet)


def _verbosity(command):
    """Accept -q/-v after the command name too, e.g. ``batch --quiet``."""
    def apply(ctx, param, value):
        if value:
            _setup_logging(verbose=param.name == "verbose", quiet=param.name == "quiet")
        return value

    command = click.option("-q", "--quiet", is_flag=True, expose_value=False,
                           callback=apply, help="Print errors and results only.")(command)
    return click.option("-v", "--verbose", is_flag=True, expose_value=False,
                        callback=apply, help="Say more about each step.")(command)


_engine = click.option("--kernel", "engine", flag_value="nbclient", default="mus-inprocess",
                       help="Run the notebook in a fresh Jupyter kernel instead of this "
                            "process's IPython shell (slower; for debugging).")


@main.command()
@click.argument("round_dir", type=click.Path(path_type=Path))
@_out
@_lang
@_max_missing
@_min_group
@click.option("--processed", "processed_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the round's tidy data [default: "
                                 "data/processed/<round> beside data/raw/<round>].")
@click.option("--unit", default=None, metavar="NAME",
              help="Add the spread of this unit's answers; the report goes to "
                   "OUT/<round>--<unit>/.")
@_engine
@_verbosity
def report(round_dir: Path, out_dir: Path, lang: str, max_missing: int, min_group: int,
           processed_dir: Path | None, unit: str | None, engine: str) -> None:
    """Build the report of one ROUND_DIR into OUT/<round>/."""
    from .report import build_report

    try:
        with out_lock(out_dir):
            html = build_report(round_dir, out_dir, processed_dir=processed_dir,
                                engine=engine, unit=unit,
                                **_given(lang=lang, max_missing=max_missing,
                                         min_group=min_group))
    except MusError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(str(html))


@contextlib.contextmanager
def out_lock(out_dir: Path):
    """Hold the output folder for this run; refuse if another run holds it."""
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".mus-analysis.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MusError(f"{out_dir}: another mus-analysis run is writing here. Fix: wait "
                           "for it to finish, or give another --out.") from None
        yield


def _log_file(out_dir: Path) -> Path:
    """Add a log file for this batch run under OUT/logs/ and return its path."""
    logs = out_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"batch-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.setLevel(logging.DEBUG)
    log.addHandler(handler)
    if log.level > logging.INFO:
        for other in log.handlers[:-1]:
            other.setLevel(log.level)
        log.setLevel(logging.INFO)
    return path


@main.command()
@click.argument("raw_dir", type=click.Path(file_okay=False, path_type=Path),
                default=Path("data/raw"))
@_out
@_lang
@_max_missing
@_min_group
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Rounds built at the same time [default: the number of cores].")
@click.option("--force", is_flag=True, help="Rebuild every report, also those up to date.")
@click.option("--dry-run", is_flag=True, help="List what would be built and why; build nothing.")
@_engine
@_verbosity
def batch(raw_dir: Path, out_dir: Path, lang: str, max_missing: int,
          min_group: int, jobs: int | None, force: bool, dry_run: bool, engine: str) -> None:
    """Build the report of every round folder under RAW_DIR (default data/raw).

    A round whose exports, parameters, notebook and kit are unchanged since its
    last report is skipped. One failed round does not stop the others. Prints
    one line per round; exits 0 when no round failed, 1 when one or more
    failed, 2 when RAW_DIR holds no round.
    """
    from .batch import default_jobs, plan, round_folders
    from .files import recover_folder
    from .report import resolve_job

    if not raw_dir.is_dir():
        click.echo(f"error: {raw_dir}: is not a folder. Fix: give the folder that holds "
                   "one sub-folder per round, e.g. data/raw.", err=True)
        sys.exit(2)
    rounds = round_folders(raw_dir)
    if not rounds:
        click.echo(f"error: {raw_dir}: holds no round folder. Fix: put each round's "
                   "exports in a folder of its own under it.", err=True)
        sys.exit(2)
    options = {**_given(lang=lang, max_missing=max_missing, min_group=min_group),
               "engine": engine}
    jobs_of_rounds = [resolve_job(r, out_dir, **options) for r in rounds]

    if dry_run:
        todo, outcomes = plan(jobs_of_rounds, force=force)
        for outcome in outcomes:
            click.echo(outcome.line())
        for job, why in todo:
            click.echo(f"{'would build':<10} {job.name}: {why}")
        return

    quiet = log.level > logging.INFO
    try:
        with out_lock(out_dir):
            for job in jobs_of_rounds:  # what a killed run left, built or not
                recover_folder(job.folder)
            todo, outcomes = plan(jobs_of_rounds, force=force)
            log_path = _log_file(out_dir)
            log.info("batch %s -> %s: %d rounds, %d to build, jobs=%s", raw_dir.resolve(),
                     out_dir.resolve(), len(rounds), len(todo), jobs or default_jobs())
            for outcome in outcomes:
                log.info("%s", outcome.line())
            for job, why in todo:
                log.info("to build %s: %s", job.name, why)
            outcomes += _run(todo, jobs or default_jobs(), quiet)
    except MusError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)

    order = {r.name: i for i, r in enumerate(rounds)}
    failed = 0
    for outcome in sorted(outcomes, key=lambda o: order[o.round]):
        failed += outcome.status == "failed"
        click.echo(outcome.line())
    if not quiet:
        click.echo(f"log: {log_path}", err=True)
    if failed:
        click.echo(f"{failed} of {len(rounds)} rounds failed.", err=True)
        sys.exit(1)


def _run(todo: list, jobs: int, quiet: bool) -> list:
    """Build the rounds with a progress bar in a terminal, log lines elsewhere."""
    from .batch import build_all

    if not todo:
        return []
    if sys.stderr.isatty() and not quiet:
        with click.progressbar(length=len(todo), label="Building reports",
                               file=sys.stderr, show_pos=True) as bar:
            return build_all(todo, jobs=jobs, on_done=lambda outcome: bar.update(1))
    return build_all(todo, jobs=jobs,
                     on_done=lambda outcome: log.info("%s", outcome.line()))


def _add_commands() -> None:
    from .compare_cli import compare
    from .inspect_cli import init, inspect

    main.add_command(compare)
    main.add_command(inspect)
    main.add_command(init)


_add_commands()
