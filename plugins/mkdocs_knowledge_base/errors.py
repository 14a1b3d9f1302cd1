"""A problem in user data (BibTeX, lexicon, a citation in a page), located in its file.

Why one type: every concern reports user mistakes the same way, and the MkDocs adapter
turns each one into a single log warning ``file:line: message`` (which fails ``--strict``)
instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataProblem:
    """One mistake in a user's file: where it is and what is wrong."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
