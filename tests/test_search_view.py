"""What the search indexer reads: term markup reduced to its words, the key-terms aside left out.

The light content must give Material's search exactly the index of the page without term
linking (``search_view``'s docstring says why and which markup it relies on), and the theme
must still render the full content.
"""

from __future__ import annotations

import json
import logging
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
from mkdocs_knowledge_base.lexicon.loader import parse_lexicon
from mkdocs_knowledge_base.lexicon.markdown_extension import LexiconExtension
from mkdocs_knowledge_base.lexicon.mkdocs_search_view import SearchView
from mkdocs_knowledge_base.lexicon.search_view import content_for_search
from mkdocs_knowledge_base.lexicon.usage import LinkingSession, LinkPolicy

from tests.conftest import BOWLBY_BIB
from tests.test_lexicon_build import LEXICON, NAV, PAGES, read_page

LINK = '<a class="kb-term" data-kb-term="{id}" href="../terms/{id}/" id="kb-use-{id}-1">{text}</a>'
ASIDE = ('<aside aria-label="Key terms on this page" class="kb-key-terms" data-search-exclude="">'
         '<p class="kb-key-terms-title">Key terms on this page</p><ul><li>'
         '<a class="kb-term" data-kb-term="r-d" href="../terms/r-d/">R&amp;D</a></li></ul></aside>')


@pytest.mark.parametrize(("content", "indexed"), [
    ("<p>A " + LINK.format(id="caregiver", text="caregiver") + " cares.</p>", "<p>A caregiver cares.</p>"),
    ("<p>" + LINK.format(id="caregiver", text="caregiver") + ',\n<span class="kb-term-mention" '
     'id="kb-use-caregiver-2">Caregivers</span> again.</p>', "<p>caregiver,\nCaregivers again.</p>"),
    ("<p>" + LINK.format(id="r-d", text="R&amp;D") + " &amp; more</p>", "<p>R&amp;D &amp; more</p>"),
    ("<p>" + LINK.format(id="o-brien", text="O’Brien’s \"scale\"") + "</p>", "<p>O’Brien’s \"scale\"</p>"),
    ("<p>" + LINK.format(id="fruhforderung", text="Frühförderung") + "</p>", "<p>Frühförderung</p>"),
    ("<p>x</p>\n" + ASIDE, "<p>x</p>"),
    ("<p>x</p>\n" + ASIDE + "<!--notes-->", "<p>x</p><!--notes-->"),
    # forced links may hold markup or more attributes: left as they are (correct, only slower to index)
    ('<p><a class="kb-term" data-kb-term="a" href="t/a/" id="kb-use-a-1"><em>bond</em></a></p>',
     '<p><a class="kb-term" data-kb-term="a" href="t/a/" id="kb-use-a-1"><em>bond</em></a></p>'),
    ('<p><a class="kb-term" data-kb-term="a" href="t/a/" id="kb-use-a-1" title="x">bond</a></p>',
     '<p><a class="kb-term" data-kb-term="a" href="t/a/" id="kb-use-a-1" title="x">bond</a></p>'),
    # markup that is not the linker's (no occurrence id, other class) stays
    ('<p><a class="kb-term" data-kb-term="a" href="t/a/">bond</a> <span class="kb-term-missing">x</span></p>',
     '<p><a class="kb-term" data-kb-term="a" href="t/a/">bond</a> <span class="kb-term-missing">x</span></p>'),
    ('<p><a class="kb-terms" data-kb-term="a" href="t/a/" id="kb-use-a-1">bond</a></p>',
     '<p><a class="kb-terms" data-kb-term="a" href="t/a/" id="kb-use-a-1">bond</a></p>'),
])
def test_content_for_search_keeps_the_words_of_term_markup(content: str, indexed: str) -> None:
    assert content_for_search(content) == indexed


def test_content_without_term_links_is_returned_as_it_is() -> None:
    content = "<p>No terms here.</p>" * 1000
    assert content_for_search(content) is content


LEXICON_WITH_SIGNS = """\
terms:
  - term: R&D
    id: r-d
    definition: Research.
  - term: caregiver
    definition: Who cares.
  - term: Frühförderung
    definition: Early support.
  - term: mutual regulation
    aliases: [co-regulation]
    definition: The dance.
"""
SOURCES = [
    "A caregiver and a Caregiver; caregivers.\n\n## Next\n\nThe caregiver again, R&D and r&d.",
    "Frühförderung, *co-regulation* and **mutual regulation**.\n\n- a caregiver\n- R&D <b>caregiver</b>",
    "Quotes: \"caregiver\" and 'co-regulation' — Frühförderung’s caregiver.\n\n> caregiver in a quote",
    "| caregiver | R&D |\n|---|---|\n| co-regulation | x |",
    "No term at all.",
]


