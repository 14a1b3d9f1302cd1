"""Keeping user data inert in the built site: link schemes, and JSON inside ``<script>``.

Why one module: BibTeX fields, lexicon entries and the pages generated from them are written
by editors who paste from anywhere, and the same two questions come up wherever that data
reaches a page — may this URL become a link, can this JSON close its ``<script>`` element.
Each has one answer here, so the bibliography, the lexicon and the generated pages cannot
drift apart. (Text itself is escaped where HTML is written, with ``html.escape``.)
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

SAFE_SCHEMES = frozenset({"http", "https", "ftp", "mailto"})
"""The only schemes a link made from user data may have; relative links have none and are fine."""

_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]")
"""Controls and spaces: browsers drop tabs and newlines anywhere in a URL and controls and spaces
around it, so ``java\\tscript:`` is ``javascript:``. Dropping them all is stricter still."""
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_MAX_UNESCAPES = 5
"""Entity layers undone before checking: ``&amp;#106;`` must not hide a ``j`` behind a second layer."""

_JSON_IN_SCRIPT = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
"""Characters written as escapes in JSON inside ``<script>``; replaced one after the other
(``str.replace`` runs in C and skips a character that is absent: 100× faster than
``str.translate`` on the megabytes of popover data a large lexicon makes)."""


def unsafe_scheme(url: str) -> str | None:
    """The scheme of ``url`` when a link to it must not be made (``javascript``, ``data``…), else None.

    The URL is read as a browser would after decoding the HTML attribute it sits in: entities
    decoded (several times over, to be strict) and controls and spaces ignored. A URL without
    a scheme (``../page/``, ``#anchor``, ``www.example.org``) is relative and safe.
    """
    decoded = url
    for _ in range(_MAX_UNESCAPES):
        unescaped = html.unescape(decoded)
        if unescaped == decoded:
            break
        decoded = unescaped
    scheme = _SCHEME.match(_IGNORED_IN_URLS.sub("", decoded))
    if scheme is None or scheme.group(1).lower() in SAFE_SCHEMES:
        return None
    return scheme.group(1).lower()


def script_json(data: Any, **dumps_options: Any) -> str:
    """``json.dumps(data)`` that is also safe inside an HTML ``<script>`` element.

    ``</script>`` (or ``<!--``) in a string would end or derail the element, so ``<``, ``>``
    and ``&`` are written as ``\\u003c``-style escapes, which every JSON reader decodes back.
    """
    written = json.dumps(data, ensure_ascii=False, **dumps_options)
    for character, escape in _JSON_IN_SCRIPT:
        written = written.replace(character, escape)
    return written
