"""The light views the search indexer reads give Material's search the very index of the full HTML.

Why: the glossary, the reference list and every note marker reach the indexer lightened
(``pages.glossary.searchable_glossary``, ``pages.references.searchable_reference_list``,
``citations.markdown_extension.markers_for_search``), to spare it tags it reads only to drop.
The proof is Material's own parser on both: the same sections, titles, ids and texts.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from material.plugins.search.plugin import Parser

from benchmarks.corpus import synthetic_bibliography
from mkdocs_knowledge_base.bibliography.apa import ApaStyle
from mkdocs_knowledge_base.bibliography.database import load_bibliography
from mkdocs_knowledge_base.citations.engine import CitationEngine
from mkdocs_knowledge_base.citations.markdown_extension import markers_for_search
from mkdocs_knowledge_base.citations.registry import renumber
from mkdocs_knowledge_base.lexicon.loader import load_lexicon
from mkdocs_knowledge_base.pages import glossary
from mkdocs_knowledge_base.pages.references import searchable_reference_list
from tests.conftest import REPO
from tests.hostile import HOSTILE_BIB
from tests.test_hostile_input import hostile_lexicon


def index_of(html: str) -> list[tuple[str, str, str | None]]:
    """What Material's search makes of ``html``: (title, text, id) of each section."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(section.title).strip(), "".join(section.text).strip(), section.id) for section in parser.data]


@pytest.mark.parametrize("lexicon", [load_lexicon(REPO / "lexicon" / "terms.yml")[0], hostile_lexicon()],
                         ids=["bundled", "hostile"])
def test_searchable_glossary_indexes_as_the_glossary(lexicon) -> None:
    full = glossary.glossary_html(lexicon, term_url=lambda term: f"../terms/{term.id}/",
                                  downloads=[("CSV", "../lexicon.csv"), ("JSON", "../lexicon.json")])
    page = f'<h1 id="glossary">Glossary</h1>\n{full}'
    light = f'<h1 id="glossary">Glossary</h1>\n{glossary.searchable_glossary(full)}'
    assert len(light) < len(full)
    assert index_of(light) == index_of(page)


def _style_of(path: Path) -> tuple[list[str], ApaStyle]:
    bibliography = load_bibliography([path])
    return list(bibliography.entries), ApaStyle(bibliography.entries)


@pytest.mark.parametrize("source", ["bundled", "hostile", "synthetic"])
def test_searchable_reference_list_indexes_as_the_references(source: str, tmp_path: Path) -> None:
    if source == "bundled":
        path = REPO / "references" / "references.bib"
    else:
        path = tmp_path / "refs.bib"
        path.write_text(HOSTILE_BIB if source == "hostile" else synthetic_bibliography(2000, seed=7)[1], encoding="utf-8")
    keys, style = _style_of(path)
    as_html = "".join(f"<p>{style.reference_html(key)}</p>" for key in sorted(keys, key=style.sort_key))
    assert index_of("<h1>References</h1>" + searchable_reference_list(keys, style)) == index_of("<h1>References</h1>" + as_html)


def test_note_markers_index_as_themselves() -> None:
    bibliography = load_bibliography([REPO / "references" / "references.bib"])
    engine = CitationEngine(bibliography, numbering="site", list_uncited=False, warn_uncited=False)
    source = "# Title\n\nOne [@siegel1999].\n\n## A [@schore2001, p. 4]\n\n- item [@siegel1999; @schore2001]\n"
    engine.begin_page("page.md", source)
    html = renumber(markdown.markdown(source, extensions=[engine.markdown_extension(), "toc"]), 0)  # as after on_env
    lightened = markers_for_search(html)
    assert lightened.count("<sup>") == 3 and "kb-note-ref" not in lightened
    assert index_of(lightened) == index_of(html)
