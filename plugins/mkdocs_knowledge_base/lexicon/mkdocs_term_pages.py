"""Term pages through the theme, at the price of one page whatever the size of the lexicon.

Why not let MkDocs build them as pages: a lexicon of thousands of terms would then cost
thousands of Markdown conversions, theme renderings and search-index entries, and every term
page would carry a copy of the site's whole navigation (240 KB each beside a 1,000-page nav:
over a gigabyte for 5,000 terms). So term pages are static HTML files MkDocs copies as they
are, made here from one rendering of the theme:

- their template is the theme's ``main.html`` without the navigation sidebars: a term page is
  a card (definition, related terms, sources, usages) reached from links, the glossary and
  search, and it leads back to the glossary; the header, search and footer are the site's;
- they all sit in one folder, so every relative link of the theme (assets, search, home) is
  the same on each, and none of them is in the navigation, so nothing in the page depends
  on which term it is except its title, its address and its content;
- the theme renders one *shell* page whose title, address and content are sentinels, and
  each term page is that shell with its own values put in place of them. A title the
  theme would change on its way into the page (escaping, tag stripping, white space) is
  rendered through the theme itself instead, which is always exact (and rare).

Other plugins see the shell once in ``on_post_page`` (so whatever they add to every page's
chrome is on term pages too), never a term page's content; the search index does not list
term pages, because the glossary already holds each term, its aliases and its definition.
"""

from __future__ import annotations

import html
import re

from jinja2 import Environment, Template
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

TEMPLATE = """{% extends "main.html" %}
{% block site_nav %}
  <div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation">
    <div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">
      <nav class="md-nav md-nav--primary" aria-label="Navigation" data-md-level="0">
        <label class="md-nav__title" for="__drawer">{{ config.site_name | e }}</label>
        <ul class="md-nav__list" data-md-scrollfix>
          {% for item in kb_term_nav %}
            <li class="md-nav__item"><a href="{{ item.url | url }}" class="md-nav__link">
              <span class="md-ellipsis">{{ item.title | e }}</span></a></li>
          {% endfor %}
        </ul>
      </nav>
    </div></div>
  </div>
{% endblock %}"""
"""The page template with a short navigation (home, glossary, references) in place of the
site's (``site_nav`` is Material's block for both sidebars; another theme keeps its own)."""

_TITLE = "KbShellTitle7q3x"
_NAME = "kb-shell-name-7q3x"
_CONTENT = "<h1>kb-shell-content-7q3x</h1>"
"""A heading, because term pages bring their own ``<h1>`` and a theme adds one to content without."""
_SENTINELS = re.compile("|".join(map(re.escape, (_TITLE, _NAME, _CONTENT))))
_VERBATIM_TITLE = re.compile(r"[\w,.:;()+/\u2013\u2014-]+(?: [\w,.:;()+/\u2013\u2014-]+)*")
"""Titles every template filter leaves as they are: no ``<>&"'``, no doubled or outer spaces."""


class TermPageRenderer:
    """Renders the term pages of one folder (``terms/<id>/``) through the site's theme."""

    def __init__(self, env: Environment, config: MkDocsConfig, nav: Navigation, files: Files, folder: str,
                 *, short_nav: list[Page]) -> None:
        self.config = config
        self.short_nav = short_nav
        self.nav = nav
        self.files = files
        self.folder = folder
        self.template: Template = env.from_string(TEMPLATE)
        shell = self._page(_NAME, _TITLE, _CONTENT)
        output = config.plugins.on_post_page(self._render(shell), page=shell, config=config)
        self._parts = _SENTINELS.split(output)
        self._values_at = [match.group(0) for match in _SENTINELS.finditer(output)]
        self._url_prefix, _, self._url_suffix = shell.url.partition(_NAME)

    def _page(self, name: str, title: str, content: str) -> Page:
        """A page of the folder, not added to the site's files: it only feeds the template."""
        page = Page(title, File.generated(self.config, f"{self.folder}/{name}.md", content=""), self.config)
        page.content = content
        # As ``meta.title`` the theme prints the title as given; as ``title`` it would go through
        # ``striptags``, which turns an escaped ``&lt;/title&gt;`` back into markup.
        page.meta = {"title": title}
        return page

    def _render(self, page: Page) -> str:
        context = get_context(self.nav, self.files, self.config, page)
        context["kb_term_nav"] = self.short_nav
        return self.template.render(context)

    def render_through_theme(self, name: str, title: str, content: str) -> str:
        """The page rendered by the theme itself: exact for any title, and as slow as any page."""
        return self._render(self._page(name, html.escape(title), content))

    def render(self, file: File, name: str, title: str, content: str) -> str:
        """The whole HTML of the term page ``file`` (``<folder>/<name>``) titled ``title`` (plain text)."""
        if not _VERBATIM_TITLE.fullmatch(title):
            return self.render_through_theme(name, title, content)
        url_name = file.url.removeprefix(self._url_prefix).removesuffix(self._url_suffix)
        values = {_TITLE: title, _NAME: url_name, _CONTENT: content}
        pieces = [self._parts[0]]
        for sentinel, following in zip(self._values_at, self._parts[1:]):
            pieces += [values[sentinel], following]
        return "".join(pieces)


def term_page_uri(folder: str, name: str, *, use_directory_urls: bool) -> str:
    """Where a term page's static file goes: the address a Markdown page ``<folder>/<name>.md`` would have."""
    return f"{folder}/{name}/index.html" if use_directory_urls else f"{folder}/{name}.html"
