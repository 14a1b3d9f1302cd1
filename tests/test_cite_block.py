""""Cite this page" made from a stand-in page is exactly the block made for the page itself.

``pages.cite._page_section`` fills the section of a stand-in page (made once per site) with
each page's key, title and address when they are plain; these tests compare it with the
section made from scratch, for every kind of plain value and for values that are not plain.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_knowledge_base.pages import cite
from mkdocs_knowledge_base.pages.cite import CitableWork

WORD = st.text(alphabet="abcXYZ019", min_size=1, max_size=8)
PLAIN_TITLES = st.builds(lambda words, separators: "".join(w + s for w, s in zip(words, separators)) + words[-1],
                         st.lists(WORD, min_size=2, max_size=6), st.lists(st.sampled_from([" ", ", ", ": ", "-", " (", ") ", "; "]), min_size=5, max_size=5))
KEYS = st.text(alphabet="abz09_-", min_size=1, max_size=20)
URLS = st.one_of(st.none(), st.builds(lambda path: f"https://kb.example.org/{path}", st.text(alphabet="abc01/._~-", max_size=30)))
AUTHORS = st.sampled_from(["Infant Mental Health Knowledge Base", "Agency & Partners", "Synthetic knowledge base"])
CONTAINERS = st.sampled_from(["What is infant mental health?", "Synthetic knowledge base", None])


@settings(max_examples=300, deadline=None)
@given(KEYS, PLAIN_TITLES, URLS, AUTHORS, st.one_of(st.none(), st.integers(1990, 2030)), CONTAINERS)
def test_a_plain_page_gets_the_section_made_for_it(key: str, title: str, url: str | None, author: str,
                                                    year: int | None, container: str | None) -> None:
    page = CitableWork(key, author, year, title, container, url)
    assert cite._PLAIN_TITLE.fullmatch(title)
    assert cite._page_section("This page", page) == cite._work_section.__wrapped__("This page", page)


@settings(max_examples=200, deadline=None)
@given(KEYS, st.text(max_size=40), URLS)
def test_any_page_gets_the_section_made_for_it(key: str, title: str, url: str | None) -> None:
    page = CitableWork(key, "Agency", 2026, title or "Untitled", "Document", url)
    assert cite._page_section("This page", page) == cite._work_section.__wrapped__("This page", page)


def test_titles_that_are_not_plain_take_the_long_way() -> None:
    for title in ["Why?", "R&D", "Ainsworth's \"strange situation\"", "50% of {braces}", "Chapter 1."]:
        assert not cite._PLAIN_TITLE.fullmatch(title), title


def test_titles_with_latex_characters_are_cited_as_written() -> None:
    """A page title is plain text: a ``%`` once commented out the rest of the BibTeX title, and an
    unbalanced brace stopped the whole build."""
    for title, shown in [("50% of families", "50% of families"), (r"a \ b ~ c", r"a \ b ~ c"),
                         ("Using {braces", "Using (braces"), ("Costs $5 and x^2", "Costs $5 and x^2")]:
        section = cite._page_section("This page", CitableWork("page", "Agency", 2026, title, "Document", None))
        assert f"<em>{shown}</em>" in section, title
        assert f"TI  - {shown}" in section, title
