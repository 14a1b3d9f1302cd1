"""One generated page per lexicon term: definition, aliases, related terms, sources, usages.

Why in two steps: the static part (everything the lexicon says) is Markdown written before
any page is converted, so MkDocs renders it, builds its table of contents and checks its
links like any page. The parts that need the whole build — the formatted references (their
URLs) and "Used in" (every occurrence in the document) — are left as *slots*, empty marker
elements the adapter fills once all pages are converted (MkDocs ``on_env``).
"""

from __future__ import annotations

import html
import json
import posixpath
from collections.abc import Callable, Sequence
from urllib.parse import quote

from mkdocs_knowledge_base.citations.notes import missing_reference_html
from mkdocs_knowledge_base.lexicon.model import Lexicon, Term
from mkdocs_knowledge_base.lexicon.usage import TermUsage
from mkdocs_knowledge_base.safety import markdown_text, script_json

REFERENCES_SLOT = '<div class="kb-slot" data-kb-slot="term-references"></div>'
USED_IN_SLOT = '<div class="kb-slot" data-kb-slot="used-in"></div>'


def relative_link(from_uri: str, to_uri: str) -> str:
    """Relative link between two source files of ``docs/`` (``#anchor`` kept), as Markdown writes it."""
    path, _, anchor = to_uri.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(from_uri) or ".")
    return f"{link}#{anchor}" if anchor else link


def term_json_ld(term: Term, *, url: str, glossary_url: str) -> str:
    """schema.org ``DefinedTerm`` as a ``<script type="application/ld+json">`` element."""
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "@id": url,
        "name": term.term,
        "termCode": term.id,
        "description": term.definition_text,
        "alternateName": list(term.aliases),
        "inDefinedTermSet": glossary_url,
        "url": url,
    }
    return f'<script type="application/ld+json">\n{script_json(data, indent=1)}\n</script>'


def term_page_markdown(term: Term, lexicon: Lexicon, *, page_uri: str, glossary_uri: str,
                       terms_dir: str, json_ld: str) -> str:
    """The Markdown of ``terms/<id>.md`` (with the two slots the adapter fills later).

    Lexicon text goes in as text (``markdown_text``) and the definition as its safely rendered
    HTML: this page's Markdown has raw HTML and ``attr_list`` enabled, which the lexicon must
    not reach. The source link is percent-encoded, so no ``)`` or space in it ends the link.
    The page title is set, HTML-escaped, in the front matter: a title taken from the heading
    would reach Material's ``<title>`` through ``striptags``, which decodes ``&lt;`` back to ``<``.
    """
    title = json.dumps(html.escape(term.heading))  # a JSON string is a YAML double-quoted string
    parts = [f"---\ntitle: {title}\n---", f"# {markdown_text(term.heading)}", term.definition_html]
    if term.aliases:
        aliases = ", ".join(html.escape(alias) for alias in term.aliases)
        parts.append(f'<p class="kb-term-aliases"><strong>Also called:</strong> {aliases}</p>')
    resolved = [(name, lexicon.resolve(name)) for name in term.related]
    related = [_related_item(name, other, page_uri, terms_dir) for name, other in resolved if other is not term]
    if related:
        parts += ["## Related terms", "\n".join(related)]
    if term.references:
        parts += ["## References", REFERENCES_SLOT]
    if term.source:
        parts += ["## In the paper",
                  f"[Read where the paper explains *{markdown_text(term.term)}*]"
                  f"({quote(relative_link(page_uri, term.source), safe='/#%')})"]
    parts += ["## Used in", USED_IN_SLOT,
              f"[All terms in the glossary]({relative_link(page_uri, glossary_uri)})", json_ld]
    return "\n\n".join(parts) + "\n"


def _related_item(name: str, other: Term | None, page_uri: str, terms_dir: str) -> str:
    """A related term as a link; a name the lexicon lacks (reported when loading) stays, marked."""
    if other is None:
        return f'- <span class="kb-term-missing">{markdown_text(name)}</span> (not in the lexicon)'
    return f"- [{markdown_text(other.term)}]({relative_link(page_uri, f'{terms_dir}/{other.id}.md')})"


def references_html(keys: Sequence[str], *, reference_html: Callable[[str], str], list_url: str,
                    known_keys: set[str]) -> str:
    """The term's supporting works in APA 7, each linked to its entry on the references page (if any);
    a key the bibliography lacks (reported when loading) is marked in its place."""
    def item(key: str) -> str:
        link = (f' <a class="kb-to-reference-list" href="{html.escape(f"{list_url}#ref-{key}")}">In the reference list</a>'
                if list_url else "")
        return f"<li>{reference_html(key)}{link}</li>"

    items = [item(key) if key in known_keys else f"<li>{missing_reference_html(key)}</li>" for key in keys]
    return f'<ul class="kb-term-references">{"".join(items)}</ul>'


def used_in_html(usages: Sequence[TermUsage], *, reading_order: Sequence[str], page_title: Callable[[str], str],
                 page_url: Callable[[str], str]) -> str:
    """Every occurrence, grouped by page (reading order) then section, each linked to its spot.

    Excluded from the search index (``data-search-exclude``): the snippets are the document's
    own sentences, already indexed on their pages. The attribute sits on a ``div`` with no
    ``div`` inside, because Material's search parser tracks excluded elements by tag name.
    """
    if not usages:
        return '<p class="kb-used-in-none">This term does not appear in the document yet.</p>'
    rank = {page: index for index, page in enumerate(reading_order)}
    by_page: dict[str, dict[tuple[str, str | None], list[TermUsage]]] = {}
    for usage in sorted(usages, key=lambda usage: rank.get(usage.page, len(rank))):
        by_page.setdefault(usage.page, {}).setdefault((usage.section_title, usage.section_anchor), []).append(usage)
    blocks = []
    for page, sections in by_page.items():
        url = html.escape(page_url(page))
        section_items = []
        for (title, anchor), occurrences in sections.items():
            heading = (f'<a class="kb-used-in-section" href="{url}#{anchor}">{html.escape(title)}</a>' if anchor
                       else f'<span class="kb-used-in-section">{html.escape(title)}</span>')
            snippets = "".join(
                f'<li><a class="kb-usage" href="{url}#{usage.anchor}">{html.escape(usage.snippet.before)}'
                f"<mark>{html.escape(usage.snippet.match)}</mark>{html.escape(usage.snippet.after)}</a></li>"
                for usage in occurrences)
            section_items.append(f"<li>{heading}<ul>{snippets}</ul></li>")
        blocks.append(f'<li><a class="kb-used-in-page" href="{url}">{html.escape(page_title(page))}</a>'
                      f'<ul>{"".join(section_items)}</ul></li>')
    return f'<div class="kb-used-in" data-search-exclude><ul>{"".join(blocks)}</ul></div>'
