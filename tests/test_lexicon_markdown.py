"""The term-linking Markdown extension: restraint, never-linked places, author controls, records."""

from __future__ import annotations

import html
import re
import textwrap
import xml.etree.ElementTree as etree

import markdown
import pytest

from mkdocs_knowledge_base.lexicon.loader import parse_lexicon
from mkdocs_knowledge_base.lexicon.markdown_extension import LexiconExtension, TermLinker, snippet_around
from mkdocs_knowledge_base.lexicon.usage import LinkingSession, LinkPolicy

LEXICON = """\
terms:
  - term: attachment
    definition: The bond.
  - term: secure attachment
    definition: A secure bond.
  - term: mutual regulation
    aliases: [co-regulation]
    definition: The dance.
  - term: IMH
    definition: Infant mental health.
  - term: caregiver
    definition: Who cares.
"""
EXTENSIONS = ["toc", "attr_list", "md_in_html", "abbr", "footnotes", "fenced_code", "smarty"]


def make_session(policy: LinkPolicy = "section") -> LinkingSession:
    lexicon, problems = parse_lexicon(LEXICON, "terms.yml")
    assert problems == []
    return LinkingSession(lexicon, policy=policy)


def convert(source: str, *, policy: LinkPolicy = "section", page: str = "page.md", is_document: bool = True,
            session: LinkingSession | None = None) -> tuple[etree.Element, LinkingSession]:
    session = session or make_session(policy)
    session.begin_page(page, is_document=is_document, source=textwrap.dedent(source))
    return parse(markdown.markdown(textwrap.dedent(source), extensions=[*EXTENSIONS, LexiconExtension(session)])), session


def parse(html_text: str) -> etree.Element:
    """The HTML fragment as a tree (named entities such as smarty's ``&rsquo;`` decoded first)."""
    decoded = re.sub(r"&(?!amp;|lt;|gt;|quot;)\w+;", lambda entity: html.unescape(entity.group(0)), html_text)
    return etree.fromstring(f"<root>{decoded}</root>")


def linked(root: etree.Element) -> list[str]:
    """Texts of the term links in the page body (the key-terms block left out)."""
    aside = root.find(".//aside")
    in_aside = set(aside.iter()) if aside is not None else set()
    return [link.text or "" for link in root.iter("a") if link.get("class") == "kb-term" and link not in in_aside]


def visible_text(root: etree.Element) -> str:
    """Text of the page without the key-terms block (the one thing the linker adds)."""
    for parent in root.iter():
        for aside in parent.findall("aside"):
            parent.remove(aside)
    return "".join(root.itertext()).strip()


@pytest.mark.parametrize("source", [
    "# attachment\n\n## IMH heading\n",
    "Some `attachment` code.",
    "```\nattachment in a block\n```",
    "Text.\n\n    attachment in an indented block",
    "[attachment](https://example.org) and [a caregiver link](other.md)",
    "![attachment](pic.png)",
    "IMH is here.\n\n*[IMH]: Infant mental health",
    "Text.[^1]\n\n[^1]: attachment in a footnote",
    "<div markdown>\n<section class=\"kb-notes\" markdown>\nattachment in notes\n</section>\n</div>",
    "<span class=\"no-term\">attachment and *caregiver*</span> suppressed inline",
    "attachment in a paragraph marked no-term\n{: .no-term }",
    "<div class=\"no-term\" markdown>\nattachment in a block marked no-term\n</div>",
    "<p>attachment in raw HTML</p>",
    "Raw <a href=\"x.md\">attachment <span>and</span> caregiver</a> link",
    "Raw <code>attachment</code>, <kbd>IMH</kbd> and <abbr title=\"x\">caregiver</abbr> inline",
    "Raw <b title=\"attachment\">bold</b> attribute",
])
def test_never_linked(source: str) -> None:
    root, session = convert(source)
    assert linked(root) == []
    assert not root.findall(".//span[@class='kb-term-mention']")


def test_note_markers_and_notes_are_never_linked() -> None:
    session = make_session()
    session.begin_page("page.md", is_document=True)
    root = etree.fromstring('<div><p>x<sup class="kb-note-ref"><a href="#kb-note-1">attachment</a></sup>'
                            '<span class="kb-note-ref">caregiver</span></p>'
                            '<section class="kb-notes"><ol><li>attachment</li></ol></section></div>')
    TermLinker(markdown.Markdown(), session).run(root)
    assert linked(root) == [] and session.usages == {}


def test_linked_once_per_section_by_default() -> None:
    root, session = convert("""\
        # Page

        Attachment and attachment. A caregiver.

        ## One

        Attachment again, *attachment* twice.

        ## Two

        - an attachment in a list
        - and attachment
        """)
    assert linked(root) == ["Attachment", "caregiver", "Attachment", "attachment"]
    assert [usage.linked for usage in session.usages["attachment"]] == [True, False, True, False, True, False]


