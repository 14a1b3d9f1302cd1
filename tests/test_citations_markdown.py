"""The citation extension inside Python-Markdown, with a tiny in-memory bibliography.

Checks the HTML contracts (marker, notes), every syntax form, and every place where an
``@`` or a bracket must stay what the author wrote.
"""

from __future__ import annotations

import re
import textwrap

import markdown
import pytest

from mkdocs_knowledge_base.bibliography.database import Bibliography, load_bibliography
from mkdocs_knowledge_base.citations.engine import CitationEngine
from mkdocs_knowledge_base.citations.registry import PLACEHOLDER_RE

BIB = """\
@book{siegel1999,
  author = {Siegel, Daniel},
  title = {The developing mind: Toward a neurobiology of interpersonal experience},
  publisher = {Guilford Press},
  year = {1999},
}

@article{schore2001,
  author = {Schore, Allan},
  title = {Effects of a secure attachment relationship on right brain development},
  journal = {Infant Mental Health Journal},
  volume = {22},
  number = {1-2},
  pages = {7--66},
  year = {2001},
}
"""


@pytest.fixture(scope="module")
def bibliography(tmp_path_factory: pytest.TempPathFactory) -> Bibliography:
    path = tmp_path_factory.mktemp("bib") / "tiny.bib"
    path.write_text(BIB, encoding="utf-8")
    loaded = load_bibliography([path])
    assert loaded.problems == []
    return loaded


def convert(bibliography: Bibliography, text: str, *, warn_uncited: bool = False) -> tuple[str, CitationEngine]:
    """Convert one page like MkDocs would, then finalize it; returns (final HTML, engine)."""
    source = textwrap.dedent(text)
    engine = CitationEngine(bibliography, numbering="site", list_uncited=False, warn_uncited=warn_uncited)
    engine.begin_page("page.md", source)
    md = markdown.Markdown(extensions=[engine.markdown_extension(), "footnotes", "fenced_code", "attr_list"])
    converted = md.convert(source)
    finalization = engine.finalize({"page.md": "page/"}, ["page.md"], None, lambda target, here: target)
    numbered = finalization.page("page.md", converted)
    return f"{numbered.html}\n{finalization.notes('page.md')}", engine


def markers(html: str) -> list[str]:
    return re.findall(r'<sup class="kb-note-ref" id="kb-noteref-(\d+)"><a aria-label="Note \1" href="#kb-note-\1">\1</a></sup>', html)


def note_items(html: str) -> dict[str, str]:
    return dict(re.findall(r'<li id="kb-note-(\d+)" class="kb-note" value="\1">(.*?)</li>', html, re.DOTALL))


def test_each_bracket_is_one_note_in_order(bibliography: Bibliography) -> None:
    html, _ = convert(bibliography, "One [@siegel1999]. Two [@schore2001; @siegel1999]. Three [@siegel1999].\n")
    assert markers(html) == ["1", "2", "3"]
    notes = note_items(html)
    assert list(notes) == ["1", "2", "3"]
    assert "The developing mind" in notes["1"] and "Schore" not in notes["1"]
    assert notes["2"].index("Schore") < notes["2"].index("Siegel") and "; " in notes["2"]
    assert "The developing mind" in notes["3"]  # same work cited twice stays two notes


def test_notes_section_contract(bibliography: Bibliography) -> None:
    html, _ = convert(bibliography, "Text [@siegel1999].\n")
    assert '<section class="kb-notes" aria-labelledby="kb-notes-title" data-search-exclude><h2 id="kb-notes-title">Notes</h2>' in html
    note = note_items(html)["1"]
    assert 'href="#kb-noteref-1" aria-label="Back to note 1 in the text">↩</a>' in note
    assert 'href="#ref-siegel1999"' in note
    assert html.index("<p>Text") < html.index('<section class="kb-notes"')


