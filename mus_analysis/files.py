"""Writing files so that a reader never sees a half-written one.

Every output is written under a temporary name in the same folder and then
renamed into place, which is atomic on the same file system. A run that dies
midway leaves the previous complete file, or none, never a partial one.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it to ``path`` on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | Path, data: object) -> Path:
    return write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_csv(path: str | Path, frame: pd.DataFrame) -> Path:
    """CSV as Excel opens it right: UTF-8 with a byte order mark.

    Text that starts like a formula (``= + - @``) gets an apostrophe in
    front, so a spreadsheet program shows it instead of running it
    (:mod:`mus_analysis.formulas`).
    """
    from .formulas import neutralise_frame

    with atomic_path(path) as tmp:
        neutralise_frame(frame).to_csv(tmp, index=False, encoding="utf-8-sig")
    return Path(path)


def write_parquet(path: str | Path, frame: pd.DataFrame) -> Path:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)
    return Path(path)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def replace_folder(staging: Path, final: Path) -> Path:
    """Move a finished ``staging`` folder to ``final``, replacing what was there.

    Where the system can swap two folders atomically (Linux), ``final`` is at
    every moment the old complete folder or the new one. Elsewhere the old
    folder is first renamed aside, and :func:`recover_folder` puts it back
    should the process die between the two renames.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists() and _exchange(staging, final):
        shutil.rmtree(staging, ignore_errors=True)
        return final
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
    os.replace(staging, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return final


def recover_folder(final: Path) -> None:
    """Undo what an interrupted :func:`replace_folder` or staging left behind."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        if final.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, final)
    for stale in final.parent.glob(f".{glob.escape(final.name)}.*.partial"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def staging_folder(final: Path) -> Path:
    """A new empty folder beside ``final`` to build its replacement in."""
    final.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial",
                                   dir=final.parent))
    os.chmod(folder, 0o777 & ~_umask())
    return folder


def _umask() -> int:
    """The process's file-creation mask (temporary files ignore it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def default_processed_dir(round_dir: str | Path, report_dir: str | Path | None = None) -> Path:
    """Where a round's processed data goes by default.

    ``data/raw/<round>`` has its processed data in ``data/processed/<round>``.
    A round folder elsewhere has it in its report folder's ``processed/``, so
    nothing is written beside the exports, where a batch run would take it for
    a round; without a report folder, ``processed/<round>`` in the working
    directory.
    """
    round_dir = Path(round_dir).resolve()
    if round_dir.parent.name == "raw":
        return round_dir.parent.parent / "processed" / round_dir.name
    if report_dir:
        return Path(report_dir).resolve() / "processed"
    return Path("processed").resolve() / round_dir.name
