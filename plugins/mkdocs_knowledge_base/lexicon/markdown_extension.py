"""Python-Markdown extension: link lexicon terms in prose, with restraint, on the element tree.

Why a treeprocessor at priority 4: it runs after inline processing (20), ``attr_list`` (8,
so ``{: .no-term }`` is already a class), ``abbr`` (7), ``smarty`` (6) and ``toc`` (5, so
h2 headings already carry the ids the "Used in" lists link to), and before MkDocs'
``relpath`` (0). The adapter gives each page the final URL of every term page (made with
MkDocs' own URL helper, so valid for any ``use_directory_urls`` and sub-path); a term link
carries it behind a private scheme that ``relpath`` leaves alone, and ``_FinalTermHrefs``
(priority -10, after ``relpath``) takes the scheme off. Why not let ``relpath`` resolve them:
a page holds dozens of term links, and resolving and validating each one again was a
measurable share of a large build, for links made from the site's own file list.

It only ever splits text nodes into text + ``<a>``/``<span>`` elements, so the visible text
of a page never changes. The search indexer reads these elements as their words alone
(``search_view`` relies on the exact markup made here; its tests check it). Raw-HTML and escape placeholders (``\\x02…\\x03``) are never matched
into; a raw inline tag that must not hold links (``<a>``, ``<code>``, a heading, ``<span
class="no-term">``…) suppresses matching up to its closing tag, as the element would.

Authors' controls (README "Controlling term links"):

- force a link where the policy would not link, or link a word the matcher does not know as
  that term: ``[caregivers](term:caregiver)``, or ``[co-regulation](term:)`` (term from the text);
- suppress: ``<span class="no-term">attachment</span>`` inline, ``{: .no-term }`` after a
  paragraph (attr_list), or ``<div class="no-term" markdown>`` around blocks (md_in_html).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX, ETX

from mkdocs_knowledge_base.errors import DataProblem
from mkdocs_knowledge_base.lexicon.model import Term
from mkdocs_knowledge_base.lexicon.usage import LinkingSession, PageBeingConverted, Snippet, TermUsage

PRIORITY = 4
FINAL_HREF_PRIORITY = -10
FINAL_HREF_SCHEME = "kb-final-href:"
"""Marks a term link's URL as final while MkDocs' ``relpath`` runs (it leaves URLs with a scheme alone)."""
FORCE_SCHEME = "term:"
SUPPRESS_CLASS = "no-term"
KEY_TERMS_LABEL = "Key terms on this page"
TERM_LINK_CLASS = "kb-term"
MENTION_CLASS = "kb-term-mention"
"""An occurrence that is not linked (not the first in its scope) still gets an element, for its "Used in" anchor."""
KEY_TERMS_CLASS = "kb-key-terms"
ANCHOR_PREFIX = "kb-use-"
"""Ids of occurrences: ``kb-use-<term id>-<n>``."""

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SECTION_HEADINGS = frozenset({"h1", "h2"})
SKIPPED_TAGS = frozenset({"a", "code", "pre", "kbd", "samp", "img", "abbr", "sup", "script", "style", "svg"})
SKIPPED_CLASSES = frozenset({SUPPRESS_CLASS, "kb-notes", "kb-note-ref", KEY_TERMS_CLASS, "footnote", "headerlink"})
VOID_TAGS = frozenset({"img", "br", "hr", "wbr", "input"})
"""Raw tags that never close: they cannot suppress anything after them."""
NOT_IN_SNIPPETS_TAGS = frozenset({"sup", "script", "style", "svg"})
NOT_IN_SNIPPETS_CLASSES = frozenset({"kb-notes", "kb-note-ref", "footnote", "headerlink"})
BLOCK_TAGS = frozenset({"div", "p", "li", "dd", "dt", "td", "th", "caption", "figcaption", "blockquote",
                        "summary", "details", "section", "article", "aside", "ul", "ol", "dl", "table"})
PLACEHOLDER = re.compile(f"{STX}[^{ETX}]*{ETX}")
STASH_INDEX = re.compile(f"{STX}wzxhzdk:(\\d+){ETX}")
ESCAPED_CHAR = re.compile(f"{STX}(\\d+){ETX}")
SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s")
SNIPPET_WIDTH = 80


def _classes(element: etree.Element) -> set[str]:
    """The element's CSS classes (skipping is decided by class as much as by tag)."""
    return set((element.get("class") or "").split())


