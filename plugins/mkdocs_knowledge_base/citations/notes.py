"""The "Notes" section closing a page: one list item per citation bracket, in full APA 7.

Why full references in every note (not "Ibid." or short forms): a reader who lands on any
page from search, or sees a note in a popover, gets the complete source without leaving it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Sequence
from typing import Protocol

from mkdocs_knowledge_base.bibliography.apa import format_locator
from mkdocs_knowledge_base.citations.syntax import Citation, CitedItem


NOTES_HEADING_ID = "kb-notes-title"


class ReferenceFormatter(Protocol):
    """What notes need from the APA style: one work as HTML."""

    def reference_html(self, key: str) -> str: ...


def render_notes_section(
    notes: Sequence[tuple[int, Citation]],
    style: ReferenceFormatter,
    known_keys: Collection[str],
    reference_href: Callable[[str], str],
) -> str:
    """``<section class="kb-notes">`` with ``<li id="kb-note-N">`` per note; empty when no notes.

    ``reference_href(key)`` is the URL of the work's entry in the reference list, relative to
    the page the section goes on.

    Excluded from the search index (``data-search-exclude``): each note repeats a reference
    that the reference list already holds, so indexing notes would answer an author's name
    with every page citing them — and, with dozens of notes a page, would make the index half
    as big again. The section holds no other ``section`` (Material's search parser tracks
    excluded elements by tag name).
    """
    if not notes:
        return ""
    items = "\n".join(
        f'<li id="kb-note-{number}" class="kb-note" value="{number}">'
        f"{_note_body(citation, style, known_keys, reference_href)} "
        f'<a class="kb-note-back" href="#kb-noteref-{number}" aria-label="Back to note {number} in the text">↩</a>'
        "</li>"
        for number, citation in notes
    )
    return (
        f'<section class="kb-notes" aria-labelledby="{NOTES_HEADING_ID}" data-search-exclude>'
        f'<h2 id="{NOTES_HEADING_ID}">Notes</h2>\n<ol>\n{items}\n</ol>\n</section>'
    )


def _note_body(
    citation: Citation, style: ReferenceFormatter, known_keys: Collection[str], reference_href: Callable[[str], str]
) -> str:
    """Every work of the bracket, separated by semicolons, as pandoc prints multiple citations."""
    return "; ".join(_cited_work(item, style, known_keys, reference_href) for item in citation.items)


def _cited_work(
    item: CitedItem, style: ReferenceFormatter, known_keys: Collection[str], reference_href: Callable[[str], str]
) -> str:
    prefix = html.escape(item.prefix[:1].upper() + item.prefix[1:]) + " " if item.prefix else ""
    if item.key not in known_keys:
        return prefix + missing_reference_html(item.key)
    reference = _with_locator(style.reference_html(item.key), item)
    source_link = (
        f'<a class="kb-note-source" href="{html.escape(reference_href(item.key))}" '
        'title="Open in the reference list" aria-label="Reference list entry">↗</a>'
    )
    return f'{prefix}<span class="kb-note-reference">{reference}</span> {source_link}'


def missing_reference_html(key: str) -> str:
    """Where a work the bibliography lacks would be: a marked placeholder naming the key, so a
    non-strict build shows readers and editors what is unresolved (the build warned already)."""
    return f'<span class="kb-note-missing">Unknown reference “{html.escape(key)}”</span>'


def _with_locator(reference_html: str, item: CitedItem) -> str:
    """Put ", pp. 221–222" (and any suffix) before the reference's closing period.

    A reference ending in a URL has no closing period (APA 7), so there the locator follows
    in parentheses rather than being glued to the URL.
    """
    extras = ", ".join(part for part in (html.escape(format_locator(item.locator)) if item.locator else "",
                                         html.escape(item.suffix)) if part)
    if not extras:
        return reference_html
    if reference_html.endswith("."):
        return f"{reference_html[:-1]}, {extras}."
    return f"{reference_html} ({extras})"
