"""One build's citations: from the bibliography and converted pages to final page HTML.

Why a separate engine: the MkDocs adapter only hands over plain data (source paths, URLs,
HTML strings, reading order) and writes the results back; everything that decides numbers,
notes, the reference list and what is wrong lives here, testable without MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from mkdocs_knowledge_base.bibliography.apa import ApaStyle
from mkdocs_knowledge_base.bibliography.database import Bibliography
from mkdocs_knowledge_base.citations.markdown_extension import CitationExtension
from mkdocs_knowledge_base.citations.notes import NOTES_HEADING_ID, render_notes_section
from mkdocs_knowledge_base.citations.registry import NoteRegistry, Numbering, notes_by_key, numbered_notes, renumber
from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.pages.references import (
    NoteLink, exports_url, reference_list_pieces, searchable_reference_list)

RelativeUrl = Callable[[str, str], str]
"""``(target site URL, URL of the page the link is on) -> relative URL``."""


@dataclass
class NumberedPage:
    """A page's HTML with final note numbers, plus what the adapter must tell the generator."""

    html: str
    offset: int
    """Added to page-local placeholders: the adapter renumbers its own bookkeeping with it."""
    new_anchor_ids: set[str] = field(default_factory=set)
    has_notes: bool = False
    """Whether :meth:`Finalization.notes` gives this page a "Notes" section."""


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

    def begin_page(self, source_path: str, source: str | Callable[[], str], report_path: str | None = None) -> None:
        """Tell the extension which page is converted next, and its source text (or what reads
        it), for the line numbers of problems."""
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
        page_urls: Mapping[str, str],
        reading_order: Sequence[str],
        references_page: str | None,
        relative_url: RelativeUrl,
    ) -> Finalization:
        """What every page's final HTML needs from all pages at once: the listed works and their
        style, each page's first note number. ``page_urls``: the site-relative URL of every
        converted page (``introduction/`` or ``introduction.html``) by source path;
        ``references_page``: the source path of the page that gets the list, if any."""
        listed = self.listed_keys()
        entries = self.bibliography.entries
        # APA labels ("2006a") depend on which works are listed, so notes and list share one style.
        style = self.listed_style = ApaStyle({key: entries[key] for key in listed})
        return Finalization(self.registry, style, listed, self.registry.offsets(reading_order, self.numbering),
                            page_urls, references_page, relative_url, database_exported=bool(entries))


class Finalization:
    """The final HTML of one build's pages, made one page at a time and only when needed.

    Why so: a large site's notes (20,000 full references) and reference list (10,000 works)
    are tens of MB of HTML. Made for every page at once and held until each page is written,
    they were the largest part of a build's memory; made for one page right when it is
    completed, they only ever exist once, briefly.
    """

    def __init__(
        self,
        registry: NoteRegistry,
        style: ApaStyle,
        listed: list[str],
        offsets: dict[str, int],
        page_urls: Mapping[str, str],
        references_page: str | None,
        relative_url: RelativeUrl,
        *,
        database_exported: bool,
    ) -> None:
        self._registry = registry
        self._style = style
        self._listed = listed
        self._listed_set = frozenset(listed)  # looked up once per cited work of every note
        self._offsets = offsets
        self._page_urls = page_urls
        self.references_page = references_page
        """Source path of the page that gets the reference list, if any."""
        self._relative_url = relative_url
        self._database_exported = database_exported

    def page(self, source_path: str, html: str) -> NumberedPage:
        """The page's converted HTML with its final note numbers in place."""
        offset = self._offsets.get(source_path, 0)
        notes = self._registry.pages.get(source_path)
        numbered = NumberedPage(html, offset)
        if notes:
            numbered.html = renumber(html, offset)
            numbered.has_notes = True
            numbered.new_anchor_ids = {NOTES_HEADING_ID, *(f"kb-note-{offset + local}"
                                                           for local in range(1, len(notes) + 1))}
        if source_path == self.references_page:
            numbered.new_anchor_ids |= {f"ref-{key}" for key in self._listed}
        return numbered

    def notes(self, source_path: str) -> str:
        """The page's "Notes" section (empty for a page without citations)."""
        notes = self._registry.pages.get(source_path)
        if not notes:
            return ""
        references_url = (self._relative_url(self._page_urls[self.references_page], self._page_urls[source_path])
                          if self.references_page else "")
        return render_notes_section(numbered_notes(notes, self._offsets.get(source_path, 0)), self._style,
                                    self._listed_set, lambda key: f"{references_url}#ref-{key}")

    def searchable_reference_list(self) -> str:
        """The list as the site search reads it (see ``pages.references``)."""
        return searchable_reference_list(self._listed, self._style)

    def reference_list(self) -> list[str]:
        """The list in pieces, with each "Cited in" note linked on its own page (relative to the references page)."""
        assert self.references_page is not None
        references_url = self._page_urls[self.references_page]
        page_hrefs = {path: self._relative_url(url, references_url) for path, url in self._page_urls.items()}
        cited_in = {
            key: [
                NoteLink(number, source, f"{page_hrefs[source]}#kb-noteref-{number}")
                for number, source in notes
                if source in page_hrefs
            ]
            for key, notes in notes_by_key(self._registry, self._offsets).items()
        }
        return reference_list_pieces(self._listed, self._style, cited_in,
                                     exports_url(lambda site_path: self._relative_url(site_path, references_url)),
                                     database_exported=self._database_exported)