class _TagReader(HTMLParser):
    """Reads one raw inline HTML tag (from the stash): its name, whether it closes, its classes."""

    def __init__(self) -> None:
        super().__init__()
        self.tag: tuple[str, bool, set[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = (tag, False, set((dict(attrs).get("class") or "").split()))

    def handle_endtag(self, tag: str) -> None:
        self.tag = (tag, True, set())


def _read_tag(raw: str) -> tuple[str, bool, set[str]] | None:
    """(name, is closing tag, classes) of a raw tag, or None when ``raw`` is not a tag."""
    reader = _TagReader()
    reader.feed(raw)
    reader.close()
    return reader.tag


class _Block:
    """Plain text of one block (paragraph, list item, cell) as read so far, for snippets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self._sentence_ends: list[tuple[int, int]] | None = None

    def append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        """The whole block, joined once: a long block is asked again for each of its occurrences."""
        if len(self.parts) != 1:
            self.parts[:] = ["".join(self.parts)]
        return self.parts[0]

    def sentence_ends(self) -> list[tuple[int, int]]:
        """:func:`sentence_ends` of the complete block, found once for all its occurrences."""
        if self._sentence_ends is None:
            self._sentence_ends = sentence_ends(self.text())
        return self._sentence_ends


@dataclass
class _PendingUsage:
    """An occurrence whose snippet can only be cut once its whole block has been read."""

    term_id: str
    anchor: str
    block: _Block
    start: int
    end: int
    section_title: str
    section_anchor: str | None
    linked: bool


def sentence_ends(text: str) -> list[tuple[int, int]]:
    """Span of every sentence end (``. `` ``?" ``...) in ``text``, in order."""
    return [boundary.span() for boundary in SENTENCE_END.finditer(text)]


def _squeezed(text: str, start: int, stop: int, width: int, *, keep_end: bool) -> str:
    """``" ".join(text[start:stop].split())``, or enough of its end (``keep_end``) or start to
    show ``width`` characters of it: a sentence may be a whole long paragraph, and reading all
    of it for each occurrence in it made long paragraphs take quadratic time."""
    reach = 2 * width + 2
    while True:
        begin, finish = (max(start, stop - reach), stop) if keep_end else (start, min(stop, start + reach))
        squeezed = " ".join(text[begin:finish].split())
        if (begin, finish) == (start, stop) or len(squeezed) > width:
            return squeezed
        reach *= 2


def snippet_around(text: str, start: int, end: int, width: int = SNIPPET_WIDTH,
                   ends: Sequence[tuple[int, int]] | None = None) -> Snippet:
    """The sentence of ``text`` containing ``[start, end)``, shortened to ``width`` characters each side.

    ``ends``: :func:`sentence_ends` of ``text``, when the caller cuts many snippets from it.
    """
    ends = sentence_ends(text) if ends is None else ends
    preceding = bisect_right(ends, start, key=lambda span: span[1])
    sentence_start = ends[preceding - 1][1] if preceding else 0
    following = bisect_left(ends, end, key=lambda span: span[0])
    sentence_end = ends[following][0] + 1 if following < len(ends) else len(text)
    before = _squeezed(text, sentence_start, start, width, keep_end=True)
    after = _squeezed(text, end, sentence_end, width, keep_end=False)
    if len(before) > width:
        before = "… " + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + " …"
    spaced_before = before + " " if text[start - 1:start].isspace() and before else before
    spaced_after = " " + after if text[end:end + 1].isspace() and after else after
    return Snippet(spaced_before, " ".join(text[start:end].split()), spaced_after)


@dataclass
class _PageWalk:
    """One pass over one page's tree: links terms, records occurrences, adds the key-terms block."""

    md: Markdown
    session: LinkingSession
    page: PageBeingConverted
    linked_in_scope: set[str] = field(default_factory=set)
    linked_on_page: dict[str, Term] = field(default_factory=dict)
    occurrences: Counter[str] = field(default_factory=Counter)
    pending: list[_PendingUsage] = field(default_factory=list)
    section_title: str = ""
    section_anchor: str | None = None
    suppressed_tag: str | None = None
    """Name of the raw inline tag (``<a>``, ``<code>``, ``<span class="no-term">``…) whose content is being read."""
    suppressed_depth: int = 0
    """Open raw tags of that name, itself included; 0 when not suppressed."""

    def run(self, root: etree.Element) -> None:
        self.walk(root, _Block())
        if self.page.is_document:
            self.insert_key_terms(root)
            self.record_usages()

    # --- the walk ---------------------------------------------------------------------------

    def walk(self, element: etree.Element, block: _Block) -> None:
        """Link terms in ``element``'s text and its children's, in document order (first-occurrence rule)."""
        if element.tag in HEADINGS:
            self.enter_heading(element)
            return
        if element.tag == "a" and (element.get("href") or "").startswith(FORCE_SCHEME):
            self.force_link(element, block)
            return
        if element.tag in SKIPPED_TAGS or _classes(element) & SKIPPED_CLASSES:
            if element.tag not in NOT_IN_SNIPPETS_TAGS and not _classes(element) & NOT_IN_SNIPPETS_CLASSES:
                block.append("".join(element.itertext()))
            return
        own_block = _Block() if element.tag in BLOCK_TAGS else block
        lead, children = self.link_text(element.text, own_block)
        element.text = lead
        for child in list(element):
            self.walk(child, own_block)
            child.tail, after_child = self.link_text(child.tail, own_block)
            children.extend([child, *after_child])
        element[:] = children

    def enter_heading(self, heading: etree.Element) -> None:
        """h1/h2 open a section: restraint restarts there, and usages are grouped by it."""
        if heading.tag not in SECTION_HEADINGS:
            return
        self.section_title = "".join(self._visible_text(heading)).strip()
        self.section_anchor = heading.get("id")
        if self.session.policy == "section":
            self.linked_in_scope.clear()

    def _visible_text(self, element: etree.Element) -> Iterator[str]:
        """Text of ``element`` without permalinks and note markers."""
        if element.tag in NOT_IN_SNIPPETS_TAGS or _classes(element) & NOT_IN_SNIPPETS_CLASSES:
            return
        yield self._readable(element.text or "")
        for child in element:
            yield from self._visible_text(child)
            yield self._readable(child.tail or "")

    def link_text(self, text: str | None, block: _Block) -> tuple[str | None, list[etree.Element]]:
        """Split ``text`` into leading text and term elements (each carrying the text after it)."""
        if not text:
            return text, []
        if STX not in text and (text.isspace() or self.suppressed_depth or not self.page.is_document):
            block.append(text)  # nothing to link and no raw tag to follow: most texts of a tree are line breaks
            return text, []
        lead = ""
        nodes: list[etree.Element] = []

        def emit(piece: str) -> None:
            nonlocal lead
            if nodes:
                nodes[-1].tail = (nodes[-1].tail or "") + piece
            else:
                lead += piece

        for chunk, is_placeholder in self._chunks(text) if STX in text else [(text, False)]:
            if is_placeholder:
                self._follow_raw_tag(chunk)
                emit(chunk)
                block.append(self._readable(chunk))
                continue
            position = 0
            if self.page.is_document and not self.suppressed_depth:
                for match in self.session.matcher.find_all(chunk):
                    emit(chunk[position:match.start])
                    block.append(chunk[position:match.start])
                    nodes.append(self.occurrence(match.term_id, match.text, block))
                    position = match.end
            emit(chunk[position:])
            block.append(chunk[position:])
        return lead, nodes

    @staticmethod
    def _chunks(text: str) -> Iterator[tuple[str, bool]]:
        """``text`` as alternating (plain text, False) and (placeholder, True) pieces."""
        position = 0
        for placeholder in PLACEHOLDER.finditer(text):
            if placeholder.start() > position:
                yield text[position:placeholder.start()], False
            yield placeholder.group(0), True
            position = placeholder.end()
        if position < len(text):
            yield text[position:], False

    def _stashed(self, placeholder: str) -> str | None:
        """The raw HTML a stash placeholder stands for (None for other placeholders)."""
        found = STASH_INDEX.fullmatch(placeholder)
        if not found:
            return None
        raw = self.md.htmlStash.rawHtmlBlocks[int(found.group(1))]
        return raw if isinstance(raw, str) else None

    def _follow_raw_tag(self, placeholder: str) -> None:
        """Track raw inline tags the walk would skip as elements (``<a href>`` … ``</a>``,
        ``<code>``, ``<span class="no-term">``…): nothing up to their closing tag is matched,
        or a term link would end up nested in a link, or inside code."""
        raw = self._stashed(placeholder)
        tag = _read_tag(raw) if raw and raw.startswith("<") else None
        if tag is None:
            return
        name, closing, classes = tag
        if self.suppressed_depth:
            if name == self.suppressed_tag:
                self.suppressed_depth += -1 if closing else 1
        elif not closing and name not in VOID_TAGS and (
                name in SKIPPED_TAGS or name in HEADINGS or classes & SKIPPED_CLASSES):
            self.suppressed_tag, self.suppressed_depth = name, 1

    def _readable(self, text: str) -> str:
        """``text`` with placeholders replaced by what the reader will see (entities, escaped chars)."""

        def replacement(placeholder: re.Match[str]) -> str:
            escaped = ESCAPED_CHAR.fullmatch(placeholder.group(0))
            if escaped:
                return chr(int(escaped.group(1)))
            raw = self._stashed(placeholder.group(0))
            return html.unescape(raw) if raw and not raw.startswith("<") else ""

        return PLACEHOLDER.sub(replacement, text)

    # --- occurrences --------------------------------------------------------------------------

    def occurrence(self, term_id: str, text: str, block: _Block) -> etree.Element:
        """A link (first in its scope, or policy ``every``) or an invisible mention wrapper."""
        link = self.session.policy == "every" or term_id not in self.linked_in_scope
        anchor = self.next_anchor(term_id)
        element = self.term_link(term_id) if link else etree.Element("span", {"class": MENTION_CLASS})
        element.set("id", anchor)
        element.text = text
        self.remember(term_id, anchor, block, text, linked=link)
        return element

    def force_link(self, element: etree.Element, block: _Block) -> None:
        """``[text](term:name)`` / ``[text](term:)``: a link to that term wherever the author wants it."""
        text = "".join(element.itertext())
        wanted = element.get("href", "")[len(FORCE_SCHEME):].strip()
        lexicon = self.session.lexicon
        term = lexicon.resolve(wanted) if wanted else lexicon.by_id.get(self.session.matcher.term_id_of(text) or "")
        if term is None:
            href = element.get("href", "")
            self.session.problems.append(DataProblem(self.page.src_uri, self.page.line_of(f"]({href})"),
                                                     f"link '[{text}]({href})' names no term of the lexicon; "
                                                     "write a term's name or id after 'term:' as in the lexicon "
                                                     "file, or make it an ordinary link"))
            element.tag = "span"
            element.attrib.clear()
            element.set("class", "kb-term-missing")  # the words stay, visibly unresolved
            block.append(text)
            return
        element.attrib.update(self.term_link(term.id).attrib)
        if self.page.is_document:
            anchor = self.next_anchor(term.id)
            element.set("id", anchor)
            self.remember(term.id, anchor, block, text, linked=True)
        else:
            block.append(text)

    def term_link(self, term_id: str) -> etree.Element:
        """An empty ``<a class="kb-term">`` to the term's page (see the module docstring for its URL)."""
        href = FINAL_HREF_SCHEME + self.session.href_to_term(term_id)
        return etree.Element("a", {"class": TERM_LINK_CLASS, "href": href, "data-kb-term": term_id})

    def next_anchor(self, term_id: str) -> str:
        """A page-unique id for the next occurrence of a term, the target of its "Used in" entry."""
        self.occurrences[term_id] += 1
        return f"{ANCHOR_PREFIX}{term_id}-{self.occurrences[term_id]}"

    def remember(self, term_id: str, anchor: str, block: _Block, text: str, *, linked: bool) -> None:
        """Note an occurrence for "Used in" (its snippet is cut once the block is complete)."""
        start = block.length
        block.append(text)
        self.pending.append(_PendingUsage(term_id, anchor, block, start, block.length,
                                          self.section_title, self.section_anchor, linked))
        if linked:
            self.linked_in_scope.add(term_id)
            self.linked_on_page.setdefault(term_id, self.session.lexicon.by_id[term_id])

    def record_usages(self) -> None:
        """Hand this page's occurrences, with their snippets, to the session."""
        for pending in self.pending:
            snippet = snippet_around(pending.block.text(), pending.start, pending.end,
                                     ends=pending.block.sentence_ends())
            self.session.record(TermUsage(
                term_id=pending.term_id, page=self.page.src_uri, anchor=pending.anchor,
                section_title=pending.section_title, section_anchor=pending.section_anchor,
                snippet=snippet, linked=pending.linked))

    def insert_key_terms(self, root: etree.Element) -> None:
        """``<aside class="kb-key-terms">`` listing the linked terms A–Z, at the end of the text.

        At the end, as in a textbook chapter: a recap that does not push the opening of the
        text down (a long section may link thirty terms); notes follow it (added later).
        """
        if not self.linked_on_page:
            return
        aside = etree.Element("aside", {"class": KEY_TERMS_CLASS, "aria-label": KEY_TERMS_LABEL,
                                        "data-search-exclude": ""})
        title = etree.SubElement(aside, "p", {"class": "kb-key-terms-title"})
        title.text = KEY_TERMS_LABEL
        items = etree.SubElement(aside, "ul")
        for term in sorted(self.linked_on_page.values(), key=lambda term: term.term.lower()):
            link = self.term_link(term.id)
            link.text = term.term
            etree.SubElement(items, "li").append(link)
        root.append(aside)


class TermLinker(Treeprocessor):
    """Runs one ``_PageWalk`` per converted page (see the module docstring)."""

    def __init__(self, md: Markdown, session: LinkingSession) -> None:
        super().__init__(md)
        self.session = session

    def run(self, root: etree.Element) -> None:
        if self.session.page is not None:
            _PageWalk(self.md, self.session, self.session.page).run(root)


class _FinalTermHrefs(Treeprocessor):
    """Takes the private scheme off term links once MkDocs' ``relpath`` has run."""

    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith(FINAL_HREF_SCHEME):
                link.set("href", href[len(FINAL_HREF_SCHEME):])


class LexiconExtension(Extension):
    """Register with ``markdown.Markdown(extensions=[LexiconExtension(session)])``; one per build."""

    def __init__(self, session: LinkingSession) -> None:
        super().__init__()
        self.session = session

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(TermLinker(md, self.session), "kb_lexicon", PRIORITY)
        md.treeprocessors.register(_FinalTermHrefs(md), "kb_lexicon_hrefs", FINAL_HREF_PRIORITY)
