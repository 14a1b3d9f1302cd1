"""What a page shows but the search index must not read: put into the page's final HTML afterwards.

Why: a page's notes and its "Cite this page" block are left out of the site search (a note
repeats a work the reference list holds; the citation block is the same on every page), and
so are each reference's "Cited in" links and download buttons, which say nothing about the
work. A search indexer still has to read every tag of what it skips, and on citation-dense
pages and a long reference list that markup was the largest cost of a large build. So the
content the theme and the indexer see holds placeholders — nothing at the end of a page, the
bare references in place of the full list — and the final HTML gets the real blocks.

Why blocks are *made* only then (each a function called when its page is completed): the
notes of a large site (20,000 full references) and its reference list are tens of MB of HTML;
made all at once after conversion, they were held until the last page was written. The
indexed part of a placeholder is likewise put in only for the indexer (``for_indexing``).

The markers carry a token drawn for each build, so no text an author writes can match them;
they never reach a built file.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

MakePieces = Callable[[], Iterable[str]]
"""Makes a block's final HTML, in pieces that are joined once into the page."""
ReplaceLater = Callable[..., str]
"""``AfterIndexing.replace_later``, for those who only put placeholders in."""


@dataclass(frozen=True)
class _Block:
    start: str
    end: str
    """The markers around this block's placeholder (each block has its own)."""
    make_pieces: MakePieces
    make_indexed: Callable[[], str] | None


class AfterIndexing:
    """The blocks of one build that replace their placeholders in each page's final HTML."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(8)
        self._blocks: dict[str, list[_Block]] = {}

    def replace_later(self, page_key: str, make_pieces: MakePieces, *,
                      make_indexed: Callable[[], str] | None = None) -> str:
        """What ``page_key``'s content holds in place of the HTML ``make_pieces()`` gives when the
        page is completed; ``make_indexed()`` gives the part of it the search should read, if any."""
        blocks = self._blocks.setdefault(page_key, [])
        number = len(blocks)
        block = _Block(f"<!--kb-after-indexing {self._token} {number}-->", f"<!--/kb-after-indexing {self._token} {number}-->",
                       make_pieces, make_indexed)
        blocks.append(block)
        return block.start + block.end

    def for_indexing(self, page_key: str, content: str) -> str:
        """``content`` with the indexed part of each of its placeholders between their markers;
        ``content`` itself (the same object) when no block of the page has one."""
        for block in self._blocks.get(page_key, []):
            if block.make_indexed is not None:
                content = content.replace(block.start + block.end, block.start + block.make_indexed() + block.end, 1)
        return content

    def complete(self, page_key: str, output: str) -> str:
        """``output`` (a page's final HTML) with each marked placeholder replaced; a placeholder
        the page lacks goes at its end.

        One join of slices and blocks: the references page is over 10 MB, and every
        intermediate copy of it counted in a build's peak memory. A page's blocks are dropped
        once used (each page is completed once per build).
        """
        placed: list[tuple[int, int, _Block]] = []
        for block in self._blocks.pop(page_key, []):
            start = output.find(block.start)
            end = -1 if start < 0 else output.find(block.end, start + len(block.start))
            placed.append((len(output), len(output), block) if start < 0 or end < 0
                          else (start, end + len(block.end), block))
        pieces: list[str] = []
        position = 0
        for start, end, block in sorted(placed, key=lambda place: place[0]):
            pieces.append(output[position:start])
            pieces += block.make_pieces()
            position = end
        pieces.append(output[position:])
        return "".join(pieces)
