"""MkDocs side of citations: turns MkDocs objects into the engine's plain inputs and back.

Why a separate adapter module: ``plugin.py`` keeps one line per event for citations (the
lexicon has its own lines in the same hooks), and this is the only citation file that knows
MkDocs' ``Page``, ``Files`` and URL helpers.
"""

from __future__ import annotations

import os
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
from mkdocs_knowledge_base.citations.engine import CitationEngine
from mkdocs_knowledge_base.citations.notes import NOTES_HEADING_ID
from mkdocs_knowledge_base.citations.after_indexing import AfterIndexing
from mkdocs_knowledge_base.citations.registry import renumber
from mkdocs_knowledge_base.config import KnowledgeBaseConfig
from mkdocs_knowledge_base.site_files import write_site_file
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
        self.export_pieces: dict[str, dict[str, str]] = {}
        """Each entry's text in every export format, by key (see ``add_generated_files``)."""

    def add_generated_files(self, files: Files, config: MkDocsConfig) -> None:
        """The references page (unless the author wrote one) and the whole database's exports.

        Each entry is formatted here, once per format; the whole-database files join those
        pieces, and the files of the listed works (``_write_listed_exports``) reuse them.
        """
        if not self.bibliography.entries:
            return
        if files.get_file_from_path(self.options.references_page) is None:
            files.append(File.generated(config, self.options.references_page, content=references.GENERATED_PAGE_MARKDOWN))
        self.export_pieces = _export_pieces(self.bibliography)
        # Site files (not just written ones): an author's page may link to the whole database,
        # and MkDocs checks such links against its files while converting pages, after this.
        for uri in self._write_exports(files, config, references.WHOLE_DATABASE_STEM, list(self.export_pieces.values())):
            files.append(File.generated(config, uri, abs_src_path=_site_path(config, uri)))

    def _write_listed_exports(self, files: Files, config: MkDocsConfig) -> None:
        """BibTeX/RIS/CSL-JSON files of each work on the reference list, which links to them.

        Why only those, and only now (``on_env``): which works are listed depends on what the
        pages cite, known once every page is converted; an unlisted work has no link to its
        files, and writing three files for each of 10,000 entries cost more than formatting
        them. Why not as MkDocs files: some 27,000 of them, each a ``File`` holding its
        content until MkDocs copies static files, cost 50 MiB of a large build; nothing links
        to them but the list, which is made here.
        """
        for key in self.engine.listed_keys():
            self._write_exports(files, config, references.export_stem(key), [self.export_pieces[key]])

    def _write_exports(self, files: Files, config: MkDocsConfig, stem: str, pieces: list[dict[str, str]]) -> list[str]:
        """Write one file per format straight into ``site_dir`` (emptied before ``on_files``, so
        nothing of a previous build is left); an author's own file at the same address wins and
        is copied by MkDocs. Returns the site paths written."""
        written = []
        for extension in exporters.EXPORT_EXTENSIONS:
            uri = references.export_uri(stem, extension)
            if files.get_file_from_path(uri) is None:
                content = exporters.export_file(extension, [piece[extension] for piece in pieces])
                write_site_file(_site_path(config, uri), content.encode("utf-8"))
                written.append(uri)
        return written

    def remember_reading_order(self, nav: Navigation) -> None:
        """Notes are numbered in navigation order, which MkDocs only knows from ``on_nav``."""
        self.reading_order = [page.file.src_uri for page in nav.pages]

    def begin_page(self, markdown: str, page: Page) -> str:
        """Point the extension at this page; give the references page the slot for its list."""
        self.engine.begin_page(page.file.src_uri, page.file.content_string, page.file.abs_src_path)
        if page.file.src_uri == self.options.references_page:
            return f"{markdown}\n\n{references.LIST_SLOT}\n"
        return markdown

    def finalize_pages(self, files: Files, config: MkDocsConfig) -> list[DataProblem]:
        """Final numbers, notes, reference list and "Cite this page" into every page's content."""
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        references_file = files.get_file_from_path(self.options.references_page)
        page_urls = {page.file.src_uri: page.file.url for page in pages}
        finalization = self.engine.finalize(
            page_urls,
            self.reading_order,
            references_file.src_uri if references_file and references_file.src_uri in page_urls else None,
            get_relative_url,
        )
        for page in pages:  # each page's converted HTML is let go as soon as its final HTML is made
            key = page.file.src_uri
            result = finalization.page(key, page.content or "")
            page.content = (result.html if result.final_pieces is None else
                            self.after_indexing.replace_later(key, result.final_pieces, indexed_html=result.html))
            page_end = [result.notes, self._cite_block(page, config) if key in self.reading_order else ""]
            if any(page_end):
                page.content += "\n" + self.after_indexing.replace_later(key, ["\n".join(filter(None, page_end))])
            _renumber_generator_records(page, result.offset, result.new_anchor_ids)
            if NOTES_HEADING_ID in result.new_anchor_ids:
                _add_notes_to_toc(page)
        self._write_listed_exports(files, config)
        return self.engine.problems()

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


def _site_path(config: MkDocsConfig, uri: str) -> str:
    """Where the site file ``uri`` goes in ``site_dir``."""
    return os.path.normpath(os.path.join(config.site_dir, uri))


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
