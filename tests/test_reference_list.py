"""The reference list's markup and the way it reaches the built page.

Why these tests: the list's Copy APA button carries no text of its own; the script copies the
entry's visible reference instead, which is right only while that text is exactly the APA
plain text. And the list of a large site is joined once, from pieces, into the page's final
HTML (``AfterIndexing``): the pieces must join to what readers always got.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url
from mkdocs_knowledge_base.bibliography.apa import ApaStyle
from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.citations.after_indexing import AfterIndexing
from mkdocs_knowledge_base.pages.references import (
    EXPORT_FORMATS,
    NoteLink,
    export_stem,
    export_uri,
    exports_url,
    reference_list_pieces,
)
from pybtex.database import Entry, Person

from tests.conftest import REPO, pybtex_entries

SYNTHETIC = Path(__file__).resolve().parent / "data" / "exports" / "synthetic.bib"


class _ReferenceTexts(HTMLParser):
    """The text of each ``kb-reference-text`` paragraph (as a browser's ``textContent``) and the
    ``data-kb-copy`` of each Copy button, by entry."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, str] = {}
        self.copy_attributes: dict[str, str | None] = {}
        self._entry = ""
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "li" and attributes.get("class") == "kb-reference":
            self._entry = (attributes["id"] or "").removeprefix("ref-")
        elif tag == "p" and attributes.get("class") == "kb-reference-text":
            self._text = []
        elif tag == "button" and attributes.get("class") == "kb-copy":
            self.copy_attributes[self._entry] = attributes.get("data-kb-copy")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._text is not None:
            self.texts[self._entry] = "".join(self._text)
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _listed(entries: dict[str, BibEntry]) -> tuple[ApaStyle, _ReferenceTexts]:
    style = ApaStyle(entries)
    parser = _ReferenceTexts()
    parser.feed("".join(reference_list_pieces(list(entries), style, {}, "references/")))
    parser.close()
    return style, parser


@pytest.mark.parametrize("source", ["bundled", "synthetic"])
def test_the_text_a_copy_button_copies_is_the_plain_apa_reference(source: str) -> None:
    # 38 works of the paper, 250 synthetic ones of every type, with accents, &, <, DOIs and URLs.
    entries = (load_bibliography([REPO / "references" / "references.bib"]).entries if source == "bundled"
               else pybtex_entries(SYNTHETIC.read_text(encoding="utf-8")))
    style, listed = _listed(entries)
    assert len(listed.texts) == len(entries)
    assert {key: listed.texts[key] for key in entries} == {key: style.reference_text(key) for key in entries}
    assert set(listed.copy_attributes.values()) == {None}


def test_a_reference_holding_a_nul_keeps_its_text_on_the_button() -> None:
    # Browsers drop NUL from text but keep it (as U+FFFD) in attributes: such a button carries its text, as before.
    entry = BibEntry.from_pybtex(Entry("book", fields={"title": "Odd\0title", "year": "2000", "publisher": "P"},
                                       persons={"author": [Person("Smith, Ann")]}))
    style, listed = _listed({"odd": entry})
    assert "\0" in style.reference_text("odd")
    assert listed.copy_attributes["odd"] == style.reference_text("odd")


def test_the_list_pieces_join_to_one_list_of_entries_in_apa_order() -> None:
    entries = {key: BibEntry.from_pybtex(Entry("book", fields={"title": f"Work {key}", "year": "2000", "publisher": "P"},
                                               persons={"author": [Person(f"{name}, Ann")]}))
               for key, name in (("b", "Baker"), ("a", "Adams"))}
    style = ApaStyle(entries)
    pieces = reference_list_pieces(["b", "a"], style, {"a": [NoteLink(3, "x.md", "../x/#kb-noteref-3")]},
                                   "../references/")
    listing = "".join(pieces)
    assert listing.startswith('<p class="kb-downloads">Download the whole bibliography: ')
    assert '</p>\n<ul class="kb-references">\n<li id="ref-a" class="kb-reference">' in listing
    assert listing.index('id="ref-a"') < listing.index('id="ref-b"')
    assert listing.endswith("</li>\n</ul>") and listing.count("</li>\n") == 2
    assert 'Cited in note <a class="kb-cited-in-note" href="../x/#kb-noteref-3">3</a>' in listing
    assert "".join(reference_list_pieces([], style, {}, "", database_exported=False)) == (
        '<p class="kb-references-none">No work is cited in the text yet.</p>')


_SEGMENTS = st.lists(st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True), max_size=3)
PAGE_URLS = st.one_of(
    _SEGMENTS.map(lambda parts: "".join(f"{part}/" for part in parts)),  # use_directory_urls: true
    st.tuples(_SEGMENTS, st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True)).map(
        lambda parts: "".join(f"{part}/" for part in parts[0]) + f"{parts[1]}.html"),  # false
)
"""Addresses of a references page: MkDocs' page URLs, with directory URLs on and off."""