@pytest.mark.parametrize("policy", ["section", "page", "every"])
@pytest.mark.parametrize("source", SOURCES)
def test_the_linker_output_for_search_is_the_page_converted_without_linking(source: str, policy: LinkPolicy) -> None:
    """Every element the linker makes has the shape the pattern knows: nothing of it is left."""
    lexicon, problems = parse_lexicon(LEXICON_WITH_SIGNS, "terms.yml")
    assert problems == []
    session = LinkingSession(lexicon, policy=policy)
    session.begin_page("chapter.md", is_document=True, source=source,
                       term_url=lambda term_id: f"../terms/{term_id}/?a=1&b=\"2\"")
    extensions = ["toc", "attr_list", "md_in_html", "tables", "smarty"]
    linked = markdown.markdown(source, extensions=[*extensions, LexiconExtension(session)])
    assert ("kb-term" in linked) == (source != "No term at all.")
    assert content_for_search(linked) == markdown.markdown(source, extensions=extensions)


def _page(content: str) -> Any:
    """What ``SearchView`` reads and writes of a MkDocs page."""
    return SimpleNamespace(content=content, file=SimpleNamespace(src_uri="chapter.md"))


def test_search_view_swaps_the_content_and_back() -> None:
    full = "<p>" + LINK.format(id="caregiver", text="caregiver") + "</p>"
    page, view = _page(full), SearchView()
    view.lighten(page, content_for_search(page.content))
    assert page.content == "<p>caregiver</p>"
    view.restore(page)
    assert page.content is full


def test_search_view_leaves_pages_the_search_would_edit() -> None:
    """Material strips ``data-search-*="…"`` attributes after indexing: the light content would
    not be recognised for the swap back, so such a page is indexed in full."""
    full = '<p data-search-exclude="data-search-exclude">' + LINK.format(id="a", text="a") + "</p>"
    page, view = _page(full), SearchView()
    view.lighten(page, content_for_search(page.content))
    assert page.content is full


def test_search_view_keeps_a_content_another_plugin_put_meanwhile(caplog: pytest.LogCaptureFixture) -> None:
    page, view = _page("<p>" + LINK.format(id="a", text="a") + "</p>"), SearchView()
    view.lighten(page, content_for_search(page.content))
    page.content = "<p>replaced</p>"
    with caplog.at_level(logging.INFO):
        view.restore(page)
    assert page.content == "<p>replaced</p>"
    assert "chapter.md: another plugin replaced the content" in caplog.text


def _index_of(site: Path, page_url: str) -> list[dict[str, str]]:
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    return [doc for doc in docs if doc["location"].split("#")[0] == page_url]


def test_search_index_of_a_page_is_the_same_with_and_without_term_links(make_site: Callable[..., Path]) -> None:
    pages = {**PAGES, "more.md": textwrap.dedent("""\
        # More

        A caregiver — “co-regulation” &amp; mutual regulation; <em>attachment</em> &lt;again&gt;.

        ## Excluded { data-search-exclude }

        The caregiver here is not searchable.

        ## Lists

        - attachment
          and caregiver
        - co-regulation\tand   mutual regulation
        """)}
    nav = {"nav": [*NAV["nav"], {"More": "more.md"}]}
    with_terms = make_site(pages=pages, bib=BOWLBY_BIB, lexicon=LEXICON, config=nav)
    indexed = {url: _index_of(with_terms, url) for url in ("", "chapter/", "more/")}
    chapter = read_page(with_terms, "chapter/")
    assert len(chapter.having("a", "kb-term")) == 8 and chapter.having("aside", "kb-key-terms"), "full content rendered"
    more = read_page(with_terms, "more/")
    assert more.having("a", "kb-term") and more.having("aside", "kb-key-terms"), "full content rendered"
    without_terms = make_site(pages=pages, bib=BOWLBY_BIB, config=nav)
    assert indexed == {url: _index_of(without_terms, url) for url in indexed}
    assert [doc["location"] for doc in indexed["more/"]] == ["more/", "more/#lists"]
