"""The MkDocs adapter: wires the MkDocs-agnostic core to MkDocs build events.

Each hook has one job, and a comment saying why it lives on that event. Nothing in here
parses BibTeX, matches terms or formats references: the subpackages do that with plain
inputs and outputs, so the core can move to another static-site generator.
"""

from __future__ import annotations

import functools
import gc
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Callable

from jinja2 import Environment

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from mkdocs_knowledge_base import assets, site_files
from mkdocs_knowledge_base.citations.mkdocs_citations import MkDocsCitations
from mkdocs_knowledge_base.config import KnowledgeBaseConfig
from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.hosting import external_assets, offline
from mkdocs_knowledge_base.lexicon.mkdocs_lexicon import MkDocsLexicon
from mkdocs_knowledge_base.lexicon.mkdocs_search_view import SearchView
from mkdocs_knowledge_base.lexicon.search_view import content_for_search

log = get_plugin_logger(__name__)

_loaded_by_last_build: dict[str, object] = {}
"""What the previous build of this process loaded: ``mkdocs serve`` rebuilds in the same process."""


def _log_loading(what: str, loaded: object, count: int) -> None:
    """DEBUG: whether ``loaded`` was parsed for this build or reused unchanged from the last one
    (the loaders return the very same object while the files' bytes are unchanged)."""
    verb = "reused (file unchanged)" if _loaded_by_last_build.get(what) is loaded else "parsed"
    _loaded_by_last_build[what] = loaded
    log.debug(f"{what}: {count} entries {verb}")


