"""Exports of the bibliography for reference managers: BibTeX, RIS and CSL-JSON.

Why three: BibTeX for LaTeX users, RIS for EndNote/Zotero/Mendeley imports, CSL-JSON for
Zotero and pandoc. BibTeX is written back as the source it was parsed from, so it re-parses
to the same fields; RIS and CSL-JSON get decoded Unicode text (no LaTeX), which their
readers expect.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

from mkdocs_knowledge_base.bibliography import names
from mkdocs_knowledge_base.bibliography.apa import bare_doi
from mkdocs_knowledge_base.bibliography.entry import BibEntry
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
_JSON_INDENT = "  "
"""``json.dumps(..., indent=2)``: each level of a CSL-JSON file two spaces deeper."""
_ExportedName = tuple[str, tuple[tuple[str, str], ...]]
"""A person's RIS name and CSL-JSON name parts (see ``_exported_name``)."""
CslValue = str | int | list[Any] | dict[str, Any]
"""What a CSL-JSON item is made of: strings, integers (date parts), lists and objects of them."""


class _Fields:
    """An entry read once for every format it is exported in: its decoded fields, and what RIS
    and CSL-JSON both derive from them.

    Why: RIS and CSL-JSON read the same dozen fields and names; at 10,000 entries decoding
    them again for each format was a large share of the export time. ``raw`` is the entry's own
    fields, values as written, for the ``doi`` and ``url`` checks, which must see what the
    author typed rather than decoded LaTeX.
    """

    __slots__ = ("_texts", "container_title", "doi", "pages", "people", "publisher", "raw", "url")

    def __init__(self, entry: BibEntry) -> None:
        self.raw = entry.fields
        self._texts: dict[str, str] = {}
        """Fields decoded so far: RIS and CSL-JSON read most of them, some twice each."""
        self.people = {role: [_exported_name(person) for person in persons]
                       for role, persons in entry.written_persons()}
        """RIS and CSL-JSON names of the authors, editors…, by role as written in the source, as
        pybtex's entries gave them: the lookups of ``author`` and ``editor`` below are exact, so a
        role written ``AUTHOR`` is not exported to RIS or CSL-JSON (kept so: exports must not change here)."""
        pages = self.text("pages")
        match = _PAGE_RANGE.match(pages)
        self.pages = (match.group(1), match.group(2)) if match else (pages, "")
        """First and last page; a single page or article number is the first page only."""
        self.container_title = self.text("journal") or self.text("journaltitle") or self.text("booktitle")
        publishers = _THESIS_PUBLISHER_FIELDS if entry.type in _THESIS_TYPES else _PUBLISHER_FIELDS
        self.publisher = next((value for value in map(self.text, publishers) if value), "")
        """Who published the work; for a thesis the university, as RIS and CSL readers expect."""
        self.doi = bare_doi(self.raw.get("doi", ""))
        url = self.raw.get("url", "").strip()
        self.url = "" if unsafe_scheme(url) else url
        """The ``url`` field, unless it is not a web address (``javascript:``…, reported when
        loading): a reference manager would make it a link as the site would."""

    def text(self, name: str) -> str:
        """A field as plain Unicode (LaTeX decoded, braces dropped); '' when absent.

        Decoded on demand, once per entry: a field no format reads must not fail an export
        because its LaTeX is broken.
        """
        text = self._texts.get(name)
        if text is None:
            value = self.raw.get(name)
            text = self._texts[name] = decode(value.strip()) if value else ""
        return text

    def month_number(self) -> int | None:
        month = self.text("month").lower()
        if month.isdigit():
            return int(month) if 1 <= int(month) <= 12 else None
        return _MONTH_NUMBERS.get(month[:3])


def _braced(value: str) -> str:
    """A field value in braces, as BibTeX source: verbatim when its braces balance (anything pybtex
    parsed does), else without braces — BibTeX cannot hold a stray one, even escaped, and text
    built in code (a site title) might carry one."""
    if "}" not in value and "{" not in value:
        return "{" + value + "}"
    depth = 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        value = value.replace("{", "").replace("}", "")
    return "{" + value + "}"


