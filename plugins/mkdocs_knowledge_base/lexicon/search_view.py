"""A page's content as the search indexer needs it: this plugin's term markup reduced to its text.

Why: Material's search indexer parses the whole content of every page with ``HTMLParser``, tag
by tag. Of a term link (``<a class="kb-term" …>``) or mention (``<span class="kb-term-mention"
…>``) it keeps only the text, and it skips the "Key terms on this page" aside
(``data-search-exclude``) after reading every tag of it; on a large site those tags tripled
what indexing a content page costs. Given the content without them it builds the very index
it builds for the page without term linking.

Invariant (the markup is this plugin's own, from ``markdown_extension``, serialized by
Python-Markdown with attributes in lexical order; ``tests/test_search_view.py`` checks the
shapes against the extension's output):

- ``<a class="kb-term" data-kb-term="ID" href="URL" id="kb-use-…">TEXT</a>``;
- ``<span class="kb-term-mention" id="kb-use-…">TEXT</span>``;
- ``<aside aria-label="Key terms on this page" class="kb-key-terms" data-search-exclude="">…</aside>``.

TEXT is a spelling matched inside one text node, serialized as escaped text: it never holds
``<``, so ``[^<]*`` is all of it. The aside holds only term names as escaped text, so the first
``</aside>`` after its start closes it; the line break before it goes too (without the aside,
Python-Markdown strips it off the end of the page). A link an author forced
(``[text](term:x)``) may hold markup or carry other attributes: it does not match and is
indexed as it is (only slower).
"""

from __future__ import annotations

import re

from mkdocs_knowledge_base.lexicon.markdown_extension import (
    ANCHOR_PREFIX,
    KEY_TERMS_CLASS,
    KEY_TERMS_LABEL,
    MENTION_CLASS,
    TERM_LINK_CLASS,
)

_TERM_MARKUP = re.compile(
    f'<a class="{re.escape(TERM_LINK_CLASS)}" data-kb-term="[^"]*" href="[^"]*" id="{re.escape(ANCHOR_PREFIX)}[^"]*">'
    '([^<]*)</a>'
    f'|<span class="{re.escape(MENTION_CLASS)}" id="{re.escape(ANCHOR_PREFIX)}[^"]*">([^<]*)</span>'
    f'|\n?<aside aria-label="{re.escape(KEY_TERMS_LABEL)}" class="{re.escape(KEY_TERMS_CLASS)}" data-search-exclude="">'
    '.*?</aside>',
    re.DOTALL)
_MARKUP_SIGN = f'<a class="{TERM_LINK_CLASS}" '
"""In any content the pattern can change: a mention follows a link to its term, and the aside
lists linked terms as links. A page without it (the reference list, 12 MB on a large site) is
only searched for it, not matched."""


def _text_of(markup: re.Match[str]) -> str:
    """A term element's text as written in the HTML (escaped); nothing for the aside."""
    return markup.group(1) or markup.group(2) or ""


def content_for_search(html: str) -> str:
    """``html`` without this plugin's term markup (the words stay) and key-terms aside;
    ``html`` itself (the same object) when it holds none."""
    if _MARKUP_SIGN not in html:
        return html
    return _TERM_MARKUP.sub(_text_of, html)