@contextmanager
def _loading_for_the_whole_build() -> Iterator[None]:
    """Garbage collection paused while the bibliography and lexicon load, and what was loaded
    left out of every collection after it, until the build ends (``gc.unfreeze`` in
    ``on_post_build`` or ``on_build_error``).

    Why: loading creates hundreds of thousands of objects that all stay until the build ends,
    and every automatic collection walked all of them again: six full collections during the
    loading of 10,000 works and 5,000 terms (0.6 s), and more during page conversion. The
    loaders make no reference cycles worth collecting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):
    """Lexicon links and popovers, numbered APA 7 notes, reference list, generated pages."""

    supports_multiple_instances = False
    checking: site_files.Checking = site_files.Checking()
    """Built pages being checked by a child process (see ``on_config``), or by this plugin."""
    writing: site_files.Writing = site_files.Writing()
    """Our own files being written by a child process (see ``on_env``); nothing until then."""

    def report(self, problems: list[DataProblem]) -> None:
        """Log each user-data problem as one warning with file and line (fails ``--strict``)."""
        for problem in problems:
            log.warning(str(problem))

    # on_config: the theme's extra CSS/JS lists must be extended before templates see them.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # First, while this process holds little more than imported code: the child checking
        # the pages MkDocs will write then shares almost nothing it could come to copy (see ``site_files``).
        if self.config.check_external_assets:
            self.checking = site_files.start_checking(
                self._problems_in_built_html,
                functools.partial(external_assets.shipped_code_problems, Path(config.site_dir)),
                in_background=self.config.background_work)
        config.extra_css.extend(f"{assets.SITE_PREFIX}/{name}" for name in assets.STYLESHEETS)
        config.extra_javascript.extend(f"{assets.SITE_PREFIX}/{name}" for name in assets.SCRIPTS)
        # The bibliography is parsed (cached) once per build; the citation extension must be
        # in markdown_extensions before the first page is converted. The lexicon is validated
        # against the bibliography; its extension links terms in every page.
        with _loading_for_the_whole_build():
            self.citations = MkDocsCitations(self.config, config)
            self.lexicon = MkDocsLexicon(self.config, config, self.citations.bibliography) if self.config.lexicon else None
        _log_loading("bibliography", self.citations.bibliography, len(self.citations.bibliography.entries))
        self.report(self.citations.bibliography.problems)
        if self.lexicon:
            _log_loading("lexicon", self.lexicon.lexicon, len(self.lexicon.lexicon.terms))
            self.report(self.lexicon.problems)
        return config

    # on_files: our packaged assets become site files like any file of docs/.
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        for uri, path in assets.packaged_assets():
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        self.citations.add_generated_files(files, config)
        if self.lexicon:
            self.lexicon.add_generated_files(files, config)
        return files

    # on_nav: the only event that knows the reading order, which numbers notes site-wide.
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.citations.remember_reading_order(nav)
        if self.lexicon:
            self.lexicon.remember_reading_order(nav)
        return nav

    # on_page_markdown: the last moment before this page is converted, so citations and term links know their page.
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.lexicon:
            self.lexicon.begin_page(page)
        return self.citations.begin_page(markdown, page)

    # on_env, early: every page is converted, and templates and the search index have not yet
    # read page.content, so final note numbers, notes and the reference list go in now; and
    # static files are copied right after it, so term pages (static HTML) are written now.
    # The files of our own (term pages, exports) are then written by a child process while
    # MkDocs renders the pages, which need none of them (see ``site_files``).
    @event_priority(50)
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        self.report(self.citations.finalize_pages(files, config))
        if self.lexicon:
            self.report(self.lexicon.complete_generated_pages(env, config, files, self.citations.engine.reference_html,
                                                              self.citations.after_indexing.replace_later))
        in_child = site_files.will_fork(self.config.background_work)
        generated = itertools.chain(self.citations.site_files(files, config, keep_pieces=not in_child),
                                    self.lexicon.site_files() if self.lexicon else ())
        try:
            self.writing = site_files.write_in_background(generated, in_background=in_child)
        except (site_files.WriteFailed, OSError) as error:
            raise PluginError(str(error)) from None
        log.debug(f"term pages and exports: written by {'a child' if self.writing.in_child else 'this'} process")
        if self.lexicon:
            self.lexicon.release_term_page_data()
        return env

    @cached_property
    def search_view(self) -> SearchView:
        """Made on first use, by the page-context hooks below (their only user)."""
        return SearchView()

    # on_page_context, first: Material's search (default priority) indexes page.content in this
    # event, reading our term markup tag by tag only to keep its words: it gets them without it,
    # and with the bare references where the reference list goes.
    @event_priority(100)
    def _content_for_search(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                            nav: Navigation) -> TemplateContext | None:
        if page.content is not None:
            light = content_for_search(page.content) if self.lexicon else page.content
            self.search_view.lighten(page, self.citations.for_indexing(page, light))
        return context

    # on_page_context, last: the search has indexed the page; the theme renders the full content.
    @event_priority(-100)
    def _content_for_theme(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                           nav: Navigation) -> TemplateContext | None:
        self.search_view.restore(page)
        return context

    on_page_context = CombinedEvent(_content_for_search, _content_for_theme)

    # on_serve: `mkdocs serve` watches docs/ only; a BibTeX or lexicon edit must rebuild the site too.
    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., None]) -> LiveReloadServer | None:
        for folder in self.citations.watched_folders():
            server.watch(folder)
        for lexicon_file in self.lexicon.watched_files() if self.lexicon else []:
            server.watch(lexicon_file)
        return server

    # on_pre_build: every plugin's on_config has run, so Material's offline plugin has put its
    # CDN iframe-worker shim into extra.polyfills; templates read the list only after this.
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        config.extra["polyfills"] = offline.localize_iframe_worker(config.extra.get("polyfills", []))

    def _problems_in_built_html(self, path: str, html: str) -> list[DataProblem]:
        """Each asset the built HTML file ``path`` would load from another host."""
        return external_assets.external_asset_problems(path, self.asset_scanner.references(html))

    def _check_built_html(self, path: str, html: str) -> None:
        """Warn about each asset the built HTML file ``path`` would load from another host."""
        if self.config.check_external_assets:
            self.report(self._problems_in_built_html(path, html))

    @cached_property
    def asset_scanner(self) -> external_assets.RepeatedMarkupScanner:
        """One per plugin instance, and MkDocs makes a new instance for every build (``serve``
        rebuilds too): the pages of a build repeat most of their markup, which the scanner
        compares with the previous page instead of reading it again."""
        return external_assets.RepeatedMarkupScanner()

    # on_post_page, first: the search index has read page.content (on_page_context), so the
    # notes and "Cite this page" it must not index go in now, before other plugins see the HTML.
    @event_priority(100)
    def _complete_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        return self.citations.complete_page(page, output)

    # on_post_page, last: the final HTML of each page, after every plugin (glightbox, ...) edited
    # it; checked here, or by our child process once MkDocs has written it.
    @event_priority(-100)
    def _check_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self.checking.in_child:
            self.checking.check_when_written(page.file.src_uri, page.file.abs_dest_path)
        else:
            self._check_built_html(page.file.src_uri, output)
        return output

    on_post_page = CombinedEvent(_complete_page, _check_page)

    # on_post_template: static templates (404.html) are not pages but are served like them.
    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
        self._check_built_html(template_name, output_content)
        return output_content

    # on_post_build, last: only now are all stylesheets and scripts (ours, the theme's, other
    # plugins') in site_dir, and the build must not end before our own files are written.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        checked_by_child = self.checking.in_child
        try:
            self.writing.wait()
            self.report(self.checking.finish())
        except site_files.WriteFailed as error:
            raise PluginError(str(error)) from None
        finally:
            gc.unfreeze()  # what was loaded, and frozen for the fork of a child: collectable again
        if self.config.check_external_assets and not checked_by_child:
            self.report(external_assets.shipped_code_problems(Path(config.site_dir)))

    # on_build_error: a failed build must not leave child processes writing into site_dir.
    def on_build_error(self, *, error: Exception) -> None:
        try:
            self.writing.cancel()
            self.checking.cancel()
        finally:
            gc.unfreeze()
