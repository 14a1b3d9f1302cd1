"""Python-Markdown extension: each citation bracket becomes a numbered note marker.

Why an inline processor: it sees text only after the block parser and the higher-priority
inline patterns ran, so code spans (``backtick``, 190) and backslash escapes (``escape``,
180) are already out of its reach, while it still runs before footnotes (175), reference
links (170) and links (160), which would otherwise claim ``[@key]`` brackets. Code blocks
never reach inline processors at all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from mkdocs_knowledge_base.citations.registry import NoteRegistry, placeholder
from mkdocs_knowledge_base.citations.syntax import BRACKET_PATTERN, parse_citation

PRIORITY = 178
"""After ``escape`` (180), before ``footnote`` (175) and ``reference`` (170)."""


def note_marker(number: str) -> etree.Element:
    """``<sup class="kb-note-ref" id="kb-noteref-N"><a href="#kb-note-N" aria-label="Note N">N</a></sup>``."""
    marker = etree.Element("sup", {"class": "kb-note-ref", "id": f"kb-noteref-{number}"})
    link = etree.SubElement(marker, "a", {"href": f"#kb-note-{number}", "aria-label": f"Note {number}"})
    link.text = AtomicString(number)
    return marker


class CitationInlineProcessor(InlineProcessor):
    """Replaces ``[@key, p. 3]`` with a note marker and records the note in the registry."""

    def __init__(self, registry: NoteRegistry) -> None:
        super().__init__(BRACKET_PATTERN)
        self.registry = registry

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:  # type: ignore[override]
        citation = parse_citation(m["body"])
        if citation is None:
            return None, None, None
        local_number = self.registry.record(citation, m.group(0))
        return note_marker(placeholder(local_number)), m.start(0), m.end(0)


class CitationExtension(Extension):
    """Register with ``markdown.Markdown(extensions=[CitationExtension(registry)])``.

    One instance serves every page of a build: each ``Markdown`` instance gets its own
    processor, all writing to the same registry, which knows which page is being converted.
    """

    def __init__(self, registry: NoteRegistry) -> None:
        super().__init__()
        self.registry = registry

    def extendMarkdown(self, md: Markdown) -> None:
        md.inlinePatterns.register(CitationInlineProcessor(self.registry), "kb_citation", PRIORITY)
