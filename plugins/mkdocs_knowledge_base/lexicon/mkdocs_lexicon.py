"""MkDocs side of the lexicon: turns MkDocs objects into the lexicon core's plain inputs and back.

Why a separate adapter module: ``plugin.py`` keeps one line per event for the lexicon (the
citations have their own lines in the same hooks), and this is the only lexicon file that
knows MkDocs' ``File``, ``Page``, navigation and URL helpers.
"""

from __future__ import annotations

from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from mkdocs_knowledge_base.bibliography.apa import ApaStyle
from mkdocs_knowledge_base.bibliography.database import Bibliography
from mkdocs_knowledge_base.config import KnowledgeBaseConfig
from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.lexicon.exports import POPOVER_DATA_URI, lexicon_csv, lexicon_json, popover_data_script
from mkdocs_knowledge_base.lexicon.loader import load_lexicon
from mkdocs_knowledge_base.lexicon.markdown_extension import LexiconExtension
from mkdocs_knowledge_base.lexicon.model import Term
from mkdocs_knowledge_base.lexicon.usage import LinkingSession
from mkdocs_knowledge_base.pages import glossary, terms

GLOSSARY_TITLE = "Glossary"
EXPORTS = (("CSV", "lexicon.csv", lexicon_csv), ("JSON", "lexicon.json", lexicon_json))


class MkDocsLexicon:
    """The lexicon of one MkDocs build (a new instance per build, so ``serve`` rebuilds start clean)."""

    def __init__(self, options: KnowledgeBaseConfig, config: MkDocsConfig, bibliography: Bibliography) -> None:
        assert options.lexicon is not None
        self.options = options
        self.bibliography = bibliography
        # A key of an entry left out for a BibTeX mistake counts as known: that mistake is reported once, by the loader.
        self.lexicon, self.problems = load_lexicon(
            options.lexicon, known_reference_keys=set(bibliography.entries) | bibliography.broken_keys)
        self.session = LinkingSession(self.lexicon, policy=options.link_terms, terms_dir=options.terms_dir.strip("/"))
        self.site_url = config.site_url or ""
        self.reading_order: list[str] = []
        self.term_files: dict[str, File] = {}
        config.markdown_extensions.append(LexiconExtension(self.session))  # type: ignore[arg-type]
        config.extra_javascript.append(POPOVER_DATA_URI)

    def _public_url(self, file: File) -> str:
        """Absolute URL when ``site_url`` is set (exports, JSON-LD are read off-site), else site-relative."""
        return urljoin(self.site_url, file.url) if self.site_url else file.url

    def _generate(
        self, files: Files, config: MkDocsConfig, uri: str, inclusion: InclusionLevel = InclusionLevel.UNDEFINED
    ) -> File | None:
        """A new generated file at ``uri``, unless the author wrote one there (theirs wins)."""
        if files.get_file_from_path(uri) is not None:
            return None
        file = File.generated(config, uri, content="", inclusion=inclusion)
        files.append(file)
        return file

    def add_generated_files(self, files: Files, config: MkDocsConfig) -> None:
        """Term pages, the glossary, the CSV/JSON downloads and the popovers' data script."""
        for term in self.lexicon.terms:
            # Reached from the glossary and term links, not the sidebar: NOT_IN_NAV says so to
            # MkDocs, which would otherwise list every term page as "not included in the nav".
            file = self._generate(files, config, self.session.term_page_uri(term.id), InclusionLevel.NOT_IN_NAV)
            if file is not None:
                self.term_files[term.id] = file
        page_of_term: dict[str, File] = {
            term.id: files.get_file_from_path(self.session.term_page_uri(term.id))  # type: ignore[misc]
            for term in self.lexicon.terms}  # ours, or the author's own page for that term

        def public_term_url(term: Term) -> str:
            return self._public_url(page_of_term[term.id])

        downloads: list[tuple[str, File]] = []
        for label, uri, export in EXPORTS:
            export_file = self._generate(files, config, uri)
            if export_file is not None:
                export_file.content_string = export(self.lexicon, public_term_url)
                downloads.append((label, export_file))
        data_file = self._generate(files, config, POPOVER_DATA_URI)
        if data_file is not None:
            data_file.content_string = popover_data_script(self.lexicon, lambda term: page_of_term[term.id].url)
        glossary_file = self._generate(files, config, self.options.glossary_page)
        if glossary_file is not None:
            here = glossary_file.url
            glossary_file.content_string = glossary.glossary_markdown(
                self.lexicon, title=GLOSSARY_TITLE,
                term_url=lambda term: get_relative_url(page_of_term[term.id].url, here),
                downloads=[(label, get_relative_url(file.url, here)) for label, file in downloads])
        glossary_page = files.get_file_from_path(self.options.glossary_page)
        glossary_url = self._public_url(glossary_page) if glossary_page else self.options.glossary_page
        for term_id, file in self.term_files.items():
            term = self.lexicon.by_id[term_id]
            file.content_string = terms.term_page_markdown(
                term, self.lexicon, page_uri=file.src_uri, glossary_uri=self.options.glossary_page,
                terms_dir=self.session.terms_dir,
                json_ld=terms.term_json_ld(term, url=self._public_url(file), glossary_url=glossary_url))

    def remember_reading_order(self, nav: Navigation) -> None:
        """"Used in" lists pages in navigation order, which MkDocs only knows from ``on_nav``."""
        self.reading_order = [page.file.src_uri for page in nav.pages]

    def begin_page(self, page: Page) -> None:
        """Point the extension at this page; only the author's own pages get automatic links."""
        self.session.begin_page(page.file.src_uri, is_document=page.file.generated_by is None,
                                source=page.markdown or "")

    def complete_term_pages(self, files: Files) -> list[DataProblem]:
        """Fill each term page's references and "Used in" slots; report link and usage problems."""
        references_file = files.get_file_from_path(self.options.references_page)
        style = ApaStyle(self.bibliography.entries)
        known_keys = set(self.bibliography.entries)

        def page_title(src_uri: str) -> str:
            file = files.get_file_from_path(src_uri)
            return (file.page.title if file and file.page and file.page.title else src_uri)

        for term_id, file in self.term_files.items():
            page = file.page
            if page is None or page.content is None:
                continue
            term = self.lexicon.by_id[term_id]

            def url_from_here(src_uri: str, here: File = file) -> str:
                target = files.get_file_from_path(src_uri)
                return get_relative_url(target.url, here.url) if target else src_uri

            list_url = url_from_here(references_file.src_uri) if references_file else ""
            page.content = page.content.replace(terms.REFERENCES_SLOT, terms.references_html(
                term.references, reference_html=style.reference_html, list_url=list_url, known_keys=known_keys))
            page.content = page.content.replace(terms.USED_IN_SLOT, terms.used_in_html(
                self.session.usages.get(term_id, []), reading_order=self.reading_order,
                page_title=page_title, page_url=url_from_here))
        problems = [*self.session.problems]
        if self.options.warn_unused_terms:
            problems += self.session.unused_terms_problems()
        return problems

    def watched_files(self) -> list[str]:
        """The lexicon file, so ``mkdocs serve`` rebuilds when a term changes."""
        return [self.options.lexicon] if self.options.lexicon else []
