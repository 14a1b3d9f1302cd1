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
        self._blocks: dict[str, list[list[str]]] = {}

    def replace_later(self, page_key: str, final_pieces: list[str], *, indexed_html: str = "") -> str:
        """What ``page_key``'s content holds in place of the HTML ``final_pieces`` join to until
        it is indexed: ``indexed_html`` (the part of it the search should read, if any) between markers."""
        self._blocks.setdefault(page_key, []).append(final_pieces)
        return f"{self._start}{indexed_html}{self._end}"

    def complete(self, page_key: str, output: str) -> str:
        """``output`` (a page's final HTML) with each marked placeholder replaced, in order; a
        placeholder the page lacks goes at its end.

        One join of slices and blocks: the references page is over 10 MB, and every
        intermediate copy of it counted in a build's peak memory. A page's blocks are dropped
        once used (each page is completed once per build).
        """
        pieces: list[str] = []
        position = 0
        for final_pieces in self._blocks.pop(page_key, []):
            start = output.find(self._start, position)
            end = -1 if start < 0 else output.find(self._end, start + len(self._start))
            pieces.append(output[position:] if start < 0 else output[position:start])
            pieces += final_pieces
            position = len(output) if end < 0 else end + len(self._end)
        pieces.append(output[position:])
        return "".join(pieces)
