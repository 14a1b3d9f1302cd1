"""Edge cases of whole sites: they must build, write every page and say something sensible.

A huge page, terms nested in other terms or full of punctuation, a bibliography of ten
thousand works, and the empty cases an agency starts from (no terms yet, no references yet,
nothing cited yet, no lexicon or no bibliography configured at all).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

import pytest

from tests.conftest import BOWLBY_BIB
from tests.test_citations_build import parse
from tests.test_lexicon_build import article_text

MakeSite = Callable[..., Path]

LEXICON = """\
    terms:
      - term: attachment
        definition: The bond.
      - term: caregiver
        definition: Who cares.
      - term: IMH
        definition: Infant mental health.
    """
TERM_IDS = ("attachment", "caregiver", "imh")


class _TermLinks(HTMLParser):
    """(term id, link text) of each term link in a page's text; the key-terms block's links have no id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and "kb-term" in (attributes.get("class") or "").split() and attributes.get("id"):
            self._open = (attributes["data-kb-term"] or "", [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.links.append((self._open[0], "".join(self._open[1])))
            self._open = None


def term_links(page: Path) -> list[tuple[str, str]]:
    parser = _TermLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


# --- size -------------------------------------------------------------------------------------

def big_page(size: int) -> tuple[str, int]:
    """About ``size`` characters: half sections of paragraphs, each with terms, code, a link and a
    note; half one long paragraph (pasted text without blank lines). Returns (page, notes on it)."""
    paragraph = ("A caregiver who offers attachment, in the words of IMH practice, is quoted here"
                 "[@bowlby1969, p. 12]. Then `attachment` in code and a [link](https://example.org).\n\n")
    per_section = 40
    sections = [f"## Section {number}\n\n" + paragraph * per_section
                for number in range(size // 2 // (per_section * len(paragraph)))]
    sentence = "An attachment sentence with a caregiver in it. "
    return "# Big\n\n" + "".join(sections) + sentence * (size // 2 // len(sentence)) + "\n", per_section * len(sections)


def test_a_5_mb_page_with_terms_and_citations_builds(make_site: MakeSite) -> None:
    # About 35 s here, most of it in Material's search indexer. The long paragraph used to make
    # "Used in" snippets quadratic: a 400 KB paragraph alone took 28 s.
    source, notes = big_page(5_000_000)
    assert len(source.encode()) > 4_900_000
    site = make_site(pages={"index.md": source}, bib=BOWLBY_BIB, lexicon=LEXICON)
    page = parse(site / "index.html")
    assert len(page.markers) == notes and sorted(page.notes) == list(range(1, notes + 1))
    assert all((site / "terms" / term_id / "index.html").is_file() for term_id in TERM_IDS)


def test_a_bibliography_of_10000_works(make_site: MakeSite) -> None:
    works = 10_000
    bib = "".join(f"@book{{work{number:05d},\n  author = {{Author{number % 997}, Ann}},\n"
                  f"  title = {{Work number {number}}},\n  year = {{{1900 + number % 120}}},\n"
                  "  publisher = {Press},\n}\n" for number in range(works))
    site = make_site(pages={"index.md": "# Home\n\nAs shown[@work00000; @work05000], twice[@work09999].\n"},
                     bib=bib, options={"list_uncited": True, "warn_uncited": False})
    references = (site / "references" / "index.html").read_text(encoding="utf-8")
    assert references.count('class="kb-reference"') == works
    assert (site / "references" / "references.bib").read_text(encoding="utf-8").count("@book{") == works
    assert all((site / "references" / f"work09999.{extension}").is_file() for extension in ("bib", "ris", "json"))
    assert sorted(parse(site / "index.html").notes) == [1, 2]


# --- terms ------------------------------------------------------------------------------------

def test_a_term_that_is_a_prefix_of_another(make_site: MakeSite) -> None:
    site = make_site(pages={"index.md": "# Home\n\nAttachment theory explains attachment.\n"}, lexicon="""\
        terms:
          - term: attachment
            definition: The bond.
          - term: attachment theory
            definition: Bowlby's theory of the bond.
        """)
    assert term_links(site / "index.html") == [("attachment-theory", "Attachment theory"), ("attachment", "attachment")]
    for term_id in ("attachment", "attachment-theory"):  # both pages, each listing its own use
        assert "Attachment theory explains attachment." in article_text(site / "terms" / term_id / "index.html")


PUNCTUATED_TERMS = {"dc-0-3": "DC:0–3", "c": "C++", "dr-who": "Dr. Who", "parenthesised": "(parenthesised)",
                    "a-b": "a/b"}


def test_terms_with_punctuation(make_site: MakeSite) -> None:
    lexicon = "terms:\n" + "".join(f"  - term: {json.dumps(name, ensure_ascii=False)}\n    definition: Defined.\n"
                                   for name in PUNCTUATED_TERMS.values())
    site = make_site(pages={"index.md": "# Home\n\nThe DC:0-3 manual, C++ code, Dr. Who, (parenthesised) words "
                                        "and a/b tests.\n"}, lexicon=lexicon)
    assert term_links(site / "index.html") == [
        ("dc-0-3", "DC:0-3"), ("c", "C++"), ("dr-who", "Dr. Who"), ("parenthesised", "(parenthesised)"), ("a-b", "a/b")]
    glossary = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    for term_id, name in PUNCTUATED_TERMS.items():
        assert article_text(site / "terms" / term_id / "index.html").startswith(name[:1].upper() + name[1:])
        assert f'id="glossary-{term_id}"' in glossary


# --- empty and missing data -------------------------------------------------------------------

@pytest.mark.parametrize("lexicon", ["terms: []\n", ""], ids=["no-terms", "empty-file"])
def test_an_empty_lexicon(make_site: MakeSite, lexicon: str) -> None:
    site = make_site(pages={"index.md": "# Home\n\nAttachment without a lexicon entry.\n"}, lexicon=lexicon)
    assert term_links(site / "index.html") == []
    assert "0 terms" in article_text(site / "glossary" / "index.html")
    assert json.loads((site / "lexicon.json").read_text(encoding="utf-8")) == {"terms": []}
    assert (site / "lexicon.csv").read_text(encoding="utf-8") == "term,id,aliases,definition,related,references,url\n"


def test_an_empty_bibliography_and_a_page_without_citations(make_site: MakeSite) -> None:
    site = make_site(pages={"index.md": "# Home\n\nNothing cited.\n"}, bib="")
    assert parse(site / "index.html").notes == {}
    assert not (site / "references").exists()  # no list of nothing, no exports of nothing


def test_an_authors_references_page_with_an_empty_bibliography(make_site: MakeSite) -> None:
    site = make_site(pages={"index.md": "# Home\n\nNothing cited.\n", "references.md": "# Sources\n\nOur sources.\n"},
                     bib="")
    text = article_text(site / "references" / "index.html")
    assert "Our sources." in text and "No work is cited in the text yet." in text
    downloads = [link for link in parse(site / "references" / "index.html").links if link.get("download")]
    assert downloads == []  # there is no database to download


def test_a_references_page_when_nothing_is_cited(make_site: MakeSite) -> None:
    site = make_site(pages={"index.md": "# Home\n\nNothing cited.\n"}, bib=BOWLBY_BIB, options={"warn_uncited": False})
    text = article_text(site / "references" / "index.html")
    assert "No work is cited in the text yet." in text
    assert (site / "references" / "references.bib").is_file()  # the database is still offered


def test_no_lexicon_configured(make_site: MakeSite) -> None:
    site = make_site(pages={"index.md": "# Home\n\nAttachment, cited[@bowlby1969].\n"}, bib=BOWLBY_BIB)
    assert sorted(parse(site / "index.html").notes) == [1]
    assert not (site / "glossary").exists() and not (site / "terms").exists()


def test_no_bibliography_configured(make_site: MakeSite) -> None:
    site = make_site(pages={"index.md": "# Home\n\nAttachment matters.\n"}, lexicon=LEXICON,
                     options={"warn_unused_terms": False})
    assert term_links(site / "index.html") == [("attachment", "Attachment")]
    assert not (site / "references").exists()
