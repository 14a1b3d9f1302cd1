"""The generated A–Z glossary: every term with its definition, a letter bar, a filter box.

Why HTML, put into the converted page through a slot: the letter sections, the filter's live
region and the entries need ids and attributes that plain Markdown cannot express without
extensions the site may not enable, and there is nothing in them for Markdown to do; handing
thousands of entries of raw HTML to Python-Markdown would cost seconds for nothing. So the
page MkDocs converts is its title and an empty slot element, which the adapter fills with
``glossary_html`` once pages are converted. The adapter passes ready URLs, so nothing in
here knows about MkDocs.
"""

from __future__ import annotations

import html
import re
import string
import unicodedata
from collections.abc import Callable, Sequence

from mkdocs_knowledge_base.lexicon.model import Lexicon, Term

OTHER = "#"
SLOT = '<div class="kb-slot" data-kb-slot="glossary"></div>'
"""Where the glossary's list goes in the converted page (see the module docstring)."""
FILTER_INPUT_ID = "kb-glossary-filter-input"
COUNT_ID = "kb-glossary-count"
LIST_ID = "kb-glossary-list"


def letter_of(term: Term) -> str:
    """The A–Z letter a term is filed under (accents dropped); ``#`` for digits and symbols."""
    for char in unicodedata.normalize("NFKD", term.term):
        if char.isalnum():
            upper = char.upper()
            return upper if upper in string.ascii_uppercase else OTHER
    return OTHER


def sort_key(term: Term) -> str:
    """A–Z order ignoring case and accents.

    An ASCII name has no accent to drop (decomposing it changes nothing), so it is only folded:
    most names are, and the glossary sorts thousands of them.
    """
    if term.term.isascii():
        return term.term.casefold()
    decomposed = unicodedata.normalize("NFKD", term.term)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _entry(term: Term, term_url: str) -> str:
    """One term: its name as a heading, then definition and aliases; the filter matches all of its text.

    A heading with an id, because the site's search cuts pages into sections at such
    headings: searching a term or one of its aliases then leads to this entry, titled by
    the term (term pages themselves are not indexed, this is where the search finds terms).
    """
    aliases = (f'<p class="kb-glossary-aliases">Also: {html.escape(", ".join(term.aliases))}</p>'
               if term.aliases else "")
    return (f'<div class="kb-glossary-entry">'
            f'<h3 class="kb-glossary-term" id="{html.escape(entry_id(term))}">'
            f'<a href="{html.escape(term_url)}">{html.escape(term.term)}</a></h3>'
            f'<div class="kb-glossary-definition">{term.definition_html}{aliases}</div></div>')


def entry_id(term: Term) -> str:
    """The id of a term's entry, which other pages may link to (``glossary.md#glossary-attachment``)."""
    return f"glossary-{term.id}"


def _letters(lexicon: Lexicon) -> dict[str, list[Term]]:
    """Terms A–Z, grouped by the letter they are filed under."""
    by_letter: dict[str, list[Term]] = {}
    for term in sorted(lexicon.terms, key=sort_key):
        by_letter.setdefault(letter_of(term), []).append(term)
    return by_letter


def anchor_ids(lexicon: Lexicon) -> set[str]:
    """Every id ``glossary_html`` gives an element, for MkDocs' check of links into the page."""
    letters = {letter_of(term) for term in lexicon.terms}
    letter_ids = {f"letter-{_letter_id(letter)}{suffix}" for letter in letters for suffix in ("", "-title")}
    return {*map(entry_id, lexicon.terms), *letter_ids, FILTER_INPUT_ID, COUNT_ID, LIST_ID}


def glossary_markdown(title: str) -> str:
    """The glossary page as MkDocs converts it: its title and the slot for ``glossary_html``."""
    return f"# {title}\n\n{SLOT}\n"


def glossary_html(lexicon: Lexicon, *, term_url: Callable[[Term], str], downloads: Sequence[tuple[str, str]]) -> str:
    """The glossary under its title: downloads, filter, letter bar, then one section per letter."""
    by_letter = _letters(lexicon)
    letters = [*string.ascii_uppercase, *([OTHER] if OTHER in by_letter else [])]
    bar = "".join(
        f'<a href="#letter-{_letter_id(letter)}">{letter}</a>' if letter in by_letter
        else f'<span class="kb-letter-empty">{letter}</span>'
        for letter in letters)
    sections = "".join(
        f'<section class="kb-glossary-letter" id="letter-{_letter_id(letter)}" '
        f'aria-labelledby="letter-{_letter_id(letter)}-title"><h2 id="letter-{_letter_id(letter)}-title">{letter}</h2>'
        f'{"".join(_entry(term, term_url(term)) for term in by_letter[letter])}</section>'
        for letter in letters if letter in by_letter)
    download_links = " · ".join(f'<a href="{html.escape(url)}" download>{html.escape(label)}</a>'
                                for label, url in downloads)
    count = len(lexicon.terms)
    return "\n".join([
        f'<p class="kb-glossary-intro">{count} terms of the shared lexicon, A–Z. Hover over or focus a '
        f"linked term anywhere on the site to see its definition. Download the whole lexicon: {download_links}.</p>",
        '<div class="kb-glossary-filter">'
        f'<label for="{FILTER_INPUT_ID}">Filter terms</label>'
        f'<input type="search" id="{FILTER_INPUT_ID}" autocomplete="off" spellcheck="false" '
        f'aria-controls="{LIST_ID}" aria-describedby="{COUNT_ID}">'
        f'<p id="{COUNT_ID}" class="kb-glossary-count" role="status" aria-live="polite">{count} terms</p>'
        "</div>",
        f'<nav class="kb-letter-bar" aria-label="Glossary letters">{bar}</nav>',
        f'<div class="kb-glossary" id="{LIST_ID}">{sections}</div>',
    ]) + "\n"


_NOT_INDEXED_MARKUP = re.compile(r'</?a\b[^>]*>|<input\b[^>]*>|(<(?:div|section|nav|label|span|p)\b)[^>]*(>)')
"""What of ``glossary_html``'s own markup a search index does not keep: links (their text
stays), the filter's input, and the attributes of its structural elements (only headings'
ids make sections). The definitions inside are rendered without raw HTML (``definitions``),
so every ``<`` there opens a tag of that renderer."""


def searchable_glossary(glossary: str) -> str:
    """``glossary_html``'s output as the site search reads it: the same elements, nested the
    same (an index cuts sections at headings by their depth), without what it would read only
    to drop (see ``_NOT_INDEXED_MARKUP``); a search index is the same for both."""
    return _NOT_INDEXED_MARKUP.sub(lambda markup: f"{markup[1]}{markup[2]}" if markup[1] else "", glossary)


def _letter_id(letter: str) -> str:
    """Anchor-safe name of a letter section (``#`` has none)."""
    return "other" if letter == OTHER else letter.lower()
