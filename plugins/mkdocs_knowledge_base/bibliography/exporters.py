"""Exports of the bibliography for reference managers: BibTeX, RIS and CSL-JSON.

Why three: BibTeX for LaTeX users, RIS for EndNote/Zotero/Mendeley imports, CSL-JSON for
Zotero and pandoc. BibTeX is written back as the source it was parsed from, so it re-parses
to the same fields; RIS and CSL-JSON get decoded Unicode text (no LaTeX), which their
readers expect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from pybtex.database import Entry, Person

from mkdocs_knowledge_base.bibliography import names
from mkdocs_knowledge_base.bibliography.apa import bare_doi
from mkdocs_knowledge_base.bibliography.latex import decode
from mkdocs_knowledge_base.safety import unsafe_scheme

_RIS_TYPES = {
    "article": "JOUR", "book": "BOOK", "booklet": "PAMP", "manual": "BOOK", "proceedings": "CONF",
    "incollection": "CHAP", "inbook": "CHAP", "inproceedings": "CPAPER", "conference": "CPAPER",
    "techreport": "RPRT", "report": "RPRT", "phdthesis": "THES", "mastersthesis": "THES", "thesis": "THES",
    "online": "ELEC", "electronic": "ELEC", "www": "ELEC", "webpage": "ELEC", "unpublished": "UNPB",
}
_CSL_TYPES = {
    "article": "article-journal", "book": "book", "booklet": "pamphlet", "manual": "book", "proceedings": "book",
    "incollection": "chapter", "inbook": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "techreport": "report", "report": "report", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "online": "webpage", "electronic": "webpage",
    "www": "webpage", "webpage": "webpage", "unpublished": "manuscript",
}
_CONTAINED_TYPES = frozenset({"incollection", "inbook", "inproceedings", "conference"})
"""Types whose ``editor`` edits the container (the book), not the work itself."""
_THESIS_TYPES = frozenset({"phdthesis", "mastersthesis", "thesis"})
_THESIS_GENRES = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master's thesis"}
_PUBLISHER_FIELDS = ("publisher", "institution", "school", "organization")
_THESIS_PUBLISHER_FIELDS = ("school", "institution", "publisher")
_PAGE_RANGE = re.compile(r"^\s*([^\s\u2013-]+)\s*(?:-{1,3}|\u2013|\u2014)\s*([^\s\u2013-]+)\s*$")
_MONTH_NUMBERS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
"""Month numbers by the first three letters of the English name (pybtex expands ``jan`` to ``January``)."""


def _braced(value: str) -> str:
    """A field value in braces, as BibTeX source: verbatim when its braces balance (anything pybtex
    parsed does), else without braces — BibTeX cannot hold a stray one, even escaped, and text
    built in code (a site title) might carry one."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    if depth != 0:
        value = value.replace("{", "").replace("}", "")
    return "{" + value + "}"


def to_bibtex(entries: Mapping[str, Entry]) -> str:
    """The entries as BibTeX source that re-parses to the same fields and names.

    Written here rather than by pybtex's writer, which LaTeX-encodes values it was given as
    LaTeX already (``\\&`` comes back as ``\\\\&``). The keys are the mapping's, so entries
    built in code (without a ``key``) export too.
    """
    blocks = []
    for key, entry in entries.items():
        fields = [(role, " and ".join(str(person) for person in persons)) for role, persons in entry.persons.items()]
        fields += list(entry.fields.items())
        width = max((len(name) for name, _ in fields), default=0)
        lines = [f"@{entry.type}{{{key},"]
        lines += [f"  {name.ljust(width)} = {_braced(value)}," for name, value in fields]
        lines.append("}")
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _text(entry: Entry, field: str) -> str:
    """A field as plain Unicode (LaTeX decoded, braces dropped); '' when absent."""
    return decode(entry.fields.get(field, "").strip())


def _pages(entry: Entry) -> tuple[str, str]:
    """First and last page; a single page or article number is the first page only."""
    pages = _text(entry, "pages")
    match = _PAGE_RANGE.match(pages)
    return (match.group(1), match.group(2)) if match else (pages, "")


def _bare_doi(entry: Entry) -> str:
    return bare_doi(entry.fields.get("doi", ""))


def _url(entry: Entry) -> str:
    """The ``url`` field, unless it is not a web address (``javascript:``…, reported when loading):
    a reference manager would make it a link as the site would."""
    url = entry.fields.get("url", "").strip()
    return "" if unsafe_scheme(url) else url


def _month_number(entry: Entry) -> int | None:
    month = _text(entry, "month").lower()
    if month.isdigit():
        return int(month) if 1 <= int(month) <= 12 else None
    return _MONTH_NUMBERS.get(month[:3])


def _container_title(entry: Entry) -> str:
    return _text(entry, "journal") or _text(entry, "journaltitle") or _text(entry, "booktitle")


