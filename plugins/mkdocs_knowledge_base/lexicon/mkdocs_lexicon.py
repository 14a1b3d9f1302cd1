"""MkDocs side of the lexicon: turns MkDocs objects into the lexicon core's plain inputs and back.

Why a separate adapter module: ``plugin.py`` keeps one line per event for the lexicon (the
citations have their own lines in the same hooks), and this is the only lexicon file that
knows MkDocs' ``File``, ``Page``, navigation and URL helpers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from urllib.parse import urljoin

from jinja2 import Environment

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from mkdocs_knowledge_base.bibliography.database import Bibliography
from mkdocs_knowledge_base.citations.after_indexing import ReplaceLater
from mkdocs_knowledge_base.config import KnowledgeBaseConfig
from mkdocs_knowledge_base.mkdocs_site_files import written_by_plugin
from mkdocs_knowledge_base.site_files import SiteFile
from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.lexicon.exports import (POPOVER_DATA_URI, lexicon_csv, lexicon_json, lexicon_records,
                                                   popover_data_script)
from mkdocs_knowledge_base.lexicon.loader import load_lexicon
from mkdocs_knowledge_base.lexicon.markdown_extension import LexiconExtension
from mkdocs_knowledge_base.lexicon.model import Term
from mkdocs_knowledge_base.lexicon.mkdocs_term_pages import TermPageRenderer, term_page_uri
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
        self.term_files: dict[str, File] = {}
        """Term id -> the static file of its generated page (terms with an author's own page have none)."""
        self.page_of_term: dict[str, File] = {}
        """Term id -> the file its links lead to: ours, or the author's own page for that term."""
        self.public_url_of_term: dict[str, str] = {}
        """Term id -> the public URL of its page (CSV/JSON downloads, JSON-LD), worked out once."""
        self.nav: Navigation | None = None
        self.glossary_file: File | None = None
        """The generated glossary (None when the author wrote their own page there)."""
        self.glossary_downloads: list[tuple[str, File]] = []
        self.data_file: File | None = None
        """The popovers' data script, unless the author wrote their own."""
        self._term_pages: Callable[[], Iterator[SiteFile]] | None = None
        """Makes the term pages' files, once ``complete_generated_pages`` prepared them."""
        config.markdown_extensions.append(LexiconExtension(self.session))  # type: ignore[arg-type]
        config.extra_javascript.append(POPOVER_DATA_URI)

    def _public_url(self, file: File) -> str:
        """Absolute URL when ``site_url`` is set (exports, JSON-LD are read off-site), else site-relative."""
        return urljoin(self.site_url, file.url) if self.site_url else file.url

    def _generate(self, files: Files, config: MkDocsConfig, uri: str, *, written_by_us: bool = False) -> File | None:
        """A new generated file at ``uri``, unless the author wrote one there (theirs wins).

        ``written_by_us``: the file will be written straight into ``site_dir`` (see
        ``site_files``), so thousands of term pages are never all held in memory at once.
        """
        if files.get_file_from_path(uri) is not None:
            return None
        file = written_by_plugin(config, uri) if written_by_us else File.generated(config, uri, content="")
        files.append(file)
        return file

    def add_generated_files(self, files: Files, config: MkDocsConfig) -> None:
        """Term pages, the glossary, the CSV/JSON downloads and the popovers' data script."""
        terms_dir = self.session.terms_dir
        page_of_term = self.page_of_term
        for term in self.lexicon.terms:
            authored = files.get_file_from_path(f"{terms_dir}/{term.id}.md")  # an author's own page wins
            uri = term_page_uri(terms_dir, term.id, use_directory_urls=config.use_directory_urls)
            generated = None if authored else self._generate(files, config, uri, written_by_us=True)
            if generated is not None:
                self.term_files[term.id] = generated
            page_of_term[term.id] = authored or generated or files.get_file_from_path(uri)  # type: ignore[assignment]
            self.public_url_of_term[term.id] = self._public_url(page_of_term[term.id])

        downloads: list[tuple[str, File]] = []
        for label, uri, _ in EXPORTS:
            export_file = self._generate(files, config, uri, written_by_us=True)
            if export_file is not None:
                downloads.append((label, export_file))
        self.data_file = self._generate(files, config, POPOVER_DATA_URI, written_by_us=True)
        self.glossary_file = self._generate(files, config, self.options.glossary_page)
        if self.glossary_file is not None:
            self.glossary_file.content_string = glossary.glossary_markdown(GLOSSARY_TITLE)
        self.glossary_downloads = downloads

    def remember_reading_order(self, nav: Navigation) -> None:
        """"Used in" lists pages in navigation order, which MkDocs only knows from ``on_nav``."""
        self.nav = nav

    def begin_page(self, page: Page) -> None:
        """Point the extension at this page; only the author's own pages get automatic links."""
        here = page.file.url
        urls: dict[str, str] = {}

        def term_url(term_id: str) -> str:  # a page links each of its terms three times on average
            url = urls.get(term_id)
            if url is None:
                url = urls[term_id] = get_relative_url(self.page_of_term[term_id].url, here)
            return url

        self.session.begin_page(page.file.src_uri, is_document=page.file.generated_by is None,
                                source=page.markdown or "", term_url=term_url)

    def complete_generated_pages(self, env: Environment, config: MkDocsConfig, files: Files,
                                 reference_html: Callable[[str], str], replace_later: ReplaceLater) -> list[DataProblem]:
        """The glossary's list, and everything term pages need, now that all pages are
        converted; report link and usage problems. ``reference_html(key)`` formats a supporting
        work as the reference list does (same year labels, each work formatted once);
        ``replace_later`` holds the glossary's list until the page is indexed (``after_indexing``).

        Term pages themselves are made by ``site_files``, maybe in a child process (see
        ``site_files``), so every problem they could show is found here, beforehand.
        """
        self._fill_glossary(replace_later)
        problems = [*self.session.problems]
        if self.term_files:
            self._term_pages = self._term_page_maker(env, config, files, reference_html, problems)
        if self.options.warn_unused_terms:
            problems += self.session.unused_terms_problems()
        return problems

    def site_files(self) -> Iterator[SiteFile]:
        """The lexicon's downloads and popover data, and every generated term page, made one at
        a time (after ``complete_generated_pages``)."""
        if self.glossary_downloads:
            records = lexicon_records(self.lexicon, lambda term: self.public_url_of_term[term.id])
            made = {uri: export for _, uri, export in EXPORTS}
            for _, file in self.glossary_downloads:
                yield file.abs_dest_path, made[file.src_uri](records).encode("utf-8")
        if self.data_file is not None:
            yield self.data_file.abs_dest_path, popover_data_script(
                self.lexicon, lambda term: self.page_of_term[term.id].url).encode("utf-8")
        if self._term_pages is not None:
            yield from self._term_pages()

    def release_term_page_data(self) -> None:
        """Let go of what only the term pages needed, once ``site_files`` was handed to the
        writer: every occurrence with its snippet (tens of MB on a large site), which the rest
        of the build can then reuse."""
        self._term_pages = None
        self.session.forget_usages()

    def _fill_glossary(self, replace_later: ReplaceLater) -> None:
        """Put the A–Z list into the converted glossary page (see ``pages.glossary``), made
        when the page is indexed and completed: a glossary of thousands of terms is megabytes."""
        page = self.glossary_file.page if self.glossary_file else None
        if page is None or page.content is None:
            return
        here = page.file.url

        @functools.cache
        def glossary_html() -> str:  # made once for the indexer and the page, if the page is indexed
            return glossary.glossary_html(
                self.lexicon, term_url=lambda term: get_relative_url(self.page_of_term[term.id].url, here),
                downloads=[(label, get_relative_url(file.url, here)) for label, file in self.glossary_downloads])

        page.content = page.content.replace(glossary.SLOT, replace_later(
            page.file.src_uri, lambda: [glossary_html()], make_indexed=lambda: glossary.searchable_glossary(glossary_html())))
        if page.present_anchor_ids is not None:  # links to glossary entries from the author's pages are checked
            page.present_anchor_ids |= glossary.anchor_ids(self.lexicon)

    def _term_page_maker(self, env: Environment, config: MkDocsConfig, files: Files,
                         reference_html: Callable[[str], str],
                         problems: list[DataProblem]) -> Callable[[], Iterator[SiteFile]]:
        """What makes the term pages; the source of each term is checked now (into ``problems``)."""
        assert self.nav is not None, "on_nav comes before on_env"
        short_nav = [file.page for file in (self.nav.homepage and self.nav.homepage.file,
                                            files.get_file_from_path(self.options.glossary_page),
                                            files.get_file_from_path(self.options.references_page))
                     if file is not None and file.page is not None]
        renderer = TermPageRenderer(env, config, self.nav, files, self.session.terms_dir, short_nav=short_nav)
        known_keys = set(self.bibliography.entries)
        # Every term page sits in the same folder: a URL relative to one is relative to all, and
        # "Used in" and the terms' sources name and link the same few pages over and over, so
        # each is looked up and worked out once.
        some_term_page = next(iter(self.term_files.values()))
        page_rank = {page.file.src_uri: rank for rank, page in enumerate(self.nav.pages)}

        def url_from_here(target: File) -> str:
            return _relative_url(target.url, some_term_page.url)

        file_at = functools.cache(files.get_file_from_path)

        @functools.cache
        def page_title(src_uri: str) -> str:
            file = file_at(src_uri)
            return file.page.title if file and file.page and file.page.title else src_uri

        @functools.cache
        def doc_url(src_uri: str) -> str:
            target = file_at(src_uri)
            return url_from_here(target) if target else src_uri

        references_file = files.get_file_from_path(self.options.references_page)
        list_url = url_from_here(references_file) if references_file else ""
        glossary_file = files.get_file_from_path(self.options.glossary_page)
        glossary_url = url_from_here(glossary_file) if glossary_file else ""
        glossary_public_url = self._public_url(glossary_file) if glossary_file else self.options.glossary_page
        by_id = self.lexicon.by_id
        source_urls = {term_id: self._source_url(by_id[term_id], file_at, url_from_here, problems)
                       for term_id in self.term_files if by_id[term_id].source}

        def term_pages() -> Iterator[SiteFile]:
            for term_id, file in self.term_files.items():
                term = by_id[term_id]
                content = terms.term_page_html(
                    term, self.lexicon,
                    term_url=lambda other: url_from_here(self.page_of_term[other.id]),
                    source_url=source_urls.get(term_id), glossary_url=glossary_url,
                    references=terms.references_html(term.references, reference_html=reference_html,
                                                     list_url=list_url, known_keys=known_keys),
                    used_in=terms.used_in_html(self.session.usages_of(term_id), page_rank=page_rank,
                                               page_title=page_title, page_url=doc_url),
                    json_ld=terms.term_json_ld(term, url=self.public_url_of_term[term_id],
                                               glossary_url=glossary_public_url))
                yield file.abs_dest_path, renderer.render(file, term_id, term.heading, content).encode("utf-8")

        return term_pages

    def _source_url(self, term: Term, file_at: Callable[[str], File | None], url_from_here: Callable[[File], str],
                    problems: list[DataProblem]) -> str | None:
        """The term's ``source`` (``page.md#anchor``) as a URL from its page; a page or anchor
        that does not exist is reported at the term's line and the link left out."""
        assert term.source is not None
        path, _, anchor = term.source.partition("#")
        target = file_at(path)
        if target is None or target.page is None:
            problems.append(DataProblem(self.lexicon.path, term.line, f"term '{term.term}' has source "
                                        f"'{term.source}', but '{path}' is not a page of the site"))
            return None
        if anchor and anchor not in (target.page.present_anchor_ids or set()):
            problems.append(DataProblem(self.lexicon.path, term.line, f"term '{term.term}' has source "
                                        f"'{term.source}', but '{path}' has no heading or element with id '{anchor}'"))
            return None
        return url_from_here(target) + (f"#{anchor}" if anchor else "")

    def watched_files(self) -> list[str]:
        """The lexicon file, so ``mkdocs serve`` rebuilds when a term changes."""
        return [self.options.lexicon] if self.options.lexicon else []


@functools.lru_cache(maxsize=4096)
def _relative_url(url: str, from_url: str) -> str:
    """``get_relative_url``, remembered: term pages ask it the same questions thousands of times."""
    return get_relative_url(url, from_url)