def _bibtex_block(key: str, entry: BibEntry) -> str:
    """One entry as BibTeX source, ending with a newline; names of fields and roles as written."""
    fields = [(role, " and ".join([names.bibtex_name(person) for person in persons]))
              for role, persons in entry.written_persons()]
    fields += entry.written_fields()
    width = max((len(name) for name, _ in fields), default=0)
    lines = [f"@{entry.type}{{{key},"]
    lines += [f"  {name.ljust(width)} = {_braced(value)}," for name, value in fields]
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_bibtex(entries: Mapping[str, BibEntry]) -> str:
    """The entries as BibTeX source that re-parses to the same fields and names.

    Written here rather than by pybtex's writer, which LaTeX-encodes values it was given as
    LaTeX already (``\\&`` comes back as ``\\\\&``). The keys are the mapping's: an entry does not carry its own.
    """
    return export_file("bib", [_bibtex_block(key, entry) for key, entry in entries.items()])


# ----- RIS --------------------------------------------------------------------------------


def _ris_name(person: names.NameParts) -> str:
    """RIS names: ``Last, First Middle, Suffix``; a group name is one unsplit string."""
    if names.is_group(person):
        return names.group_name(person)
    parts = [names.surname(person), names.given_names(person), names.lineage(person)]
    while parts and not parts[-1]:
        parts.pop()
    return ", ".join(parts)


@lru_cache(maxsize=16384)
def _exported_name(person: names.NameParts) -> _ExportedName:
    """A person's RIS name and CSL-JSON name parts, worked out once per distinct name.

    Why cached: the same authors recur across a large bibliography (some 1,000 distinct names
    in 28,000 author slots of the 10,000-entry benchmark corpus), and each would be decoded and
    joined again for every work and format. The CSL parts are a tuple, so every item gets a
    dict of its own.
    """
    return _ris_name(person), tuple(_csl_name(person).items())


def _ris_lines(key: str, entry: BibEntry, fields: _Fields) -> Iterator[tuple[str, str]]:
    yield "TY", _RIS_TYPES.get(entry.type, "GEN")
    for ris_name, _ in fields.people.get("author", []):
        yield "AU", ris_name
    editor_tag = "A2" if entry.type in _CONTAINED_TYPES else "ED"
    for ris_name, _ in fields.people.get("editor", []):
        yield editor_tag, ris_name
    yield "PY", fields.text("year")
    yield "TI", fields.text("title")
    yield "T2", fields.container_title
    first_page, last_page = fields.pages
    yield "SP", first_page
    yield "EP", last_page
    yield "VL", fields.text("volume")
    yield "IS", fields.text("number") if entry.type == "article" else ""
    yield "M1", "" if entry.type == "article" else fields.text("number")
    yield "ET", fields.text("edition")
    yield "PB", fields.publisher
    yield "CY", fields.text("address")
    yield "DO", fields.doi
    yield "UR", fields.url
    yield "SN", fields.text("isbn") or fields.text("issn")
    yield "N1", fields.text("note")
    yield "ID", key


def _ris_record(key: str, entry: BibEntry, fields: _Fields) -> str:
    """One RIS record, ``TY`` to ``ER``, each line ending with CRLF."""
    lines = [f"{tag}  - {value}" for tag, value in _ris_lines(key, entry, fields) if value]
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def to_ris(entries: Mapping[str, BibEntry]) -> str:
    """RIS records (``TAG  - value`` lines, CRLF as the RIS specification says), one per entry."""
    return export_file("ris", [_ris_record(key, entry, _Fields(entry)) for key, entry in entries.items()])


# ----- CSL-JSON ----------------------------------------------------------------------------


def _csl_name(person: names.NameParts) -> dict[str, str]:
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


def _csl_issued(fields: _Fields) -> dict[str, Any] | None:
    year = fields.text("year")
    if not year.isdigit():
        return {"literal": year} if year else None
    date_parts: list[int] = [int(year)]
    month = fields.month_number()
    if month:
        date_parts.append(month)
        day = fields.text("day")
        if day.isdigit():
            date_parts.append(int(day))
    return {"date-parts": [date_parts]}


