"""Loading BibTeX files into one bibliography, with every user mistake located.

Why not ``pybtex.database.parse_file``: it raises on the first duplicate key or syntax
error, and it forgets where each entry was written. Authors need ``file:line`` for every
problem at once, and a broken entry must not hide the hundred good ones after it. So each
file goes through pybtex's own low-level BibTeX scanner here, with its errors collected
instead of raised and the line of each ``@type{key,`` recorded as it is read.

Why ``fast_bibtex`` first: pybtex's scanner and name splitting take seconds for a database
of 10,000 works. A file the fast reader fully understands (any valid one, in practice) is
read by it, into exactly what pybtex would give; any other file is read by pybtex as
before, so every message about a mistake is the same. Either way each entry is kept as a
lean ``BibEntry`` (see ``entry``), not as pybtex's objects.

Parsing is cached by the files' bytes, so ``mkdocs serve`` rebuilds after a Markdown edit
reuse the parse, and any change to a ``.bib`` file is picked up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData
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
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.fast_bibtex import ScannedEntry, build_entry, scan
from mkdocs_knowledge_base.errors import DataProblem, decode_utf8
from mkdocs_knowledge_base.recent_results import RecentResults


@dataclass(frozen=True)
class Bibliography:
    """All entries of the configured BibTeX files, where each was written, and what is wrong."""

    entries: dict[str, BibEntry]
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
    parser instance reads all files in order. ``fast=False`` reads every file with pybtex
    alone (the tests compare the two readings).
    """

    def __init__(self, *, fast: bool = True) -> None:
        super().__init__()
        self.fast = fast
        self.problems: list[DataProblem] = []
        self.entries: dict[str, BibEntry] = {}
        self.locations: dict[str, tuple[str, int]] = {}
        self._first_spelling: dict[str, str] = {}
        self._text = ""
        self._name_errors: list[Exception] = []
        """What pybtex reported through its global error hook while the current file was read."""
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
        self._broken_command_start = None  # an offset in this file: another file's is no concern here
        self.data = BibliographyData()
        self.unnamed_entry_counter = 1
        counted_up_to, line = 0, 1
        with pybtex.errors.capture() as self._name_errors:  # once per file: a capture per entry costs 2 µs
            for scanned in self._entries(text):
                line += text.count("\n", counted_up_to, scanned.start)
                counted_up_to = scanned.start
                if scanned.start == self._broken_command_start or self._ended_early(scanned):
                    continue
                self._read_entry(scanned.entry_type, scanned.key, scanned.fields, line=line)

    def _entries(self, text: str) -> Iterable[ScannedEntry]:
        """The file's entries: the fast reader's when it understands the whole file, else pybtex's."""
        if self.fast:
            scanned = scan(text, self.macros)
            if scanned is not None:
                entries, macros = scanned
                self.macros.update(macros)
                return entries
        return self._pybtex_entries(text)

    def _pybtex_entries(self, text: str) -> Iterator[ScannedEntry]:
        """pybtex's scanner (``@string`` and ``@preamble`` skipped), its errors reported through
        ``handle_error`` as it goes."""
        scanner = LowLevelParser(text, handle_error=self.handle_error, filename=self.filename, macros=self.macros)
        for command, arguments in scanner:
            if command.lower() not in ("preamble", "string"):
                key, fields = arguments
                yield ScannedEntry(command, key, [(name, "".join(parts)) for name, parts in fields],
                                   scanner.command_start, scanner.pos)

    def _ended_early(self, scanned: ScannedEntry) -> bool:
        """Report (and leave out) an entry whose fields continue after its closing brace."""
        located = explain_early_end(self._text, scanned.start, scanned.end, scanned.key)
        if located is None:
            return False
        self.problems.append(DataProblem(self.filename, located.line, located.message))
        if scanned.key:
            self.broken_keys.add(scanned.key)
        return True

    def _read_entry(self, entry_type: str, key: str | None, fields: list[tuple[str, str]], *, line: int) -> None:
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
        if len({name.lower() for name, _ in fields}) < len(fields):
            fields = self._first_of_each_field(key, fields, line)
        reported_before = len(self._name_errors)  # pybtex reports bad names through its global hook
        entry = self._make_entry(entry_type, key, fields)
        for error in self._name_errors[reported_before:]:  # pybtex's only one here: a name list joined by commas
            self.problems.append(DataProblem(self.filename, line, explain_name_error(key, error)))
        if entry.type not in KNOWN_ENTRY_TYPES:
            self.problems.append(DataProblem(self.filename, line, explain_unknown_type(entry.type, key)))
            entry = entry._replace(type="misc")
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

    def _first_of_each_field(self, key: str, fields: list[tuple[str, str]], line: int) -> list[tuple[str, str]]:
        """Report each field written twice (names compared case-insensitively); the first is kept, as by pybtex."""
        kept: dict[str, tuple[str, str]] = {}
        for field in fields:
            folded = field[0].lower()
            if folded in kept:
                self.problems.append(DataProblem(self.filename, line, f"entry '{key}' has the field '{field[0]}' "
                                                 "twice; only the first one is used, so delete the other"))
            else:
                kept[folded] = field
        return list(kept.values())

    def _make_entry(self, entry_type: str, key: str, fields: list[tuple[str, str]]) -> BibEntry:
        """The entry pybtex's ``process_entry`` makes, as a ``BibEntry``: built directly by ``fast_bibtex``
        unless ``fast=False``, else converted from pybtex's."""
        if self.fast:
            return build_entry(entry_type, fields)
        self.process_entry(entry_type, key, [(name, [value]) for name, value in fields])
        return BibEntry.from_pybtex(self.data.entries[key])


_recent_parses: RecentResults[tuple[tuple[str, str], ...], Bibliography] = RecentResults()


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
    return _recent_parses.get_or_make(_fingerprint(resolved), lambda: _read_bibliography(resolved))


def _read_bibliography(paths: Sequence[Path], *, fast: bool = True) -> Bibliography:
    """Parse the files (in order), uncached; ``fast=False`` reads them with pybtex alone."""
    parser = _LocatingParser(fast=fast)
    for path in paths:
        parser.read_file(path)
    return Bibliography(entries=parser.entries, locations=parser.locations, problems=parser.problems,
                        broken_keys=frozenset(parser.broken_keys))
