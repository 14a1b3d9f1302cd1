"""The APA 7 formatter as a pybtex formatting style, registered as ``apa7``.

Why: people who already drive pybtex (``pybtex.plugin.find_plugin("pybtex.style.formatting",
"apa7")``, pybtex's command line, Sphinx's sphinxcontrib-bibtex) get the same references as
the site. It is a thin wrapper: pybtex's entries are converted to the site's ``BibEntry``
records, the references are built by ``ApaStyle`` and only converted to pybtex's rich text
here, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pybtex.database import BibliographyData, Entry
from pybtex.richtext import HRef, String, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle

from mkdocs_knowledge_base.bibliography.apa import ITALIC, LINK, ApaStyle, Element
from mkdocs_knowledge_base.bibliography.entry import BibEntry


def _rich_text(elements: list[Element]) -> Text:
    """pybtex rich text of a reference: ``em`` tags for italics, hyperlinks for URLs."""
    parts: list[Text | String | Tag | HRef] = []
    for element in elements:
        if parts:
            parts.append(String(" "))
        for kind, text in element:
            if kind == ITALIC:
                parts.append(Tag("em", text))
            elif kind == LINK:
                parts.append(HRef(text, text))
            else:
                parts.append(String(text))
    return Text(*parts)


class Apa7Style(BaseStyle):
    """APA 7 reference list: APA order and 2006a/2006b suffixes over the formatted entries."""

    def format_entries(self, entries: Iterable[Entry], bib_data: BibliographyData | None = None) -> Iterator[FormattedEntry]:
        """All entries together, since year suffixes and order depend on the whole list."""
        by_key = {entry.key: BibEntry.from_pybtex(entry) for entry in entries}
        style = ApaStyle(by_key)
        for key in sorted(by_key, key=style.sort_key):
            yield FormattedEntry(key, _rich_text(style.elements(key)), style.year_label(key))

    def format_entry(self, label: str, entry: Entry, bib_data: BibliographyData | None = None) -> FormattedEntry:
        """One entry on its own (no other works, so no year suffix)."""
        style = ApaStyle({entry.key: BibEntry.from_pybtex(entry)})
        return FormattedEntry(entry.key, _rich_text(style.elements(entry.key)), label)
