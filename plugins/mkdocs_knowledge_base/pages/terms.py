"""One generated page per lexicon term: definition, aliases, related terms, sources, usages.

Why HTML and not Markdown: a term page is the lexicon's own data laid out, with nothing an
author wrote in Markdown, and a large lexicon has thousands of them. Writing their HTML
directly costs a few string joins per term, where converting thousands of Markdown pages
would cost more than the rest of a large site. Lexicon text goes in escaped, the definition
as its safely rendered HTML (``Term.definition_html``), and every URL is given by the caller,
already relative to the term page, so this module knows nothing of the site's layout.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

from mkdocs_knowledge_base.citations.notes import missing_reference_html
from mkdocs_knowledge_base.lexicon.model import Lexicon, Term
from mkdocs_knowledge_base.lexicon.usage import TermUsage
from mkdocs_knowledge_base.safety import script_json


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


def _section(anchor: str, title: str) -> str:
    """An h2 with the permanent link Python-Markdown's ``toc`` would give it (the theme styles both)."""
    return (f'<h2 id="{anchor}">{title}<a class="headerlink" href="#{anchor}" '
            f'title="Permanent link">&para;</a></h2>')


def term_page_html(term: Term, lexicon: Lexicon, *, term_url: Callable[[Term], str], source_url: str | None,
                   glossary_url: str, references: str, used_in: str, json_ld: str) -> str:
    """The content of a term's page; ``references`` and ``used_in`` are ``references_html`` and ``used_in_html``."""
    parts = [f"<h1>{html.escape(term.heading)}</h1>", term.definition_html]
    if term.aliases:
        aliases = ", ".join(html.escape(alias) for alias in term.aliases)
        parts.append(f'<p class="kb-term-aliases"><strong>Also called:</strong> {aliases}</p>')
    related = [_related_item(name, other, term_url) for name, other in lexicon.related_entries(term) if other is not term]
    if related:
        parts += [_section("related-terms", "Related terms"), f"<ul>{''.join(related)}</ul>"]
    if term.references:
        parts += [_section("references", "References"), references]
    if source_url is not None:
        parts += [_section("in-the-paper", "In the paper"),
                  f'<p><a href="{html.escape(source_url)}">Read where the paper explains '
                  f"<em>{html.escape(term.term)}</em></a></p>"]
    parts += [_section("used-in", "Used in"), used_in,
              f'<p><a href="{html.escape(glossary_url)}">All terms in the glossary</a></p>', json_ld]
    return "\n".join(parts) + "\n"


def _related_item(name: str, other: Term | None, term_url: Callable[[Term], str]) -> str:
    """A related term as a link; a name the lexicon lacks (reported when loading) stays, marked."""
    if other is None:
        return f'<li><span class="kb-term-missing">{html.escape(name)}</span> (not in the lexicon)</li>'
    return f'<li><a href="{html.escape(term_url(other))}">{html.escape(other.term)}</a></li>'


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


def escape_all(texts: Sequence[str]) -> list[str]:
    """``[html.escape(text) for text in texts]`` in one call of ``html.escape`` where possible.

    Why: "Used in" escapes three pieces of every occurrence of a term (tens of thousands in a
    large site), and one escape of the pieces joined by a NUL, which escaping leaves alone,
    costs a fraction of the calls. Pieces holding a NUL themselves (or none at all) are
    escaped one by one.
    """
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:
        return [html.escape(text) for text in texts]
    return html.escape(joined).split("\0")


def used_in_html(usages: Sequence[TermUsage], *, page_rank: Mapping[str, int], page_title: Callable[[str], str],
                 page_url: Callable[[str], str]) -> str:
    """Every occurrence, grouped by page (reading order) then section, each linked to its spot.

    Excluded from the search index (``data-search-exclude``): the snippets are the document's
    own sentences, already indexed on their pages. The attribute sits on a ``div`` with no
    ``div`` inside, because Material's search parser tracks excluded elements by tag name.
    """
    if not usages:
        return '<p class="kb-used-in-none">This term does not appear in the document yet.</p>'
    ordered = sorted(usages, key=lambda usage: page_rank.get(usage.page, len(page_rank)))
    pieces = escape_all([piece for usage in ordered
                         for piece in (usage.snippet.before, usage.snippet.match, usage.snippet.after)])
    by_page: dict[str, dict[tuple[str, str | None], list[tuple[str, list[str]]]]] = {}
    for index, usage in enumerate(ordered):
        by_page.setdefault(usage.page, {}).setdefault((usage.section_title, usage.section_anchor), []).append(
            (usage.anchor, pieces[3 * index:3 * index + 3]))
    blocks = []
    for page, sections in by_page.items():
        url = html.escape(page_url(page))
        section_items = []
        for (title, anchor), occurrences in sections.items():
            heading = (f'<a class="kb-used-in-section" href="{url}#{anchor}">{html.escape(title)}</a>' if anchor
                       else f'<span class="kb-used-in-section">{html.escape(title)}</span>')
            snippets = "".join(f'<li><a class="kb-usage" href="{url}#{spot}">{before}<mark>{match}</mark>{after}</a></li>'
                               for spot, (before, match, after) in occurrences)
            section_items.append(f"<li>{heading}<ul>{snippets}</ul></li>")
        blocks.append(f'<li><a class="kb-used-in-page" href="{url}">{html.escape(page_title(page))}</a>'
                      f'<ul>{"".join(section_items)}</ul></li>')
    return f'<div class="kb-used-in" data-search-exclude><ul>{"".join(blocks)}</ul></div>'
