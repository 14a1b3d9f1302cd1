"""What every page cites, gathered while pages are converted, numbered once all are done.

Why a registry: a static-site generator converts pages in file order, but notes are numbered
in reading (navigation) order across the whole site. So conversion only records each page's
notes in page-local order and writes a placeholder where the final number goes; once every
page is converted, :meth:`NoteRegistry.offsets` turns reading order into each page's first
number and :func:`renumber` swaps the placeholders for final numbers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mkdocs_knowledge_base.citations.syntax import Citation, CitedItem
from mkdocs_knowledge_base.errors import DataProblem

# Control characters no author types (SYN, ETB): Markdown leaves them alone and slugify drops
# them, so the placeholder can sit in ids, hrefs and text (even inside a heading) until
# renumbered. ASCII, so that a page's converted HTML stays one byte a character: a character
# beyond Latin-1 (the private-use ones used before) made every page held between conversion
# and renumbering twice its size, 24 MB more for a site of 1,000 pages.
_PLACEHOLDER_OPEN = "\x16"
_PLACEHOLDER_CLOSE = "\x17"
PLACEHOLDER_RE = re.compile(f"{_PLACEHOLDER_OPEN}(\\d+){_PLACEHOLDER_CLOSE}")

Numbering = Literal["site", "page"]


def placeholder(local_number: int) -> str:
    """The stand-in for a note's final number, written while the page is converted."""
    return f"{_PLACEHOLDER_OPEN}{local_number}{_PLACEHOLDER_CLOSE}"


def renumber(text: str, offset: int) -> str:
    """Replace every placeholder in ``text`` with its final number (page-local number + offset)."""
    return PLACEHOLDER_RE.sub(lambda match: str(int(match[1]) + offset), text)


@dataclass
class PageNotes:
    """The notes of one page, in the order they appear on it."""

    source_path: str
    read_source: Callable[[], str]
    """Gives the page's Markdown file as written (front matter included), to report source
    lines; read only when there is a problem to report, so no page's text is kept for it."""
    report_path: str
    """How problems name the file: the path an author can open (absolute when there is a file)."""
    _records: list[tuple[tuple[Any, ...], ...]] = field(default_factory=list)
    """Each bracket's cited items as plain tuples: CPython stops tracking a tuple of strings for
    garbage collection once it survived one, which a named tuple it never does, and a large
    site's tens of thousands of citations made each collection of its conversion walk them all."""

    @property
    def citations(self) -> list[Citation]:
        """The page's citation brackets, in order (made anew at each call)."""
        return [Citation(tuple(CitedItem._make(item) for item in items)) for items in self._records]

    def add(self, citation: Citation) -> int:
        """Record the page's next bracket; its page-local number (from 1)."""
        self._records.append(tuple(tuple(item) for item in citation.items))
        return len(self._records)

    def __len__(self) -> int:
        """How many brackets (notes) the page has."""
        return len(self._records)
    _seen_texts: dict[str, int] = field(default_factory=dict)

    def forget_bracket_texts(self) -> None:
        """Drop what ``occurrence_of`` counted: the page is converted and its problems reported."""
        self._seen_texts.clear()

    def occurrence_of(self, bracket_text: str) -> int:
        """How many times the same bracket text was already seen on this page (0 the first time)."""
        occurrence = self._seen_texts.get(bracket_text, 0)
        self._seen_texts[bracket_text] = occurrence + 1
        return occurrence

    def line_of(self, bracket_text: str, occurrence: int) -> int | None:
        """Line in the source of the ``occurrence``-th bracket with this text (0 = the first).

        Python-Markdown hands inline processors text without line numbers (and list or quote
        markers removed), so the bracket is searched in the source, whitespace-insensitively.
        Only called to report a problem: the search is not worth doing for every citation.
        """
        pattern = r"\s+".join(re.escape(word) for word in bracket_text.split())
        source = self.read_source()
        starts = [match.start() for match in re.finditer(pattern, source)]
        if not starts:
            return None
        return source.count("\n", 0, starts[min(occurrence, len(starts) - 1)]) + 1


class NoteRegistry:
    """Notes of every page of one build, and the problems found in them."""

    def __init__(self, known_keys: Collection[str], already_reported: Collection[str] = ()) -> None:
        """``already_reported``: keys of entries the bibliography left out for a mistake it
        reported itself; citing them is not reported a second time (the page still marks it)."""
        self.known_keys = known_keys
        self.already_reported = already_reported
        self.pages: dict[str, PageNotes] = {}
        self.problems: list[DataProblem] = []
        self._current: PageNotes | None = None

    def begin_page(self, source_path: str, source: str | Callable[[], str], report_path: str | None = None) -> None:
        """Start recording a page; called right before it is converted. ``source``: the page's
        Markdown as written, or what reads it when a problem needs its line numbers."""
        if self._current is not None:
            self._current.forget_bracket_texts()
        read_source = source if callable(source) else lambda: source
        self._current = PageNotes(source_path, read_source, report_path or source_path)
        self.pages[source_path] = self._current

    def record(self, citation: Citation, bracket_text: str) -> int:
        """Record one bracket of the page being converted; returns its page-local number (from 1)."""
        page = self._current_page()
        number = page.add(citation)
        occurrence = page.occurrence_of(bracket_text)
        for key in citation.keys:
            if key not in self.known_keys and key not in self.already_reported:
                line = page.line_of(bracket_text, occurrence)
                self.problems.append(DataProblem(
                    page.report_path, line,
                    f"citation '{bracket_text}': unknown key '{key}'; no BibTeX entry has this key, so check "
                    "its spelling or add the work to the bibliography",
                ))
        return number

    def _current_page(self) -> PageNotes:
        if self._current is None:
            # Markdown converted outside a page (e.g. a standalone call): keep notes somewhere.
            self.begin_page("<markdown>", "")
        assert self._current is not None
        return self._current

    def offsets(self, reading_order: Iterable[str], numbering: Numbering) -> dict[str, int]:
        """How much to add to each page's local note numbers: notes before it in reading order,
        or 0 for every page with per-page numbering. Pages missing from ``reading_order`` (not in
        the navigation) follow in conversion order."""
        ordered = list(dict.fromkeys([*(p for p in reading_order if p in self.pages), *self.pages]))
        offsets: dict[str, int] = {}
        notes_before = 0
        for source_path in ordered:
            offsets[source_path] = notes_before if numbering == "site" else 0
            notes_before += len(self.pages[source_path])
        return offsets

    def cited_keys(self) -> list[str]:
        """Every key cited anywhere (known or not), each once, in recording order."""
        return list(dict.fromkeys(key for page in self.pages.values() for c in page.citations for key in c.keys))


def numbered_notes(page: PageNotes, offset: int) -> list[tuple[int, Citation]]:
    """The page's notes with their final numbers."""
    return [(offset + local, citation) for local, citation in enumerate(page.citations, start=1)]


def notes_by_key(registry: NoteRegistry, offsets: Mapping[str, int]) -> dict[str, list[tuple[int, str]]]:
    """For each cited key: ``(note number, page source path)`` of every note citing it, in reading
    order (``offsets`` is ordered by :meth:`NoteRegistry.offsets`; with per-page numbering, numbers
    repeat across pages, so reading order is the only meaningful order)."""
    by_key: dict[str, list[tuple[int, str]]] = {}
    for source_path, offset in offsets.items():
        for number, citation in numbered_notes(registry.pages[source_path], offset):
            for key in dict.fromkeys(citation.keys):
                by_key.setdefault(key, []).append((number, source_path))
    return by_key