@pytest.mark.parametrize(("policy", "expected"), [
    ("page", ["attachment"]),
    ("every", ["attachment", "attachment", "attachment"]),
    ("section", ["attachment", "attachment"]),
])
def test_link_policies(policy: LinkPolicy, expected: list[str]) -> None:
    root, _ = convert("attachment, attachment\n\n## S\n\nattachment", policy=policy)
    assert linked(root) == expected


def test_longest_match_and_acronym_case() -> None:
    root, _ = convert("A secure attachment, imh and IMH; co-regulation.")
    assert linked(root) == ["secure attachment", "IMH", "co-regulation"]


def test_links_point_at_the_term_page_relative_to_the_page() -> None:
    root, _ = convert("attachment", page="chapter/sub/page.md")
    link = next(a for a in root.iter("a") if a.get("id"))
    assert link.get("href") == "../../terms/attachment.md"
    assert link.get("data-kb-term") == "attachment" and link.get("id") == "kb-use-attachment-1"


def test_force_link_by_name_by_text_and_unknown() -> None:
    root, session = convert("""\
        attachment, then [the bond](term:attachment) again, [Co-Regulation](term:)
        and [nothing](term:ghost).
        """)
    assert linked(root) == ["attachment", "the bond", "Co-Regulation"]
    forced = [a for a in root.iter("a") if a.text == "the bond"][0]
    assert forced.get("href") == "terms/attachment.md" and forced.get("class") == "kb-term"
    assert [str(problem) for problem in session.problems] == [
        "page.md:2: link '[nothing](term:ghost)' names no term of the lexicon; write a term's name or id after "
        "'term:' as in the lexicon file, or make it an ordinary link"]
    assert "nothing" in "".join(root.itertext()) and not any(a.text == "nothing" for a in root.iter("a"))
    assert [span.text for span in root.iter("span") if span.get("class") == "kb-term-missing"] == ["nothing"]


def test_force_link_counts_as_the_sections_link() -> None:
    root, _ = convert("[the bond](term:attachment) and attachment")
    assert linked(root) == ["the bond"]


def test_raw_tags_suppress_only_up_to_their_closing_tag() -> None:
    # Read from the session: the HTML (an unclosed <img>, as authors write it) is no XML.
    source = '<a href="x.md">attachment</a> caregiver, <code>IMH</code> IMH, <img src="p.png"> attachment'
    session = make_session()
    session.begin_page("page.md", is_document=True, source=source)
    markdown.markdown(source, extensions=[*EXTENSIONS, LexiconExtension(session)])
    assert [usage.snippet.match for usages in session.usages.values() for usage in usages] == [
        "caregiver", "IMH", "attachment"]


def test_generated_pages_get_no_automatic_links_but_resolve_forced_ones() -> None:
    root, session = convert("attachment and [bond](term:attachment)", is_document=False)
    assert linked(root) == ["bond"] and session.usages == {} and root.find(".//aside") is None


def test_visible_text_is_unchanged() -> None:
    source = textwrap.dedent("""\
        # Title

        Attachment *and* the caregiver's IMH-trained co-regulation &amp; "secure attachment".
        <span class="no-term">attachment</span> with\\*escape\\* and [a link](x.md).

        ## Next

        1. caregivers
        2. `attachment`
        """)
    plain = parse(markdown.markdown(source, extensions=EXTENSIONS))
    with_terms, _ = convert(source)
    assert len(linked(with_terms)) >= 4
    assert visible_text(with_terms) == visible_text(plain)


def test_key_terms_block_ends_the_text_and_lists_linked_terms_a_to_z() -> None:
    root, _ = convert("# Title\n\nIMH and caregiver and attachment.\n\n## Next\n\nMore.\n")
    assert [child.tag for child in root] == ["h1", "p", "h2", "p", "aside"]
    aside = root[-1]
    assert aside.get("class") == "kb-key-terms" and aside.get("aria-label") == "Key terms on this page"
    assert "data-search-exclude" in aside.attrib
    assert [a.text for a in aside.iter("a")] == ["attachment", "caregiver", "IMH"]


def test_no_key_terms_block_without_linked_terms() -> None:
    root, _ = convert("Nothing here about `attachment`.")
    assert root.find(".//aside") is None


def test_usages_remember_page_section_anchor_and_snippet() -> None:
    _, session = convert("""\
        # Page

        ## The Bond

        First sentence here. Babies need *secure* attachment to grow! Next sentence.
        """, page="early.md")
    (usage,) = session.usages["attachment"]
    assert (usage.page, usage.anchor, usage.section_title, usage.section_anchor) == (
        "early.md", "kb-use-attachment-1", "The Bond", "the-bond")
    assert (usage.snippet.before, usage.snippet.match, usage.snippet.after) == (
        "Babies need secure ", "attachment", " to grow!")


def test_snippet_is_cut_to_the_sentence_and_shortened() -> None:
    text = "Before. " + "word " * 40 + "TERM" + " tail" * 40 + ". After."
    start = text.index("TERM")
    snippet = snippet_around(text, start, start + 4, width=30)
    assert snippet.before.startswith("… ") and snippet.after.endswith(" …")
    assert "Before" not in snippet.before and "After" not in snippet.after and snippet.match == "TERM"
