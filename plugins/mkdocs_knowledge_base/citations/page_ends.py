"""The end of a page's content — its notes and "Cite this page" — put in after the search index is built.

Why: both are left out of the site search anyway (a note repeats a work the reference list
holds; the citation block is the same on every page), yet a search indexer still has to read
every tag of them to skip them. On a page citing thirty works they hold most of the page's
markup, and reading it made indexing the largest cost of a large site. So the content the
theme and the indexer see ends with a placeholder comment, and the blocks replace it in the
page's final HTML.
"""

from __future__ import annotations

PLACEHOLDER = "<!-- kb-page-end -->"


class PageEnds:
    """The deferred end blocks of the pages of one build, by page."""

    def __init__(self) -> None:
        self._blocks: dict[str, str] = {}

    def defer(self, page_key: str, html: str) -> str:
        """Keep ``html`` for ``page_key``'s final HTML; returns the placeholder to end its content with."""
        self._blocks[page_key] = html
        return PLACEHOLDER

    def fill(self, page_key: str, output: str) -> str:
        """``output`` (a page's final HTML) with its last placeholder replaced by the deferred blocks
        (the last: the same comment written by an author earlier in the page stays as it is)."""
        html = self._blocks.get(page_key)
        if html is None:
            return output
        before, found, after = output.rpartition(PLACEHOLDER)
        return f"{before}{html}{after}" if found else output
