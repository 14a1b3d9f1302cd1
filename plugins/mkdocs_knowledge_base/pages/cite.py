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
        fields = {"title": f"{{{self.title}}}"}
        if self.year:
            fields["year"] = str(self.year)
        if self.container and self.container != self.author:  # APA 7: a site named like its author is not repeated
            fields["howpublished"] = self.container
        if self.url:
            fields["url"] = self.url
        return BibEntry.build("misc", fields.items(), [("author", (NameParts.of(Person(f"{{{self.author}}}")),))])


def render_cite_block(page: CitableWork, document: CitableWork) -> str:
    """``<details class="kb-cite">`` with APA 7, BibTeX and RIS for the page and the document.

    ``data-search-exclude`` keeps this boilerplate, repeated on every page, out of search results.
    """
    sections = "\n".join(
        _work_section(heading, work) for heading, work in (("This page", page), ("The whole document", document))
    )
    return f'<details class="kb-cite" data-search-exclude>\n<summary>Cite this page</summary>\n{sections}\n</details>'


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