@pytest.mark.parametrize(
    ("text", "expected_in_note"),
    [
        ("[@siegel1999, p. 33]", "Guilford Press, p. 33."),
        ("[@siegel1999, pp. 221-222]", "Guilford Press, pp. 221–222."),
        ("[see @siegel1999, ch. 2]", "See <span"),
        ("[see @siegel1999, ch. 2]", "Guilford Press, ch. 2."),
        ("[@schore2001, p. 9, for a review]", "7–66, p. 9, for a review."),
    ],
)
def test_locators_and_prefixes_in_notes(bibliography: Bibliography, text: str, expected_in_note: str) -> None:
    html, _ = convert(bibliography, f"Claim {text}.\n")
    assert expected_in_note in note_items(html)["1"]


@pytest.mark.parametrize(
    "text",
    [
        "Code `[@siegel1999]` span.\n",
        "Fenced:\n\n```\n[@siegel1999]\n@decorator\n```\n",
        "Indented:\n\n    [@siegel1999]\n",
        "Write to jo@example.org or [jo@example.org].\n",
        "```python\n@decorator\ndef f(): ...\n```\n",
        "Fenced unknown:\n\n```\n[@unknown]\n```\n",
        "Escaped \\[@siegel1999] bracket.\n",
        "A link [@siegel1999](https://example.org).\n",
    ],
)
def test_never_a_citation(bibliography: Bibliography, text: str) -> None:
    html, engine = convert(bibliography, text)
    assert markers(html) == []
    assert 'class="kb-notes"' not in html
    assert engine.problems() == []


def test_author_footnotes_coexist(bibliography: Bibliography) -> None:
    html, _ = convert(
        bibliography,
        """\
        A claim[^aside] with a source [@siegel1999].

        [^aside]: The author's own aside.
        """,
    )
    assert '<sup id="fnref:aside"><a class="footnote-ref" href="#fn:aside">1</a></sup>' in html
    assert '<li id="fn:aside">' in html
    assert markers(html) == ["1"]
    assert list(note_items(html)) == ["1"]


def test_unknown_key_is_reported_with_its_line(bibliography: Bibliography) -> None:
    html, engine = convert(bibliography, "Title\n\nFine [@siegel1999].\n\nBroken [@nobody2020, p. 3].\n")
    [problem] = engine.problems()
    assert (problem.path, problem.line) == ("page.md", 5)
    assert "nobody2020" in problem.message
    assert "Unknown reference" in note_items(html)["2"]


def test_uncited_entries_are_reported_when_asked(bibliography: Bibliography) -> None:
    _, engine = convert(bibliography, "Only [@siegel1999].\n", warn_uncited=True)
    [problem] = engine.problems()
    assert "schore2001" in problem.message and problem.path.endswith("tiny.bib") and problem.line == 8


def test_no_placeholder_survives_finalizing(bibliography: Bibliography) -> None:
    html, _ = convert(bibliography, "# Heading [@siegel1999]\n\nText [@schore2001].\n")
    assert PLACEHOLDER_RE.search(html) is None
    assert markers(html) == ["1", "2"]


def test_notes_follow_document_order_not_inline_pass_order(bibliography: Bibliography) -> None:
    # Python-Markdown's inline pass handles the paragraph after a list before the list items.
    html, engine = convert(
        bibliography,
        """\
        Intro [@siegel1999].

        - item [@schore2001]
        - item [@siegel1999, p. 2]

        After the list [@schore2001, p. 9].
        """,
    )
    assert markers(html) == ["1", "2", "3", "4"]
    notes = note_items(html)
    assert "Schore" in notes["2"] and "p. 2." in notes["3"] and "p. 9." in notes["4"]
    assert [c.keys for c in engine.registry.pages["page.md"].citations] == [
        ("siegel1999",), ("schore2001",), ("siegel1999",), ("schore2001",)
    ]


def test_each_repeated_unknown_citation_is_reported_on_its_own_line(bibliography: Bibliography) -> None:
    _, engine = convert(bibliography, """\
        # Page

        First [@nobody2020] here.

        Known [@siegel1999] between.

        Again [@nobody2020] there.
        """)
    messages = [(problem.line, problem.message.split(";")[0]) for problem in engine.problems()]
    assert messages == [
        (3, "citation '[@nobody2020]': unknown key 'nobody2020'"),
        (7, "citation '[@nobody2020]': unknown key 'nobody2020'"),
    ]
