"""One build's citations: from the bibliography and converted pages to final page HTML.

Why a separate engine: the MkDocs adapter only hands over plain data (source paths, URLs,
HTML strings, reading order) and writes the results back; everything that decides numbers,
notes, the reference list and what is wrong lives here, testable without MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mkdocs_knowledge_base.bibliography.apa import ApaStyle
from mkdocs_knowledge_base.bibliography.database import Bibliography
from mkdocs_knowledge_base.citations.markdown_extension import CitationExtension
from mkdocs_knowledge_base.citations.notes import NOTES_HEADING_ID, render_notes_section
from mkdocs_knowledge_base.citations.registry import NoteRegistry, Numbering, notes_by_key, numbered_notes, renumber
from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.pages.references import (
    LIST_SLOT, NoteLink, exports_url, reference_list_pieces, searchable_reference_list)

RelativeUrl = Callable[[str, str], str]
"""``(target site URL, URL of the page the link is on) -> relative URL``."""


@dataclass(frozen=True)
class RenderedPage:
    """A converted page as the engine needs it."""

    source_path: str
    url: str
    """Site-relative URL, e.g. ``introduction/`` or ``introduction.html``."""
    html: str


@dataclass
class FinalizedPage:
    """A page's HTML with final note numbers, plus what the adapter must tell the generator."""

    html: str
    """As the site search should read it: for the references page, each work's reference
    without its "Cited in" links and buttons (``final_pieces`` is what readers get)."""
    offset: int
    """Added to page-local placeholders: the adapter renumbers its own bookkeeping with it."""
    new_anchor_ids: set[str] = field(default_factory=set)
    notes: str = ""
    """The "Notes" section, which goes after ``html`` (kept apart so the adapter decides when)."""
    final_pieces: list[str] | None = None
    """For the references page: the HTML readers get instead of ``html``, in pieces, so that a
    list of 10,000 works (over 10 MB) is joined only once, into the built page; None for other
    pages, where readers get ``html``."""


class CitationEngine:
    """Numbered notes and the reference list of one build."""

    def __init__(
        self, bibliography: Bibliography, *, numbering: Numbering, list_uncited: bool, warn_uncited: bool
    ) -> None:
        self.bibliography = bibliography
        self.numbering: Numbering = numbering
        self.list_uncited = list_uncited
        self.warn_uncited = warn_uncited
        self.registry = NoteRegistry(bibliography.entries.keys(), bibliography.broken_keys)
        self.listed_style: ApaStyle | None = None
        """The style of the listed works, once ``finalize`` made it (notes and list share it)."""
        self._unlisted_references: dict[str, str] = {}

    def reference_html(self, key: str) -> str:
        """A work's APA 7 reference as the reference list gives it (after ``finalize``), so any
        other page shows the same year label ("2006a"); a work not listed is formatted alone."""
        if self.listed_style is not None and key in self.listed_style:
            return self.listed_style.reference_html(key)
        if key not in self._unlisted_references:  # many terms may cite the same unlisted work
            self._unlisted_references[key] = ApaStyle({key: self.bibliography.entries[key]}).reference_html(key)
        return self._unlisted_references[key]

    def markdown_extension(self) -> CitationExtension:
        """The extension to add to the Markdown converter of every page."""
        return CitationExtension(self.registry)

    def begin_page(self, source_path: str, source: str, report_path: str | None = None) -> None:
        """Tell the extension which page (and source text, for line numbers) is converted next."""
        self.registry.begin_page(source_path, source, report_path)

    def listed_keys(self) -> list[str]:
        """Works on the reference list: the cited ones, or every entry with ``list_uncited``."""
        if self.list_uncited:
            return list(self.bibliography.entries)
        return [key for key in self.registry.cited_keys() if key in self.bibliography.entries]

    def problems(self) -> list[DataProblem]:
        """Unknown keys in citations, then entries no page cites (unless silenced)."""
        problems = list(self.registry.problems)
        if self.warn_uncited:
            cited = set(self.registry.cited_keys())
            for key in self.bibliography.entries:
                if key not in cited:
                    path, line = self.bibliography.locations[key]
                    problems.append(DataProblem(path, line, f"BibTeX entry '{key}' is not cited on any page"))
        return problems

    def finalize(
        self,
        pages: Sequence[RenderedPage],
        reading_order: Sequence[str],
        references_page: RenderedPage | None,
        relative_url: RelativeUrl,
    ) -> dict[str, FinalizedPage]:
        """Final HTML of every page: numbers in place, "Notes" section beside it, reference list filled in."""
        listed = self.listed_keys()
        entries = self.bibliography.entries
        # APA labels ("2006a") depend on which works are listed, so notes and list share one style.
        style = self.listed_style = ApaStyle({key: entries[key] for key in listed})
        offsets = self.registry.offsets(reading_order, self.numbering)
        listed_set = frozenset(listed)  # looked up once per cited work of every note
        finalized = {
            page.source_path: self._finalize_page(page, offsets.get(page.source_path, 0), style, listed_set,
                                                  references_page, relative_url)
            for page in pages
        }
        if references_page is not None:
            target = finalized[references_page.source_path]
            around_slot = target.html.split(LIST_SLOT)
            listing = self._reference_list(pages, offsets, style, listed, references_page.url, relative_url)
            target.final_pieces = [around_slot[0], *(piece for part in around_slot[1:] for piece in (*listing, part))]
            target.html = searchable_reference_list(listed, style).join(around_slot)
            target.new_anchor_ids |= {f"ref-{key}" for key in listed}
        return finalized

    def _finalize_page(
        self,
        page: RenderedPage,
        offset: int,
        style: ApaStyle,
        listed: frozenset[str],
        references_page: RenderedPage | None,
        relative_url: RelativeUrl,
    ) -> FinalizedPage:
        notes = self.registry.pages.get(page.source_path)
        if notes is None or not notes.citations:
            return FinalizedPage(page.html, offset)
        references_url = relative_url(references_page.url, page.url) if references_page else ""
        numbered = numbered_notes(notes, offset)
        section = render_notes_section(numbered, style, listed, lambda key: f"{references_url}#ref-{key}")
        ids = {NOTES_HEADING_ID, *(f"kb-note-{number}" for number, _ in numbered)}
        return FinalizedPage(renumber(page.html, offset), offset, ids, section)

    def _reference_list(
        self,
        pages: Sequence[RenderedPage],
        offsets: dict[str, int],
        style: ApaStyle,
        listed: Sequence[str],
        references_url: str,
        relative_url: RelativeUrl,
    ) -> list[str]:
        """The list in pieces, with each "Cited in" note linked on its own page (relative to the references page)."""
        page_hrefs = {page.source_path: relative_url(page.url, references_url) for page in pages}  # once per page
        cited_in = {
            key: [
                NoteLink(number, source, f"{page_hrefs[source]}#kb-noteref-{number}")
                for number, source in notes
                if source in page_hrefs
            ]
            for key, notes in notes_by_key(self.registry, offsets).items()
        }
        return reference_list_pieces(listed, style, cited_in,
                                     exports_url(lambda site_path: relative_url(site_path, references_url)),
                                     database_exported=bool(self.bibliography.entries))