def _publisher(entry: Entry) -> str:
    """Who published the work; for a thesis the university, as RIS and CSL readers expect."""
    fields = _THESIS_PUBLISHER_FIELDS if entry.type in _THESIS_TYPES else _PUBLISHER_FIELDS
    for field in fields:
        value = _text(entry, field)
        if value:
            return value
    return ""


# ----- RIS --------------------------------------------------------------------------------


def _ris_name(person: Person) -> str:
    """RIS names: ``Last, First Middle, Suffix``; a group name is one unsplit string."""
    if names.is_group(person):
        return names.group_name(person)
    parts = [names.surname(person), names.given_names(person), names.lineage(person)]
    while parts and not parts[-1]:
        parts.pop()
    return ", ".join(parts)


def _ris_lines(key: str, entry: Entry) -> Iterator[tuple[str, str]]:
    yield "TY", _RIS_TYPES.get(entry.type, "GEN")
    for person in entry.persons.get("author", []):
        yield "AU", _ris_name(person)
    editor_tag = "A2" if entry.type in _CONTAINED_TYPES else "ED"
    for person in entry.persons.get("editor", []):
        yield editor_tag, _ris_name(person)
    year = _text(entry, "year")
    yield "PY", year
    yield "TI", _text(entry, "title")
    yield "T2", _container_title(entry)
    first_page, last_page = _pages(entry)
    yield "SP", first_page
    yield "EP", last_page
    yield "VL", _text(entry, "volume")
    yield "IS", _text(entry, "number") if entry.type == "article" else ""
    yield "M1", "" if entry.type == "article" else _text(entry, "number")
    yield "ET", _text(entry, "edition")
    yield "PB", _publisher(entry)
    yield "CY", _text(entry, "address")
    yield "DO", _bare_doi(entry)
    yield "UR", _url(entry)
    yield "SN", _text(entry, "isbn") or _text(entry, "issn")
    yield "N1", _text(entry, "note")
    yield "ID", key


def to_ris(entries: Mapping[str, Entry]) -> str:
    """RIS records (``TAG  - value`` lines, CRLF as the RIS specification says), one per entry."""
    records = []
    for key, entry in entries.items():
        lines = [f"{tag}  - {value}" for tag, value in _ris_lines(key, entry) if value]
        lines.append("ER  - ")
        records.append("\r\n".join(lines) + "\r\n")
    return "\r\n".join(records)


# ----- CSL-JSON ----------------------------------------------------------------------------


def _csl_name(person: Person) -> dict[str, str]:
    """A CSL name: ``{"literal"}`` for group authors, else family/given (+ particle, suffix)."""
    if names.is_group(person):
        return {"literal": names.group_name(person)}
    name = {
        "family": names.family_name(person),
        "given": names.given_names(person),
        "non-dropping-particle": names.particle(person),
        "suffix": names.lineage(person),
    }
    return {part: value for part, value in name.items() if value}


def _csl_issued(entry: Entry) -> dict[str, Any] | None:
    year = _text(entry, "year")
    if not year.isdigit():
        return {"literal": year} if year else None
    date_parts: list[int] = [int(year)]
    month = _month_number(entry)
    if month:
        date_parts.append(month)
        day = _text(entry, "day")
        if day.isdigit():
            date_parts.append(int(day))
    return {"date-parts": [date_parts]}


def _csl_item(key: str, entry: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": key, "type": _CSL_TYPES.get(entry.type, "document")}
    for role in ("author", "editor"):
        persons = entry.persons.get(role)
        if persons:
            item[role] = [_csl_name(person) for person in persons]
    issued = _csl_issued(entry)
    if issued:
        item["issued"] = issued
    genre = _text(entry, "type") or _THESIS_GENRES.get(entry.type, "")
    fields = {
        "title": _text(entry, "title"),
        "container-title": _container_title(entry),
        "volume": _text(entry, "volume"),
        "issue": _text(entry, "number") if entry.type == "article" else "",
        "number": "" if entry.type == "article" else _text(entry, "number"),
        "page": "-".join(page for page in _pages(entry) if page),
        "publisher": _publisher(entry),
        "publisher-place": _text(entry, "address"),
        "edition": _text(entry, "edition"),
        "genre": genre,
        "DOI": _bare_doi(entry),
        "URL": _url(entry),
        "ISBN": _text(entry, "isbn"),
        "ISSN": _text(entry, "issn"),
        "note": _text(entry, "note"),
    }
    item.update((name, value) for name, value in fields.items() if value)
    return item


def to_csl_json(entries: Mapping[str, Entry]) -> list[dict[str, Any]]:
    """CSL-JSON items (valid against the CSL input schema), ready for ``json.dumps``."""
    return [_csl_item(key, entry) for key, entry in entries.items()]
