"""What a page shows but the search index must not read: put into the page's final HTML afterwards.

Why: a page's notes and its "Cite this page" block are left out of the site search (a note
repeats a work the reference list holds; the citation block is the same on every page), and
so are each reference's "Cited in" links and download buttons, which say nothing about the
work. A search indexer still has to read every tag of what it skips, and on citation-dense
pages and a long reference list that markup was the largest cost of a large build. So the
content the theme and the indexer see holds placeholders — nothing at the end of a page, the
bare references in place of the full list — and the final HTML gets the real blocks.

The markers carry a token drawn for each build, so no text an author writes can match them;
they never reach a built file.
"""

from __future__ import annotations

import secrets


class AfterIndexing:
    """The blocks of one build that replace their placeholders in each page's final HTML."""

    def __init__(self) -> None:
        token = secrets.token_hex(8)
        self._start = f"<!--kb-after-indexing {token}-->"
        self._end = f"<!--/kb-after-indexing {token}-->"
        self._blocks: dict[str, list[str]] = {}

    def replace_later(self, page_key: str, final_html: str, *, indexed_html: str = "") -> str:
        """What ``page_key``'s content holds in place of ``final_html`` until it is indexed:
        ``indexed_html`` (the part of it the search should read, if any) between markers."""
        self._blocks.setdefault(page_key, []).append(final_html)
        return f"{self._start}{indexed_html}{self._end}"

    def complete(self, page_key: str, output: str) -> str:
        """``output`` (a page's final HTML) with each marked placeholder replaced, in order."""
        pieces = []
        rest = output
        for final_html in self._blocks.get(page_key, []):
            before, _, after = rest.partition(self._start)
            _, _, rest = after.partition(self._end)
            pieces += [before, final_html]
        return "".join([*pieces, rest])
