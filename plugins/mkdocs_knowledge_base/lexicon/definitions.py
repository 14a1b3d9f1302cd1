"""Lexicon definitions as HTML: Markdown formatting yes, raw HTML and script links no.

Why a renderer of its own: a definition is shown inside other pages — in popovers (inserted
by ``popover.js``), in the glossary and on the term page — so whatever HTML it carries runs
wherever the term is used. Editors need emphasis and links, not markup, so the policy is:

- Markdown formatting (emphasis, code, lists, links, images) is rendered as usual;
- raw HTML (``<div>``, ``<script>``, ``<img onerror>``…) is shown as the text it is, escaped;
- a link or image whose target has a scheme other than http(s), ftp or mailto
  (``javascript:``, ``data:``, ``vbscript:``…, however spelled) is refused: the link text
  stays as plain text, and the loader reports the target with the entry's line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from mkdocs_knowledge_base.safety import unsafe_scheme

_URL_ATTRIBUTES = {"a": "href", "img": "src"}
"""The only elements with a URL that Markdown without raw HTML can produce."""

_PLAIN_CHARACTER = r"(?:[^\W_]|[,.;:'\"?()/%$@‘’“”–—-])"
"""A letter, a digit or punctuation Markdown gives no meaning to (``_`` can start emphasis)."""
PLAIN_TEXT = re.compile(rf"[^\W\d_](?:[^\S\n]?{_PLAIN_CHARACTER})*")
"""One line of words and punctuation Markdown gives no meaning to: it would be one paragraph,
exactly as written. Starting with a letter rules out list items (``- ``, ``1. ``) and headings;
single spaces rule out line breaks (two trailing spaces) and indented code."""
SIMPLE_EMPHASIS = re.compile(rf"(?<![*\w])\*([^\W_](?:[^\S\n]?{_PLAIN_CHARACTER})*?)\*(?![*\w])")
"""``*plain words*`` standing apart from other stars and words: Markdown's ``<em>``, nothing else."""


@dataclass(frozen=True)
class RenderedDefinition:
    """A definition's HTML, the link targets refused while rendering it (for the loader's warning),
    and its plain text."""

    html: str
    refused_links: tuple[str, ...]
    text: str
    """The text of ``html`` with white space collapsed (CSV/JSON exports, schema.org description)."""


class _TextCollector(HTMLParser):
    """Collects the text nodes of an HTML fragment (the plain text of a rendered definition)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(fragment: str) -> str:
    """The text an HTML ``fragment`` shows, runs of white space as one space, trimmed."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return " ".join("".join(collector.parts).split())


class _UnsafeLinkRemover(Treeprocessor):
    """Turns ``<a>``/``<img>`` with an unsafe target into a ``<span>`` of their visible text."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.refused: list[str] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attribute = _URL_ATTRIBUTES.get(element.tag)
            target = element.get(attribute, "") if attribute else ""
            # Automatic mailto links hide their address as "&#109;…" behind Markdown's "&" placeholder.
            if not target or unsafe_scheme(target.replace(AMP_SUBSTITUTE, "&")) is None:
                continue
            self.refused.append(target)
            if element.tag == "img":
                element.text = element.get("alt", "")
            element.tag = "span"
            element.attrib.clear()


class _SafeDefinitionExtension(Extension):
    """No raw HTML (the block and inline HTML processors are removed, so it stays text), no unsafe links."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_UnsafeLinkRemover(md), "kb_unsafe_links", 5)


@lru_cache(maxsize=1)
def _renderer() -> Markdown:
    """One converter for every definition: building a ``Markdown`` costs more than converting a definition."""
    return Markdown(extensions=[_SafeDefinitionExtension()])


def render_definition(source: str) -> RenderedDefinition:
    """The definition's Markdown as safe HTML (see the module docstring for what is allowed).

    Most definitions are a sentence or two of plain words, perhaps with a ``*term*`` in
    italics; those are one paragraph as they stand, without a Markdown conversion (a lexicon of thousands of terms would otherwise
    spend a second here on every build). Their text is then known without reading the HTML
    back either: it has no markup but the ``<p>`` and ``<em>`` tags, and no ``&`` or ``<``.
    """
    pieces = SIMPLE_EMPHASIS.split(source)  # plain text, emphasised words, plain text, ...
    if PLAIN_TEXT.fullmatch("x".join(pieces[::2])):
        html = "".join(f"<em>{piece}</em>" if index % 2 else piece for index, piece in enumerate(pieces))
        return RenderedDefinition(f"<p>{html}</p>", (), " ".join("".join(pieces).split()))
    renderer = _renderer()
    remover: _UnsafeLinkRemover = renderer.treeprocessors["kb_unsafe_links"]  # type: ignore[assignment]
    remover.refused = []
    rendered = renderer.reset().convert(source)
    return RenderedDefinition(rendered, tuple(remover.refused), html_text(rendered))