def _csl_item(key: str, entry: BibEntry, fields: _Fields) -> dict[str, Any]:
    item: dict[str, Any] = {"id": key, "type": _CSL_TYPES.get(entry.type, "document")}
    for role in ("author", "editor"):
        people = fields.people.get(role)
        if people:
            item[role] = [dict(csl_name) for _, csl_name in people]
    issued = _csl_issued(fields)
    if issued:
        item["issued"] = issued
    genre = fields.text("type") or _THESIS_GENRES.get(entry.type, "")
    values = {
        "title": fields.text("title"),
        "container-title": fields.container_title,
        "volume": fields.text("volume"),
        "issue": fields.text("number") if entry.type == "article" else "",
        "number": "" if entry.type == "article" else fields.text("number"),
        "page": "-".join(page for page in fields.pages if page),
        "publisher": fields.publisher,
        "publisher-place": fields.text("address"),
        "edition": fields.text("edition"),
        "genre": genre,
        "DOI": fields.doi,
        "URL": fields.url,
        "ISBN": fields.text("isbn"),
        "ISSN": fields.text("issn"),
        "note": fields.text("note"),
    }
    item.update((name, value) for name, value in values.items() if value)
    return item


def to_csl_json(entries: Mapping[str, BibEntry]) -> list[dict[str, Any]]:
    """CSL-JSON items (valid against the CSL input schema), ready for ``json.dumps``."""
    return [_csl_item(key, entry, _Fields(entry)) for key, entry in entries.items()]


def _indented_json(value: CslValue, indent: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` for the value types CSL items hold,
    as it appears nested at ``indent``.

    Why not ``json.dumps``: with ``indent`` it runs the standard library's pure-Python encoder,
    which took twice as long as this for 10,000 items; the strings still go through the C
    string encoder, so the bytes are the same (a test compares them).
    """
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return str(value)
    inner = indent + _JSON_INDENT
    if isinstance(value, dict):  # mostly strings: encoded here, saving a call per field
        members = [f"{inner}{encode_basestring(name)}: "
                   + (encode_basestring(member) if isinstance(member, str) else _indented_json(member, inner))
                   for name, member in value.items()]
        brackets = "{}"
    else:
        members = [inner + _indented_json(member, inner) for member in value]
        brackets = "[]"
    if not members:
        return brackets
    return brackets[0] + "\n" + ",\n".join(members) + "\n" + indent + brackets[1]


def _csl_json_block(item: dict[str, Any]) -> str:
    """An item as it stands in the list of a CSL-JSON file (indented by two spaces)."""
    return _JSON_INDENT + _indented_json(item, _JSON_INDENT)


# ----- files --------------------------------------------------------------------------------

EXPORT_EXTENSIONS: tuple[str, ...] = ("bib", "ris", "json")
"""The export formats, by file extension."""
_SEPARATORS = {"bib": "\n", "ris": "\r\n", "json": ",\n"}
"""What stands between two entries' pieces in a file of each format."""


def export_pieces(key: str, entry: BibEntry) -> dict[str, str]:
    """The entry in every export format (by extension): the part of an export file that is this entry.

    Why pieces: the whole-database files and each work's own files contain the same text per
    entry, so an entry is formatted once per format and every file is its pieces joined by
    ``export_file``. The fields are decoded once for RIS and CSL-JSON together.
    """
    fields = _Fields(entry)
    return {
        "bib": _bibtex_block(key, entry),
        "ris": _ris_record(key, entry, fields),
        "json": _csl_json_block(_csl_item(key, entry, fields)),
    }


def export_file(extension: str, pieces: Sequence[str]) -> str:
    """The content of an export file holding these entries' pieces, in this order."""
    parts: list[str] = []
    writer = ExportFileWriter(extension, parts.append)
    for piece in pieces:
        writer.add(piece)
    writer.close()
    return "".join(parts)


class ExportFileWriter:
    """An export file written as its entries' pieces come, so that a file of 10,000 entries is
    never whole in memory. A CSL-JSON file is a list of items, as ``json.dumps(items, indent=2)``
    writes it; BibTeX and RIS files are their records one after the other."""

    def __init__(self, extension: str, write: Callable[[str], object]) -> None:
        self.extension = extension
        self._write = write
        self._pieces = 0

    def add(self, piece: str) -> None:
        """The next entry's piece."""
        if self._pieces:
            self._write(_SEPARATORS[self.extension])
        elif self.extension == "json":
            self._write("[\n")
        self._write(piece)
        self._pieces += 1

    def close(self) -> None:
        """The end of the file (after the last piece)."""
        if self.extension == "json":
            self._write("\n]" if self._pieces else "[]")
