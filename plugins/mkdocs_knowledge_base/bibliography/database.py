"""Loading BibTeX files into one bibliography, with every user mistake located.

Why not ``pybtex.database.parse_file``: it raises on the first duplicate key or syntax
error, and it forgets where each entry was written. Authors need ``file:line`` for every
problem at once, and a broken entry must not hide the hundred good ones after it. So each
file goes through pybtex's own low-level BibTeX scanner here, with its errors collected
instead of raised and the line of each ``@type{key,`` recorded as it is read.

Parsing is cached by the files' bytes, so ``mkdocs serve`` rebuilds after a Markdown edit
reuse the parse, and any change to a ``.bib`` file is picked up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import DuplicateField, LowLevelParser, Parser, UndefinedMacro
from pybtex.exceptions import PybtexError
from pybtex.scanner import PybtexSyntaxError

from mkdocs_knowledge_base.bibliography.apa import link_problems, missing_apa_fields
from mkdocs_knowledge_base.bibliography.bibtex_messages import (
    KNOWN_ENTRY_TYPES,
    explain_early_end,
    explain_name_error,
    explain_syntax_error,
    explain_unknown_type,
)
from mkdocs_knowledge_base.errors import DataProblem, decode_utf8


@dataclass(frozen=True)
class Bibliography:
    """All entries of the configured BibTeX files, where each was written, and what is wrong."""

    entries: dict[str, Entry]
    """Key -> entry, in file order (files in the configured order)."""
    locations: dict[str, tuple[str, int]]
    """Key -> (BibTeX file, line of its ``@type{key,``), to point authors at the entry."""
    problems: list[DataProblem]
    """Malformed BibTeX, duplicate keys, entries lacking a field APA 7 needs."""
    broken_keys: frozenset[str] = frozenset()
    """Keys of entries left out for a mistake already reported: a citation of one of them is
    marked in its page but not reported again (one message per mistake)."""


class _LocatingParser(Parser):
    """pybtex's BibTeX parser that reports errors as ``DataProblem``s and remembers entry lines.

    ``@string`` macros are shared across files, as with BibTeX itself, because the same
    parser instance reads all files in order.
    """

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[DataProblem] = []
        self.entries: dict[str, Entry] = {}
        self.locations: dict[str, tuple[str, int]] = {}
        self._first_spelling: dict[str, str] = {}
        self._text = ""
        self._current_line: int | None = None
        self._broken_command_start: int | None = None
        self.broken_keys: set[str] = set()

    def handle_error(self, error: PybtexError) -> None:
        """Collect instead of raising: one bad entry must not hide the rest of the file.

        A syntax error is explained in the author's terms (a brace never closed, a comma
        missing at the end of a line) at the line where the mistake is, not where the scanner
        gave up (see ``bibtex_messages``).
        """
        if isinstance(error, DuplicateField):
            return  # reported by ``_read_entry``, which knows the field's name
        if not isinstance(error, PybtexSyntaxError):
            self.problems.append(DataProblem(self.filename, self._current_line, f"BibTeX error: {error.args[0]}"))
            return
        scanner = error.parser
        key = scanner.current_entry_key
        if not isinstance(error, UndefinedMacro):
            self._broken_command_start = scanner.command_start
            if key:
                self.broken_keys.add(key)
        located = explain_syntax_error(self._text, scanner.command_start, error, key=key,
                                       field=scanner.current_field_name)
        self.problems.append(DataProblem(self.filename, located.line, located.message))

    def _line_at(self, position: int) -> int:
        return self._text.count("\n", 0, position) + 1

    def read_file(self, path: Path) -> None:
        """Parse one file into ``entries``/``locations``; unreadable files become a problem."""
        self.filename = str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            self.problems.append(DataProblem(self.filename, None, f"cannot read BibTeX file: {error.strerror}"))
            return
        text, encoding_problem = decode_utf8(data, self.filename)
        if encoding_problem:
            self.problems.append(encoding_problem)
        self._read_text(text)

    def _read_text(self, text: str) -> None:
        """Scan the file's commands; entries whose body had a syntax error are left out.

        (A half-read entry would print a garbled reference; leaving it out marks every
        citation of it in the pages instead, and the syntax error says why.) So is an entry
        closed early by a ``}`` too many, which pybtex accepts while dropping its later fields.
        """
        self._text = text
        self.data = BibliographyData()
        self.unnamed_entry_counter = 1
        scanner = LowLevelParser(text, handle_error=self.handle_error, filename=self.filename, macros=self.macros)
        counted_up_to, line = 0, 1
        for command, arguments in scanner:
            line += text.count("\n", counted_up_to, scanner.command_start)
            counted_up_to = scanner.command_start
            command_lower = command.lower()
            if scanner.command_start == self._broken_command_start:
                continue
            if command_lower not in ("preamble", "string") and self._ended_early(scanner, arguments[0]):
                continue
            if command_lower == "preamble":
                self.process_preamble(*arguments)
            elif command_lower != "string":
                self._read_entry(command, *arguments, line=line)

    def _ended_early(self, scanner: LowLevelParser, key: str | None) -> bool:
        """Report (and leave out) an entry whose fields continue after its closing brace."""
        located = explain_early_end(self._text, scanner.command_start, scanner.pos, key)
        if located is None:
            return False
        self.problems.append(DataProblem(self.filename, located.line, located.message))
        if key:
            self.broken_keys.add(key)
        return True

    def _read_entry(self, entry_type: str, key: str | None, fields: list, *, line: int) -> None:
        """One ``@type{key, ...}``: duplicates are reported with both lines and the first one kept."""
        self._current_line = line
        if key is None:
            self.problems.append(DataProblem(self.filename, line, f"@{entry_type} entry without a key"))
            return
        folded = key.lower()
        if folded in self._first_spelling:
            first_key = self._first_spelling[folded]
            first_path, first_line = self.locations[first_key]
            self.problems.append(DataProblem(
                self.filename, line,
                f"duplicate BibTeX key '{key}': already defined at {first_path}:{first_line}, so this entry is "
                "ignored; give one of the two another key (and cite it by that key) or delete this one",
            ))
            return
        seen_fields: set[str] = set()
        for field_name, _ in fields:
            if field_name.lower() in seen_fields:
                self.problems.append(DataProblem(self.filename, line, f"entry '{key}' has the field '{field_name}' "
                                                 "twice; only the first one is used, so delete the other"))
            seen_fields.add(field_name.lower())
        with pybtex.errors.capture() as name_errors:  # pybtex reports bad names through its global hook
            self.process_entry(entry_type, key, fields)
        for error in name_errors:  # pybtex's only one here: a name list joined by commas
            self.problems.append(DataProblem(self.filename, line, explain_name_error(key, error)))
        entry = self.data.entries[key]
        if entry.type not in KNOWN_ENTRY_TYPES:
            self.problems.append(DataProblem(self.filename, line, explain_unknown_type(entry.type, key)))
            entry.type = "misc"
        self._first_spelling[folded] = key
        self.entries[key] = entry
        self.locations[key] = (self.filename, line)
        missing = missing_apa_fields(entry)
        if missing:
            self.problems.append(DataProblem(
                self.filename, line,
                f"@{entry.type}{{{key}}} lacks {', '.join(missing)}, which its APA 7 reference needs; "
                f"add {'it' if len(missing) == 1 else 'them'} to the entry",
            ))
        for problem in link_problems(entry):
            self.problems.append(DataProblem(self.filename, line, f"@{entry.type}{{{key}}}: {problem}"))


_cache: dict[tuple[tuple[str, str], ...], Bibliography] = {}
_CACHE_SIZE = 4
"""A handful of file sets: the site's, plus tests' and ``serve``'s occasional others."""


def _fingerprint(paths: Sequence[Path]) -> tuple[tuple[str, str], ...]:
    """Path and sha256 of each file's bytes (a missing file fingerprints as empty)."""
    prints = []
    for path in paths:
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = ""
        prints.append((str(path), digest))
    return tuple(prints)


def load_bibliography(paths: Sequence[str | Path]) -> Bibliography:
    """Parse the BibTeX files (in order) into one ``Bibliography``; never raises on bad data.

    Returns the very same object as the previous call while no file's bytes changed.
    """
    resolved = [Path(path) for path in paths]
    fingerprint = _fingerprint(resolved)
    cached = _cache.get(fingerprint)
    if cached is not None:
        return cached
    parser = _LocatingParser()
    for path in resolved:
        parser.read_file(path)
    bibliography = Bibliography(entries=parser.entries, locations=parser.locations, problems=parser.problems,
                                broken_keys=frozenset(parser.broken_keys))
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[fingerprint] = bibliography
    return bibliography