@given(page_url=PAGE_URLS, key=st.text(min_size=1, max_size=20))
def test_export_links_are_the_folder_url_plus_the_file_name(page_url: str, key: str) -> None:
    # The list builds 30,000 export links from one relative URL; each must be what MkDocs'
    # get_relative_url gives for that file.
    folder = exports_url(lambda site_path: get_relative_url(site_path, page_url))
    for extension, _ in EXPORT_FORMATS:
        uri = export_uri(export_stem(key), extension)
        assert folder + uri.removeprefix("references/") == get_relative_url(uri, page_url)


@pytest.mark.parametrize(
    ("template", "blocks", "expected"),
    [
        ("<main>{0}</main>", [["final"]], "<main>final</main>"),
        ("<main>{0}</main>", [["fi", "n", "al"]], "<main>final</main>"),
        ("<main>{0}</main><footer>{1}</footer>", [["list"], ["notes"]], "<main>list</main><footer>notes</footer>"),
        # Placeholders are put in where they belong, whatever order their blocks were made in.
        ("<main>{1}</main><footer>{0}</footer>", [["notes"], ["list"]], "<main>list</main><footer>notes</footer>"),
        ("<main>{0}</main>{1}", [["a"], ["b"]], "<main>a</main>b"),
        # A template that does not print the content: the block goes at the end, as before.
        ("<main></main>", [["notes"]], "<main></main>notes"),
        ("<main>text</main>", [], "<main>text</main>"),
    ],
)
def test_complete_puts_each_block_in_its_placeholder(template: str, blocks: list[list[str]], expected: str) -> None:
    after_indexing = AfterIndexing()
    placeholders = [after_indexing.replace_later("page.md", lambda block=block: block) for block in blocks]
    output = template.format(*placeholders) if placeholders else template
    assert after_indexing.complete("page.md", output) == expected


def test_for_indexing_puts_each_indexed_part_between_its_own_markers() -> None:
    after_indexing = AfterIndexing()
    listing = after_indexing.replace_later("page.md", lambda: ["<ul>full list</ul>"], make_indexed=lambda: "<p>bare</p>")
    notes = after_indexing.replace_later("page.md", lambda: ["<ol>notes</ol>"])
    content = f"<h1>References</h1>{listing}<p>after</p>{notes}"
    indexed = after_indexing.for_indexing("page.md", content)
    assert "<p>bare</p>" in indexed and indexed.index("<p>bare</p>") < indexed.index("<p>after</p>")
    assert after_indexing.for_indexing("other.md", content) is content
    # The theme renders the content without the indexed part; completion replaces both placeholders.
    assert after_indexing.complete("page.md", content) == "<h1>References</h1><ul>full list</ul><p>after</p><ol>notes</ol>"


def test_complete_drops_a_pages_blocks_once_used() -> None:
    after_indexing = AfterIndexing()
    placeholder = after_indexing.replace_later("page.md", lambda: ["final"])
    assert after_indexing.complete("page.md", placeholder) == "final"
    assert after_indexing.complete("page.md", placeholder) == placeholder
    assert after_indexing.complete("other.md", "untouched") == "untouched"
