"""MkDocs side of citations: turns MkDocs objects into the engine's plain inputs and back.

Why a separate adapter module: ``plugin.py`` keeps one line per event for citations (the
lexicon has its own lines in the same hooks), and this is the only citation file that knows
MkDocs' ``Page``, ``Files`` and URL helpers.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from mkdocs_knowledge_base.bibliography import exporters
from mkdocs_knowledge_base.bibliography.database import Bibliography, load_bibliography
from mkdocs_knowledge_base.citations.engine import CitationEngine, Finalization
from mkdocs_knowledge_base.citations.markdown_extension import markers_for_search
from mkdocs_knowledge_base.citations.notes import NOTES_HEADING_ID
from mkdocs_knowledge_base.citations.after_indexing import AfterIndexing
from mkdocs_knowledge_base.citations.registry import renumber
from mkdocs_knowledge_base.config import KnowledgeBaseConfig
from mkdocs_knowledge_base.mkdocs_site_files import site_path, written_by_plugin
from mkdocs_knowledge_base.site_files import SiteFile, open_site_file
from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.pages import references
from mkdocs_knowledge_base.recent_results import RecentResults
from mkdocs_knowledge_base.pages.cite import CitableWork, render_cite_block


class MkDocsCitations:
    """Citations of one MkDocs build (a new instance per build, so ``serve`` rebuilds start clean)."""

    def __init__(self, options: KnowledgeBaseConfig, config: MkDocsConfig) -> None:
        self.options = options
        self.bibliography: Bibliography = load_bibliography(options.bibliography)
        self.engine = CitationEngine(
            self.bibliography,
            numbering=options.note_numbering,
            list_uncited=options.list_uncited,
            warn_uncited=options.warn_uncited,
        )
        config.markdown_extensions.append(self.engine.markdown_extension())  # type: ignore[arg-type]
        self.reading_order: list[str] = []
        self.after_indexing = AfterIndexing()
        self._whole_database_uris: list[str] = []
        """Site paths of the whole database's export files that are ours to write (``add_generated_files``)."""

    def add_generated_files(self, files: Files, config: MkDocsConfig) -> None:
        """The references page (unless the author wrote one) and the whole database's exports.

        Why the exports are listed now, though only written later (``site_files``): an
        author's page may link to the whole database, and MkDocs checks such links against its
        files while converting pages. An author's own file at the same address wins.
        """
        if not self.bibliography.entries:
            return
        if files.get_file_from_path(self.options.references_page) is None:
            files.append(File.generated(config, self.options.references_page, content=references.GENERATED_PAGE_MARKDOWN))
        for extension in exporters.EXPORT_EXTENSIONS:
            uri = references.export_uri(references.WHOLE_DATABASE_STEM, extension)
            if files.get_file_from_path(uri) is None:
                files.append(written_by_plugin(config, uri))
                self._whole_database_uris.append(uri)

    def site_files(self, files: Files, config: MkDocsConfig, *, keep_pieces: bool) -> Iterator[SiteFile]:
        """The export files: BibTeX/RIS/CSL-JSON of each work on the reference list, which links
        to them, made one at a time (after ``finalize_pages``); the whole database's files are
        written meanwhile, entry by entry (``exporters.ExportFileWriter``).

        Why only the listed works: which works are listed depends on what the pages cite,
        known once every page is converted; an unlisted work has no link to its files. Why
        not as MkDocs files: some 27,000 of them, each a ``File``, cost 50 MiB of a large
        build; nothing links to them but the list. Each entry is formatted once per format,
        for the whole database's files and its own. ``keep_pieces``: keep every entry's pieces
        for the next build of this process (``mkdocs serve``), instead of making each and
        letting it go.
        """
        if not self.bibliography.entries:
            return
        listed = set(self.engine.listed_keys())
        kept = _export_pieces(self.bibliography) if keep_pieces else None
        with contextlib.ExitStack() as closing:
            writers = []
            for uri in self._whole_database_uris:
                stream = closing.enter_context(open_site_file(site_path(config, uri)))
                writer = exporters.ExportFileWriter(uri.rpartition(".")[2], lambda text, stream=stream: stream.write(text.encode("utf-8")))
                closing.callback(writer.close)
                writers.append(writer)
            for key, entry in self.bibliography.entries.items():
                pieces = kept[key] if kept is not None else exporters.export_pieces(key, entry)
                for writer in writers:
                    writer.add(pieces[writer.extension])
                if key not in listed:
                    continue
                stem = references.export_stem(key)
                for extension in exporters.EXPORT_EXTENSIONS:
                    uri = references.export_uri(stem, extension)
                    if files.get_file_from_path(uri) is None:
                        yield site_path(config, uri), _export_file(extension, [pieces[extension]])

    def remember_reading_order(self, nav: Navigation) -> None:
        """Notes are numbered in navigation order, which MkDocs only knows from ``on_nav``."""
        self.reading_order = [page.file.src_uri for page in nav.pages]

    def begin_page(self, markdown: str, page: Page) -> str:
        """Point the extension at this page; give the references page the slot for its list."""
        file = page.file
        self.engine.begin_page(file.src_uri, lambda: file.content_string, file.abs_src_path)
        if page.file.src_uri == self.options.references_page:
            return f"{markdown}\n\n{references.LIST_SLOT}\n"
        return markdown

    def finalize_pages(self, files: Files, config: MkDocsConfig) -> list[DataProblem]:
        """Final note numbers in every page's content, and placeholders for what each page gets
        once indexed: its notes and "Cite this page", and the reference list (``after_indexing``)."""
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        references_file = files.get_file_from_path(self.options.references_page)
        page_urls = {page.file.src_uri: page.file.url for page in pages}
        finalization = self.engine.finalize(
            page_urls,
            self.reading_order,
            references_file.src_uri if references_file and references_file.src_uri in page_urls else None,
            get_relative_url,
        )
        for page in pages:
            key = page.file.src_uri
            numbered = finalization.page(key, page.content or "")
            page.content = numbered.html
            if key == finalization.references_page and references.LIST_SLOT in page.content:
                page.content = page.content.replace(references.LIST_SLOT, self.after_indexing.replace_later(
                    key, finalization.reference_list, make_indexed=finalization.searchable_reference_list), 1)
            cited = key in self.reading_order
            if numbered.has_notes or cited:
                page.content += "\n" + self.after_indexing.replace_later(
                    key, functools.partial(self._page_end, finalization, page, config, cited=cited))
            _renumber_generator_records(page, numbered.offset, numbered.new_anchor_ids)
            if NOTES_HEADING_ID in numbered.new_anchor_ids:
                _add_notes_to_toc(page)
        return self.engine.problems()

    def _page_end(self, finalization: Finalization, page: Page, config: MkDocsConfig, *, cited: bool) -> list[str]:
        """What closes a page once it is indexed: its notes, then "Cite this page" (pages of the navigation)."""
        return ["\n".join(filter(None, [finalization.notes(page.file.src_uri),
                                          self._cite_block(page, config) if cited else ""]))]

    def for_indexing(self, page: Page, content: str) -> str:
        """``content`` as the site search should read it: note markers reduced to their numbers
        (``markers_for_search``), the indexed part of what comes after indexing put in (``after_indexing``)."""
        return self.after_indexing.for_indexing(page.file.src_uri, markers_for_search(content))

    def complete_page(self, page: Page, output: str) -> str:
        """The page's final HTML with what the search index must not read in place (see ``after_indexing``)."""
        return self.after_indexing.complete(page.file.src_uri, output)

    def _cite_block(self, page: Page, config: MkDocsConfig) -> str:
        """Only pages of the navigation are cited: generated term pages are not parts of the document."""
        site = self.options.citation
        author = site.organization or config.site_author or config.site_name
        document_title = site.title or config.site_name
        site_url = config.site_url or None
        document = CitableWork("site", author, site.year, document_title, None, site_url)
        page_key = Path(page.file.src_uri).with_suffix("").as_posix().replace("/", "-")
        page_url = urljoin(site_url, page.url) if site_url else None
        this_page = CitableWork(page_key, author, site.year, page.title or page_key, document_title, page_url)
        return render_cite_block(this_page, document)

    def watched_folders(self) -> list[str]:
        """Folders of the BibTeX files, so ``mkdocs serve`` rebuilds when a reference changes."""
        return sorted({str(Path(path).parent) for path in self.options.bibliography})


