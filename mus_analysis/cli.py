"""The ``mus-analysis`` command."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from .errors import MusError

log = logging.getLogger("mus_analysis")

_lang = click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True,
                     help="Report language.")
_out = click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                    default=Path("reports"), show_default=True,
                    help="Folder that gets one report folder per round.")
_max_missing = click.option("--max-missing", type=click.IntRange(0, 19), default=0,
                            show_default=True,
                            help="Unanswered statements allowed per response (the score is "
                                 "then prorated); 0 scores complete answer sets only.")
_min_group = click.option("--min-group", type=click.IntRange(1), default=5, show_default=True,
                          help="Anonymity threshold: roles with fewer responses are not shown.")


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


@main.command()
@click.argument("round_dir", type=click.Path(path_type=Path))
@_out
@_lang
@_max_missing
@_min_group
@click.option("--processed", "processed_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the round's tidy data [default: "
                                 "data/processed/<round> beside data/raw/<round>].")
def report(round_dir: Path, out_dir: Path, lang: str, max_missing: int, min_group: int,
           processed_dir: Path | None) -> None:
    """Build the report of one ROUND_DIR into OUT/<round>/."""
    from .report import build_report

    try:
        html = build_report(round_dir, out_dir, lang=lang, max_missing=max_missing,
                            min_group=min_group, processed_dir=processed_dir)
    except MusError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(str(html))


def round_folders(raw_dir: Path) -> list[Path]:
    """The round folders under ``raw_dir``: its visible sub-folders, by name."""
    return sorted(p for p in raw_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


@main.command()
@click.argument("raw_dir", type=click.Path(file_okay=False, path_type=Path),
                default=Path("data/raw"))
@_out
@_lang
@_max_missing
@_min_group
def batch(raw_dir: Path, out_dir: Path, lang: str, max_missing: int, min_group: int) -> None:
    """Build the report of every round folder under RAW_DIR (default data/raw).

    One failed round does not stop the others. Prints one line per round and
    exits with status 1 when any round failed.
    """
    from .report import build_report

    if not raw_dir.is_dir():
        click.echo(f"error: {raw_dir}: is not a folder. Fix: give the folder that holds "
                   "one sub-folder per round, e.g. data/raw.", err=True)
        sys.exit(2)
    rounds = round_folders(raw_dir)
    if not rounds:
        click.echo(f"error: {raw_dir}: holds no round folder. Fix: put each round's "
                   "exports in a folder of its own under it.", err=True)
        sys.exit(2)
    failed = 0
    for round_dir in rounds:
        try:
            html = build_report(round_dir, out_dir, lang=lang, max_missing=max_missing,
                                min_group=min_group)
        except MusError as exc:
            failed += 1
            click.echo(f"failed  {round_dir.name}: {exc}")
        except Exception as exc:  # noqa: BLE001 - one round must not stop the others
            failed += 1
            log.debug("round %s failed", round_dir.name, exc_info=True)
            click.echo(f"failed  {round_dir.name}: {type(exc).__name__}: {exc}")
        else:
            click.echo(f"built   {round_dir.name}: {html}")
    if failed:
        click.echo(f"{failed} of {len(rounds)} rounds failed.", err=True)
        sys.exit(1)
