"""Python-Markdown extension: each citation bracket becomes a numbered note marker.

Why an inline processor: it sees text only after the block parser and the higher-priority
inline patterns ran, so code spans (``backtick``, 190) and backslash escapes (``escape``,
180) are already out of its reach, while it still runs before footnotes (175), reference
links (170) and links (160), which would otherwise claim ``[@key]`` brackets. Code blocks
never reach inline processors at all.

Why a treeprocessor as well: Python-Markdown's inline pass walks the tree with a stack, so
a paragraph after a list is handled before the list's items. The inline processor therefore
only marks brackets in the order it meets them; the treeprocessor then walks the finished
tree in document order and gives the page its notes in reading order.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from mkdocs_knowledge_base.citations.registry import PLACEHOLDER_RE, NoteRegistry, placeholder
from mkdocs_knowledge_base.citations.syntax import BRACKET_PATTERN, Citation, parse_citation

INLINE_PRIORITY = 178
"""After ``escape`` (180), before ``footnote`` (175) and ``reference`` (170)."""
ORDERING_PRIORITY = 18
"""After the inline pass (20), before ``toc`` (5) reads heading text."""

Pending = list[tuple[Citation, str]]
"""Brackets of the page being converted, in the order the inline pass met them, with their text."""


def note_marker(number: str) -> etree.Element:
    """``<sup class="kb-note-ref" id="kb-noteref-N"><a href="#kb-note-N" aria-label="Note N">N</a></sup>``."""
    marker = etree.Element("sup")
    etree.SubElement(marker, "a")
    _set_marker_number(marker, number)
    return marker


def _set_marker_number(marker: etree.Element, number: str) -> None:
    marker.set("class", "kb-note-ref")
    marker.set("id", f"kb-noteref-{number}")
    link = marker[0]
    link.set("href", f"#kb-note-{number}")
    link.set("aria-label", f"Note {number}")
    link.text = AtomicString(number)


_MARKER = re.compile(r'<sup class="kb-note-ref" id="kb-noteref-(\d+)"><a aria-label="Note \1" href="#kb-note-\1">\1</a></sup>')
"""A note marker as ``note_marker`` makes it and Python-Markdown serializes it (attributes in order)."""


def markers_for_search(html: str) -> str:
    """``html`` with each note marker as ``<sup>N</sup>``: what a search index keeps of it (the
    number in its ``<sup>``), without the tags and attributes of dozens of markers a page to read."""
    return _MARKER.sub(r"<sup>\1</sup>", html) if 'class="kb-note-ref"' in html else html


class CitationInlineProcessor(InlineProcessor):
    """Replaces ``[@key, p. 3]`` with a note marker numbered in the order the inline pass meets it."""

    def __init__(self, pending: Pending) -> None:
        super().__init__(BRACKET_PATTERN)
        self.pending = pending

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:  # type: ignore[override]
        citation = parse_citation(m["body"])
        if citation is None:
            return None, None, None
        self.pending.append((citation, m.group(0)))
        return note_marker(placeholder(len(self.pending))), m.start(0), m.end(0)


class NoteOrderTreeprocessor(Treeprocessor):
    """Records the page's notes in document order and renumbers their markers to match."""

    def __init__(self, md: Markdown, pending: Pending, registry: NoteRegistry) -> None:
        super().__init__(md)
        self.pending = pending
        self.registry = registry

    def run(self, root: etree.Element) -> None:
        for marker in root.iter("sup"):
            match = PLACEHOLDER_RE.search(marker.get("id", "")) if marker.get("class") == "kb-note-ref" else None
            if match is not None:
                citation, bracket_text = self.pending[int(match[1]) - 1]
                _set_marker_number(marker, placeholder(self.registry.record(citation, bracket_text)))
        self.pending.clear()


class CitationExtension(Extension):
    """Register with ``markdown.Markdown(extensions=[CitationExtension(registry)])``.

    One instance serves every page of a build: each ``Markdown`` instance gets its own
    processor, all writing to the same registry, which knows which page is being converted.
    """

    def __init__(self, registry: NoteRegistry) -> None:
        super().__init__()
        self.registry = registry

    def extendMarkdown(self, md: Markdown) -> None:
        pending: Pending = []
        md.inlinePatterns.register(CitationInlineProcessor(pending), "kb_citation", INLINE_PRIORITY)
        md.treeprocessors.register(NoteOrderTreeprocessor(md, pending, self.registry), "kb_note_order", ORDERING_PRIORITY)
