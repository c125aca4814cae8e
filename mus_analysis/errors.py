"""The package's one exception family.

Every error a user can cause by what they feed the kit is a :class:`MusError`
whose message is one line naming the file (and row or column where it helps),
the problem and the fix. The command line prints that line and exits non-zero
instead of showing a traceback.
"""

from __future__ import annotations


class MusError(Exception):
    """Base class of the errors a user can act on."""


class InstrumentError(MusError):
    """An instrument file is missing, malformed or inconsistent."""


class RoundError(MusError):
    """A round folder or one of its exports cannot be read as a MUS round."""

    def __init__(self, where: object, problem: str, fix: str = "") -> None:
        self.where = str(where)
        self.problem = problem
        self.fix = fix
        message = f"{self.where}: {problem}"
        if fix:
            message += f" Fix: {fix}"
        super().__init__(message)


class ReportError(MusError):
    """Running or rendering a report notebook failed."""
