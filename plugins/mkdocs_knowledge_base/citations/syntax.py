"""Parser for pandoc's bracketed citation syntax: ``[see @key, pp. 221-222; also @other]``.

Why a pure parser: the Markdown extension, the tests and any other front end (a linter,
another static-site generator) need the same answer to "is this bracket a citation, and
what does it cite?", without MkDocs or Python-Markdown in the way.

The grammar follows pandoc's manual:

- a bracket holds one or more items separated by ``;``;
- an item is ``prefix @key, locator suffix``; ``-@key`` suppresses the author (kept for
  fidelity; numbered notes always print the full reference);
- the key starts with a letter, digit or ``_`` and may contain internal punctuation
  ``:.#$%&-+?<>~/`` (trailing punctuation is not part of the key);
- ``@`` only starts a key at the start of the item or after whitespace, so an e-mail
  address (``name@example.org``) is never a citation;
- the locator is a pandoc locator term (``p.``, ``pp.``, ``ch.``, ``sec.``...) followed by
  numbers, or bare numbers (pages); whatever follows is the suffix.
"""

from __future__ import annotations

import re
from typing import NamedTuple

BRACKET_PATTERN = r"\[(?P<body>[^\[\]]*@[^\[\]]*)\](?![(\[:])"
"""A bracket that may hold citations. Not followed by ``(``, ``[`` or ``:``, so ``[@x](url)``,
``[@x][ref]`` and ``[@x]: url`` stay links and link definitions."""

KEY_PATTERN = r"[\w](?:[:.#$%&\-+?<>~/]*[\w])*"

# Pandoc's locator terms (and the usual abbreviations), mapped to their CSL label.
LOCATOR_TERMS: dict[str, str] = {
    "book": "book", "books": "book", "bk.": "book", "bks.": "book",
    "chapter": "chapter", "chapters": "chapter", "chap.": "chapter", "chaps.": "chapter",
    "ch.": "chapter", "chs.": "chapter",
    "column": "column", "columns": "column", "col.": "column", "cols.": "column",
    "figure": "figure", "figures": "figure", "fig.": "figure", "figs.": "figure",
    "folio": "folio", "folios": "folio", "fol.": "folio", "fols.": "folio",
    "line": "line", "lines": "line", "l.": "line", "ll.": "line",
    "note": "note", "notes": "note", "n.": "note", "nn.": "note",
    "number": "number", "numbers": "number", "no.": "number", "nos.": "number",
    "opus": "opus", "opera": "opus", "op.": "opus", "opp.": "opus",
    "page": "page", "pages": "page", "p.": "page", "pp.": "page",
    "paragraph": "paragraph", "paragraphs": "paragraph", "para.": "paragraph",
    "paras.": "paragraph", "¶": "paragraph", "¶¶": "paragraph",
    "part": "part", "parts": "part", "pt.": "part", "pts.": "part",
    "section": "section", "sections": "section", "sec.": "section", "secs.": "section",
    "§": "section", "§§": "section",
    "sub verbo": "sub verbo", "sub verbis": "sub verbo", "s.v.": "sub verbo", "s.vv.": "sub verbo",
    "verse": "verse", "verses": "verse", "v.": "verse", "vv.": "verse",
    "volume": "volume", "volumes": "volume", "vol.": "volume", "vols.": "volume",
}

_TERM_ALTERNATIVES = "|".join(re.escape(term) for term in sorted(LOCATOR_TERMS, key=len, reverse=True))
_NUMBER = r"\d+[a-z]?"
_NUMBER_OR_ROMAN = r"(?:\d+[a-z]?|[ivxlcdm]+)"
_RANGE_SEPARATOR = r"\s*(?:[-–—,&]|and)\s*"
_LOCATOR_RE = re.compile(
    # After a locator term, roman numerals count too ("ch. iv"); bare locators must be numbers,
    # or an ordinary suffix word made of roman letters ("mid", "I") would be taken for a page.
    rf"(?:(?P<term>{_TERM_ALTERNATIVES})\s*{_NUMBER_OR_ROMAN}(?:{_RANGE_SEPARATOR}{_NUMBER_OR_ROMAN})*"
    rf"|{_NUMBER}(?:{_RANGE_SEPARATOR}{_NUMBER})*)(?!\w)",
    re.IGNORECASE,
)
_ITEM_RE = re.compile(rf"^(?P<prefix>(?:.*\s)?)(?P<suppress>-?)@(?P<key>{KEY_PATTERN})(?P<rest>.*)$", re.DOTALL)


class CitedItem(NamedTuple):
    """One cited work inside a bracket, with what the author wrote around it.

    Named tuples, as ``Citation``: a large site has tens of thousands of citations, kept
    until its last page is written; tuples of strings are smaller than objects with
    attributes and drop out of garbage collection (CPython untracks them)."""

    key: str
    prefix: str = ""
    locator: str = ""
    """As written, e.g. ``pp. 221-222``; empty when the item has none."""
    locator_label: str | None = None
    """CSL label of the locator (``page``, ``chapter``...), so exporters can use it."""
    suffix: str = ""
    suppress_author: bool = False


class Citation(NamedTuple):
    """One bracket: becomes one numbered note, however many works it cites."""

    items: tuple[CitedItem, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items)


def parse_citation(body: str) -> Citation | None:
    """Parse the inside of a bracket; ``None`` when it is not a citation (every item needs a key)."""
    items = []
    for part in body.split(";"):
        item = _parse_item(part.strip())
        if item is None:
            return None
        items.append(item)
    return Citation(tuple(items))


def _parse_item(text: str) -> CitedItem | None:
    match = _ITEM_RE.match(text)
    if match is None or "@" in match["prefix"]:
        return None
    rest = match["rest"]
    if rest and not (rest[0].isspace() or rest[0] == ","):
        return None  # e.g. "@key!x": the key ran into something that is not a separator
    locator, label, suffix = _split_locator(rest.strip().removeprefix(",").strip())
    return CitedItem(
        key=match["key"],
        prefix=" ".join(match["prefix"].split()),
        locator=locator,
        locator_label=label,
        suffix=suffix,
        suppress_author=bool(match["suppress"]),
    )


def _split_locator(text: str) -> tuple[str, str | None, str]:
    """``"pp. 33-35 and passim"`` → ``("pp. 33-35", "page", "and passim")``; bare numbers are pages."""
    match = _LOCATOR_RE.match(text)
    if match is None:
        return "", None, " ".join(text.split())
    term = match["term"]
    label = LOCATOR_TERMS[term.lower()] if term else "page"
    return " ".join(match.group(0).split()), label, " ".join(text[match.end():].split()).lstrip(", ")
