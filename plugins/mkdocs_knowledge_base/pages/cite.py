""""Cite this page": how to cite a page of the site, and the whole document, in APA 7.

Why inline (``<pre>`` + Copy) rather than downloads under ``cite/``: a page's title is only
known after it is rendered, long after generated files must exist; inline text also
works from ``file://`` and needs no extra request. The APA text, BibTeX and RIS come from
the same style and exporters as the reference list, so rules, escaping and tags agree.

APA 7 shapes used (webpage on a website; the site name is left out when it equals the author):

- page: ``Organization. (Year). *Page title*. Document title. URL``
- document: ``Organization. (Year). *Document title*. URL``
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from pybtex.database import Person

from mkdocs_knowledge_base.bibliography.apa import ApaStyle
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.exporters import to_bibtex, to_ris
from mkdocs_knowledge_base.bibliography.names import NameParts


@dataclass(frozen=True)
class CitableWork:
    """Something a reader may cite: a page of the site, or the whole document."""

    key: str
    author: str
    """Group author, e.g. the hosting agency."""
    year: int | None
    title: str
    container: str | None
    """The document a page belongs to; ``None`` for the document itself."""
    url: str | None

    def bib_entry(self) -> BibEntry:
        """The work as a BibTeX ``@misc`` with a group author, for the APA style and the exporters.

        The title is braced whole: page titles are written by the site's editors and keep
        their capitals (an acronym like IMH must not be sentence-cased away). The author is
        double-braced and split by pybtex's ``Person``, as a BibTeX file would be read.
        """
        fields = {"title": f"{{{_as_latex(self.title)}}}"}
        if self.year:
            fields["year"] = str(self.year)
        if self.container and self.container != self.author:  # APA 7: a site named like its author is not repeated
            fields["howpublished"] = _as_latex(self.container)
        if self.url:
            fields["url"] = self.url
        return BibEntry.build("misc", fields.items(), [("author", (_group_author(self.author),))])


@lru_cache(maxsize=8)
def _group_author(name: str) -> NameParts:
    """The name parts of a group author as BibTeX reads ``{{name}}``: one per site, not per page."""
    return NameParts.of(Person(f"{{{_as_latex(name)}}}"))


_BRACES_AS_PARENTHESES = str.maketrans("{}", "()")


def _as_latex(text: str) -> str:
    """Plain text (a page title, the site's name) as a BibTeX value that reads back as that
    text: ``\\``, ``%`` and ``~`` escaped (a ``%`` would comment out the rest, and "50% of
    families" is a title). Braces, which LaTeX cannot escape in a way BibTeX readers and this
    plugin's own reader agree on, become parentheses: an unbalanced one broke the whole build."""
    latex = text.translate(_BRACES_AS_PARENTHESES)
    if "\\" in latex or "%" in latex or "~" in latex:
        latex = latex.replace("\\", "\\textbackslash{}").replace("%", "\\%").replace("~", "\\textasciitilde{}")
    return latex


def render_cite_block(page: CitableWork, document: CitableWork) -> str:
    """``<details class="kb-cite">`` with APA 7, BibTeX and RIS for the page and the document.

    ``data-search-exclude`` keeps this boilerplate, repeated on every page, out of search results.
    """
    sections = f"{_page_section('This page', page)}\n{_work_section('The whole document', document)}"
    return f'<details class="kb-cite" data-search-exclude>\n<summary>Cite this page</summary>\n{sections}\n</details>'


_PLAIN_TITLE = re.compile(r"(?!.*(?:--|,,|  ))[A-Za-z0-9]+(?:[ ,:;()-]+[A-Za-z0-9]+)*")
"""A title every format writes as it is: no character any of them escapes, braces or reads,
none of TeX's ligatures (``--``, ``,,``) or runs of spaces, and ending on a letter or digit
(after ``?`` or ``!`` APA writes no period)."""
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9/._~-]+")
_SENTINELS = {"key": "kbcitekeyq7x3", "title": "Kbcitetitleq7x3", "url": "https://kb-cite-url.invalid/q7x3/"}
_SENTINEL = re.compile("|".join(map(re.escape, _SENTINELS.values())))


def _page_section(heading: str, page: CitableWork) -> str:
    """``_work_section`` of a page: for a page with a plain title and address (nearly all),
    the section of a stand-in page with them put in, made once per site.

    Why: a site's pages differ only in key, title and address, and a section took 0.3 ms to
    make, 0.3 s of a site of 1,000 pages. Exact, because the formats write such values as
    they are (``tests/test_cite_block`` compares the two for every kind of plain value).
    """
    if not (_PLAIN_KEY.fullmatch(page.key) and _PLAIN_TITLE.fullmatch(page.title)
            and (page.url is None or _PLAIN_URL.fullmatch(page.url))
            and not _SENTINEL.search(f"{page.author}\n{page.container}")):
        return _work_section(heading, page)
    stand_in = CitableWork(_SENTINELS["key"], page.author, page.year, _SENTINELS["title"], page.container,
                           _SENTINELS["url"] if page.url else None)
    values = {_SENTINELS["key"]: page.key, _SENTINELS["title"]: page.title, _SENTINELS["url"]: page.url or ""}
    return _SENTINEL.sub(lambda sentinel: values[sentinel.group()], _work_section(heading, stand_in))


@lru_cache(maxsize=8)
def _work_section(heading: str, work: CitableWork) -> str:
    """One work's APA, BibTeX and RIS with their Copy buttons.

    Cached (by value: a changed title is a new work): the whole document's section is the
    same on every page, and was made again for each of them, half the cost of the block.
    """
    entries = {work.key: work.bib_entry()}
    apa = ApaStyle(entries)
    formats = (
        ("APA 7", apa.reference_text(work.key), f'<p class="kb-cite-apa">{apa.reference_html(work.key)}</p>'),
        ("BibTeX", to_bibtex(entries).strip(), None),
        ("RIS", to_ris(entries).strip(), None),
    )
    blocks = []
    for label, text, shown in formats:
        # `no-copy`: our own labelled Copy button follows; Material's extra copy bar would be a
        # second, unnamed control (and an unnamed navigation landmark, axe "landmark-unique").
        shown = shown or f'<pre class="kb-cite-code no-copy"><code>{html.escape(text)}</code></pre>'
        blocks.append(
            f'<div class="kb-cite-format">{shown}'
            f'<button type="button" class="kb-copy" data-kb-copy="{html.escape(text, quote=True)}" '
            f'aria-label="Copy {label} citation of {heading.lower()}">Copy {label}</button></div>'
        )
    # Not a heading: the block repeats on every page and must not enter its outline.
    return f'<section class="kb-cite-work"><p class="kb-cite-heading">{heading}</p>\n' + "\n".join(blocks) + "\n</section>"
