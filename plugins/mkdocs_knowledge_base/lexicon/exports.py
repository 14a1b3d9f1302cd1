"""The lexicon as downloadable data (CSV, JSON) and as the popovers' offline data script.

Why a script file and not ``fetch``: the site must also work opened from ``file://``,
where browsers refuse to fetch JSON; a ``<script src>`` loads everywhere.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from mkdocs_knowledge_base.lexicon.model import Lexicon, Term
from mkdocs_knowledge_base.safety import script_json

POPOVER_DATA_URI = "assets/knowledge-base/lexicon-data.js"
CSV_COLUMNS = ("term", "id", "aliases", "definition", "related", "references", "url")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def lexicon_records(lexicon: Lexicon, term_url: Callable[[Term], str]) -> list[dict[str, Any]]:
    """One plain record per term (definition as plain text, related terms by name), the keys in
    ``CSV_COLUMNS`` order; made once for both downloads (``lexicon_json``, ``lexicon_csv``)."""
    return [{
        "term": term.term,
        "id": term.id,
        "aliases": list(term.aliases),
        "definition": term.definition_text,
        "related": [other.term for other in lexicon.related_terms(term)],
        "references": list(term.references),
        "url": term_url(term),
    } for term in lexicon.terms]


def lexicon_json(records: list[dict[str, Any]]) -> str:
    """The records of ``lexicon_records`` as JSON under ``terms``."""
    return json.dumps({"terms": records}, ensure_ascii=False, indent=2) + "\n"


def lexicon_csv(records: list[dict[str, Any]]) -> str:
    """The records of ``lexicon_records`` as CSV for spreadsheets: list fields joined with ``; ``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_inert_cell("; ".join(value) if isinstance(value, list) else value) for value in record.values()]
                     for record in records)
    return buffer.getvalue()


def _inert_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula (``=HYPERLINK(…)``) gets a
    leading ``'``, as OWASP advises against CSV injection; every other value is unchanged."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def popover_data_script(lexicon: Lexicon, term_url: Callable[[Term], str]) -> str:
    """``window.kbLexicon = {id: {term, html, url}}`` with URLs relative to the site root.

    ``html`` is the definition as our renderer made it (raw HTML escaped, unsafe links
    dropped), the only value ``popover.js`` inserts as HTML; the term is inserted as text.
    The JSON is written as for a ``<script>`` element, so it stays inert even if inlined.
    """
    data = {term.id: {"term": term.term, "html": term.definition_html, "url": term_url(term)}
            for term in lexicon.terms}
    return f"window.kbLexicon = {script_json(data)};\n"