_recent_export_pieces: RecentResults[int, tuple[Bibliography, dict[str, dict[str, str]]]] = RecentResults()
"""By bibliography object (kept beside its pieces, so its id cannot be reused meanwhile)."""


def _export_pieces(bibliography: Bibliography) -> dict[str, dict[str, str]]:
    """Every entry's text in each export format; formatted once per bibliography, not per build.

    Why: a ``mkdocs serve`` rebuild after a page edit gets the very same ``Bibliography`` object
    while the BibTeX files are unchanged (``load_bibliography`` caches by their bytes), and
    formatting 10,000 entries again would cost it a second.
    """
    return _recent_export_pieces.get_or_make(id(bibliography), lambda: (bibliography, {
        key: exporters.export_pieces(key, entry) for key, entry in bibliography.entries.items()}))[1]


def _export_file(extension: str, pieces: list[str]) -> bytes:
    return exporters.export_file(extension, pieces).encode("utf-8")


def _renumber_generator_records(page: Page, offset: int, new_anchor_ids: set[str]) -> None:
    """Give MkDocs' own records of this page final numbers too.

    MkDocs saw the placeholders while converting: in the table of contents (a citation in a
    heading) and in the anchors it validates after ``on_env`` (our markers' ``#kb-note-N``
    self-links). Without this, the TOC would show placeholders and anchor validation would
    fail on ids that no longer exist.
    """
    _renumber_toc(page.toc.items, offset)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids = {renumber(anchor, offset) for anchor in page.present_anchor_ids} | new_anchor_ids
    for target, links in (page.links_to_anchors or {}).items():
        page.links_to_anchors[target] = {renumber(a, offset): renumber(url, offset) for a, url in links.items()}  # type: ignore[index]


def _add_notes_to_toc(page: Page) -> None:
    """List "Notes" in the page's table of contents, under the page title when there is one,
    so the sidebar leads to the notes like to any section written by the author."""
    notes = AnchorLink("Notes", NOTES_HEADING_ID, 2)
    items = page.toc.items
    (items[0].children if len(items) == 1 and items[0].level == 1 else items).append(notes)


def _renumber_toc(items: list[AnchorLink], offset: int) -> None:
    for item in items:
        item.title = renumber(item.title, offset)
        item.id = renumber(item.id, offset)
        _renumber_toc(item.children, offset)
