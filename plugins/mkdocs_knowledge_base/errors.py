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


def decode_utf8(data: bytes, path: str) -> tuple[str, DataProblem | None]:
    """The file's text, and a problem at the line of the first byte that is not UTF-8.

    Why not fail: a file saved as Latin-1 or Windows-1252 (what many editors and Excel still
    write) usually has a handful of accented letters in otherwise good entries. Those show as the
    replacement character until the file is saved as UTF-8, and every other entry keeps working.
    """
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return data.decode("utf-8", errors="replace"), DataProblem(
            path, line,
            f"the file is not saved as UTF-8 (byte 0x{data[error.start]:02X} in column {column} of this line "
            "cannot be read); save it with the encoding UTF-8 in your editor. Until then, unreadable "
            "characters show as '\ufffd'",
        )
