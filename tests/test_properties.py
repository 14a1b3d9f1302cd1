"""Properties that must hold for every input, not just the examples in the other test files.

Term linking: whatever the lexicon and the Markdown, the linker only wraps words the reader
already sees, never inside a link, code or a heading; "Used in" snippets are the sentence
around the occurrence, however long the paragraph. Citation parsing: whatever the text,
the parser does not crash, and among arbitrary noise it finds exactly the well-formed
citations, with every part (prefix, key, locator, suffix) as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser

import markdown
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from mkdocs_knowledge_base.citations.syntax import (BRACKET_PATTERN, KEY_PATTERN, LOCATOR_TERMS, Citation, CitedItem,
                                                    parse_citation)
from mkdocs_knowledge_base.lexicon.definitions import PLAIN_TEXT, SIMPLE_EMPHASIS, html_text, render_definition
from mkdocs_knowledge_base.lexicon.markdown_extension import SENTENCE_END, LexiconExtension, snippet_around
from mkdocs_knowledge_base.lexicon.model import Lexicon, Term, slugify
from mkdocs_knowledge_base.lexicon.usage import LinkingSession, Snippet
from tests.test_lexicon_markdown import EXTENSIONS

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- term linking ------------------------------------------------------------------------------

WORDS = ("attachment", "secure", "care", "caregiver", "regulation", "self", "mutual", "infant", "health",
         "IMH", "ACE", "DC:0–3", "C++", "Dr.", "Who", "(parenthesised)", "a/b")
"""Few words, so generated terms really occur in the generated text; some with punctuation."""

NEVER_LINKED_INSIDE = frozenset({"a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6"})
TERM_CLASSES = frozenset({"kb-term", "kb-term-mention"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                       "track", "wbr"})


def _spellings(vocabulary: list[str]) -> st.SearchStrategy[str]:
    """A word or term of ``vocabulary`` as an author may write it: capitalised, in capitals, plural."""
    return st.sampled_from(vocabulary).flatmap(lambda w: st.sampled_from([w, w.capitalize(), w.upper(), w + "s"]))


noise = st.text(alphabet="ab *_`[]()<>&\\!#:.-–/\"'=", max_size=12)
"""Markdown and HTML punctuation that may or may not form constructs; never a line break."""
term_name = st.lists(_spellings(list(WORDS)), min_size=1, max_size=3).flatmap(
    lambda words: st.sampled_from([" ", "-"]).map(lambda joiner: joiner.join(words)))
lexicon_terms = st.lists(term_name.filter(slugify), min_size=1, max_size=6, unique_by=slugify).map(
    lambda names: [Term(term=name, id=slugify(name), definition="Defined.") for name in names])


def markdown_page(vocabulary: list[str]) -> st.SearchStrategy[str]:
    """Markdown mixing ``vocabulary`` (the lexicon's terms among other words) with code, links,
    emphasis, raw HTML, headings, lists, quotes, suppressed blocks and punctuation noise."""
    phrase = st.lists(st.tuples(_spellings(vocabulary), st.sampled_from([" ", " ", "-", ", ", ". "])),
                      min_size=1, max_size=5).map(lambda pairs: "".join(w + sep for w, sep in pairs).strip())
    inline = st.one_of(
        phrase,
        phrase.map(lambda p: f"`{p}`"),
        phrase.map(lambda p: f"*{p}*"),
        phrase.map(lambda p: f"**{p}**"),
        phrase.map(lambda p: f"_{p}_"),
        phrase.map(lambda p: f"[{p}](https://example.org/page)"),
        phrase.map(lambda p: f"![{p}](picture.png)"),
        phrase.map(lambda p: f'<a href="other.md">{p}</a>'),
        phrase.map(lambda p: f"<code>{p}</code>"),
        phrase.map(lambda p: f"<kbd>{p}</kbd>"),
        phrase.map(lambda p: f"<em>{p}</em>"),
        phrase.map(lambda p: f'<span class="no-term">{p}</span>'),
        noise,
    )
    line = st.lists(inline, min_size=1, max_size=6).map(" ".join)
    block = st.one_of(
        line,
        st.tuples(st.integers(1, 6), line).map(lambda level_text: "#" * level_text[0] + " " + level_text[1]),
        st.lists(phrase, min_size=1, max_size=3).map(lambda lines: "```\n" + "\n".join(lines) + "\n```"),
        phrase.map(lambda p: "    " + p),
        st.lists(line, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {item}" for item in items)),
        line.map(lambda text: f"> {text}"),
        line.map(lambda text: f"{text}\n{{: .no-term }}"),
        line.map(lambda text: f'<div class="no-term" markdown>\n\n{text}\n\n</div>'),
    )
    return st.lists(block, min_size=1, max_size=8).map("\n\n".join)


lexicon_and_page = lexicon_terms.flatmap(lambda terms: st.tuples(
    st.just(terms), markdown_page([*WORDS, *(term.term for term in terms for _ in range(3))])))
"""A lexicon and a page using it: each term is three times as likely as any other word."""


class _ReaderView(HTMLParser):
    """What a reader gets from converted HTML: the text they see, and where term elements sit.

    An HTML parser rather than an XML one: raw HTML in the Markdown passes through as
    written, so the output need not be well-formed XML.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []
        """Open elements: (tag, is the key-terms block, which the linker adds on purpose)."""
        self.text_parts: list[str] = []
        self.terms_inside: list[str] = []
        """Tag of each never-linked element a term link or mention was found in."""
        self.links_in_links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        enclosing = {name for name, _ in self.open}
        if classes & TERM_CLASSES:
            self.terms_inside.extend(sorted(enclosing & NEVER_LINKED_INSIDE))
        self.links_in_links += tag == "a" and "a" in enclosing
        if tag not in VOID_TAGS:
            self.open.append((tag, "kb-key-terms" in classes))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if not any(is_key_terms for _, is_key_terms in self.open):
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        """The visible text, without trailing white space (the serializer puts a line break
        before the key-terms block)."""
        return "".join(self.text_parts).rstrip()


def read_as_reader(html_text: str) -> _ReaderView:
    view = _ReaderView()
    view.feed(html_text)
    view.close()
    return view


def convert(source: str, session: LinkingSession | None) -> str:
    """The page's HTML, with the term linker when a session is given."""
    extensions: list = [*EXTENSIONS, *([LexiconExtension(session)] if session else [])]
    if session is not None:
        session.begin_page("page.md", is_document=True, source=source)
    return markdown.markdown(source, extensions=extensions)


@PROPERTY_SETTINGS
@given(lexicon_page=lexicon_and_page, policy=st.sampled_from(["section", "page", "every"]))
@example(lexicon_page=([Term(term="attachment", id="attachment", definition="Defined.")],
                       'See <a href="x.md">the attachment</a>, <code>attachment</code> and <kbd>attachment</kbd>.'),
         policy="every")  # raw inline <a>, <code>, <kbd> used to get term links inside them
def test_linking_only_wraps_what_the_reader_already_sees(lexicon_page: tuple[list[Term], str], policy: str) -> None:
    terms, source = lexicon_page
    session = LinkingSession(Lexicon("terms.yml", terms), policy=policy)  # type: ignore[arg-type]
    linked = read_as_reader(convert(source, session))
    plain = read_as_reader(convert(source, None))
    event(f"term occurrences on the page: {'some' if session.usages else 'none'}")
    assert linked.text == plain.text
    assert linked.terms_inside == []
    assert linked.links_in_links == plain.links_in_links


# --- snippets of term usages -------------------------------------------------------------------

def snippet_by_definition(text: str, start: int, end: int, width: int) -> Snippet:
    """The "Used in" snippet as the README describes it, computed the plain (quadratic) way:
    the whole sentence around the occurrence, white space squeezed, cut to ``width`` each side."""
    ends = list(SENTENCE_END.finditer(text, 0, start))
    following = SENTENCE_END.search(text, end)
    before = " ".join(text[ends[-1].end() if ends else 0:start].split())
    after = " ".join(text[end:following.start() + 1 if following else len(text)].split())
    if len(before) > width:
        before = "… " + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + " …"
    before += " " if text[start - 1:start].isspace() and before else ""
    after = (" " if text[end:end + 1].isspace() and after else "") + after
    return Snippet(before, " ".join(text[start:end].split()), after)


@PROPERTY_SETTINGS
@given(text=st.text(alphabet="ab .!?\"”)\n\t", min_size=1, max_size=400), cut=st.tuples(st.integers(0, 400),
       st.integers(1, 12)), width=st.integers(1, 30))
def test_snippets_are_cut_from_the_whole_sentence(text: str, cut: tuple[int, int], width: int) -> None:
    start = min(cut[0], len(text) - 1)
    end = min(start + cut[1], len(text))
    assert snippet_around(text, start, end, width) == snippet_by_definition(text, start, end, width)


# --- citation parsing -------------------------------------------------------------------------

def _spaced_words(alphabet: str) -> st.SearchStrategy[str]:
    """One to three words over ``alphabet``, single-spaced (the parser normalises white space)."""
    return st.lists(st.text(alphabet=alphabet, min_size=1, max_size=6), min_size=1, max_size=3).map(" ".join)


key = st.from_regex(rf"\A{KEY_PATTERN}\Z")
prefix = st.one_of(st.just(""), _spaced_words("abcdefgh*.,:'"))
suffix = st.one_of(st.just(""), _spaced_words("aeghjkqrstuyz*'!"))
"""No digit and no roman-numeral or locator-term start: a suffix right after the key would
otherwise read as a locator (``@key, line iv``), which is pandoc's grammar, not a parser bug."""
number = st.tuples(st.integers(1, 999), st.sampled_from(["", "a"])).map(lambda pair: f"{pair[0]}{pair[1]}")
numbers = st.lists(number, min_size=1, max_size=3).flatmap(
    lambda parts: st.lists(st.sampled_from(["-", "–", ", ", " and ", " & "]), min_size=len(parts) - 1,
                           max_size=len(parts) - 1).map(
        lambda separators: parts[0] + "".join(s + p for s, p in zip(separators, parts[1:]))))
locator = st.one_of(
    st.just(("", None)),
    numbers.map(lambda pages: (pages, "page")),
    st.tuples(st.sampled_from(sorted(LOCATOR_TERMS)), numbers).map(
        lambda term_pages: (f"{term_pages[0]} {term_pages[1]}", LOCATOR_TERMS[term_pages[0]])),
    st.tuples(st.sampled_from(["ch.", "chap.", "vol.", "bk."]), st.sampled_from(["iv", "xii", "ii-iv"])).map(
        lambda term_roman: (f"{term_roman[0]} {term_roman[1]}", LOCATOR_TERMS[term_roman[0]])),
)


@st.composite
def cited_item(draw: st.DrawFn) -> tuple[str, CitedItem]:
    """``(text as an author writes it, what the parser must read from it)``."""
    locator_text, label = draw(locator)
    item = CitedItem(key=draw(key), prefix=draw(prefix), locator=locator_text, locator_label=label,
                     suffix=draw(suffix), suppress_author=draw(st.booleans()))
    written = f"{item.prefix} " if item.prefix else ""
    written += f"{'-' if item.suppress_author else ''}@{item.key}"
    written += f", {item.locator}" if item.locator else ""
    written += (" " if item.locator else ", ") + item.suffix if item.suffix else ""
    return written, item


citation = st.lists(cited_item(), min_size=1, max_size=3).map(
    lambda items: (f"[{'; '.join(text for text, _ in items)}]", Citation(tuple(item for _, item in items))))
no_citation_noise = st.text(st.characters(exclude_characters="@\\", exclude_categories=["Cs"]), max_size=20)
"""Anything without ``@`` (no key can start) or a backslash (Markdown's escape, not the parser's job)."""


def find_citations(text: str) -> list[Citation]:
    """Every citation in ``text``, as the Markdown extension finds them (candidate bracket, then parse)."""
    found = (parse_citation(match["body"]) for match in re.finditer(BRACKET_PATTERN, text))
    return [citation for citation in found if citation is not None]


@PROPERTY_SETTINGS
@given(text=st.text())
@example(text="[@]; [-@; @a;] [@a!] [@a, p.] [see @a, pp. 3-] [@a@b] [@a, ch. mid]")
def test_parser_never_crashes_and_reads_only_valid_keys(text: str) -> None:
    for found in [parse_citation(text), *find_citations(text)]:
        assert found is None or all(re.fullmatch(KEY_PATTERN, item.key) for item in found.items)


@PROPERTY_SETTINGS
@given(pieces=st.lists(st.tuples(no_citation_noise, citation), max_size=5), tail=no_citation_noise)
def test_parser_finds_exactly_the_well_formed_citations(pieces: Sequence[tuple[str, tuple[str, Citation]]],
                                                        tail: str) -> None:
    # The space after each citation keeps noise such as "(url)" or ": x" from turning it into a link.
    text = "".join(f"{noise_text} {written} " for noise_text, (written, _) in pieces) + tail
    assert find_citations(text) == [expected for _, (_, expected) in pieces]


_PLAIN_PIECES = ["word", "Care", "é", "ß", "1", "2006", " ", ",", ".", ":", ";", "?", "'", "’", "\"", "(", ")", "-",
                 "–", "/", "*x*", "*two words*", "*a.*", "*(x)*", "co-regulation"]
_SPECIAL_PIECES = ["  ", "\n", "\u00a0", "!", "—", "%", "_", "__", "*", "**", "`", "#", "&", "<", ">", "[", "]", "=",
                   "+", "|", "\\", "a*b", "* x*", "*x *", "_x_"]
DEFINITION_PIECES = st.one_of(st.sampled_from(_PLAIN_PIECES), st.sampled_from(_PLAIN_PIECES),
                              st.sampled_from(_PLAIN_PIECES), st.sampled_from(_SPECIAL_PIECES))
"""Mostly pieces a plain definition is made of, so that many examples take the fast path."""


@given(text=st.builds(lambda first, rest: first + "".join(rest), st.sampled_from(["Care", "é", "Care ", "1", "*x*", "- "]),
                      st.lists(DEFINITION_PIECES, max_size=14)))
@example(text="a  b")
@example(text="a b ")
@example(text="é1_x")
@example(text="a-b_-_-_")  # "_-_" is emphasis to Markdown: underscores never take the fast path
@example(text="*two words**two words*")  # adjacent stars are left to Markdown
@example(text="Attachment (Bowlby, 1969): a bond; it's “secure” — or not? Compare *caregiver*.")
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_plain_definitions_skip_markdown_and_render_as_markdown_would(text: str) -> None:
    """The fast path for plain definitions (and ``*simple emphasis*``) gives exactly what Markdown gives,
    and the plain text it knows without parsing is the text of that HTML."""
    rendered = render_definition(text)
    assert rendered.text == html_text(rendered.html)
    if PLAIN_TEXT.fullmatch(SIMPLE_EMPHASIS.sub("x", text)):
        event("fast path")
        assert rendered.html == markdown.markdown(text)
