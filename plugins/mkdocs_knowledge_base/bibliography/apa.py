"""APA 7 reference-list entries (Publication Manual, 7th ed., 2020, chapters 9-10).

Why direct Python instead of pybtex's template language: the rules (group authors,
"(Eds.)" in author position, sentence case with brace protection, "n.d.", 2006a/2006b)
read more plainly as code, and formatting a few thousand entries stays in milliseconds.

A reference is built as a list of *elements* (Author. Date. Title. Source. Link), each a
list of *pieces* (plain text, italic text, link). Rendering to HTML and to plain text is
then a trivial walk, done once per key for both forms, so they always say the same thing.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import count, product
from string import ascii_lowercase

from mkdocs_knowledge_base.bibliography import names
from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.latex import Run, decode, sentence_case_runs
from mkdocs_knowledge_base.safety import unsafe_scheme

TEXT, ITALIC, LINK = "text", "italic", "link"
Piece = tuple[str, str]
"""(kind, text): ``TEXT`` is plain, ``ITALIC`` is emphasised, ``LINK`` is a URL shown as itself."""
Element = list[Piece]
_PERIOD: Piece = (TEXT, ".")

# Entry types grouped by how APA builds their reference (anything else is "misc").
_KIND_OF_TYPE = {
    "article": "article",
    "book": "book", "booklet": "book", "manual": "book", "proceedings": "book",
    "collection": "book", "mvbook": "book",
    "incollection": "chapter", "inbook": "chapter", "inproceedings": "chapter", "conference": "chapter",
    "techreport": "report", "report": "report",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
}
_WEB_TYPES = frozenset({"online", "electronic", "www", "webpage"})
_PROCEEDINGS_TYPES = frozenset({"inproceedings", "conference"})

_PUBLISHER_FIELDS = ("publisher", "organization", "institution")
_REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("title",), ("journal", "journaltitle"), ("year", "date")),
    "book": (("title",), ("year", "date"), _PUBLISHER_FIELDS),
    "chapter": (("title",), ("booktitle",), ("year", "date"), _PUBLISHER_FIELDS),
    "proceedings-paper": (("title",), ("booktitle",), ("year", "date")),
    "report": (("title",),),
    "thesis": (("title",), ("year", "date"), ("school", "institution")),
    "web": (("title",), ("url", "doi")),
    "misc": (("title",),),
}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                  "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_THESIS_DESCRIPTIONS = {"phdthesis": "Doctoral dissertation", "mastersthesis": "Master's thesis"}

_RANGE = re.compile(
    r"(?<![\w-])([A-Za-z]?\d+[A-Za-z]?|[ivxlcdm]+)\s*(?:-{1,3}|\u2013|\u2014)\s*([A-Za-z]?\d+[A-Za-z]?|[ivxlcdm]+)(?![\w-])"
)
"""Two page-like tokens (``221``, ``S12``, ``xii``) joined by any hyphen or dash."""
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
"""A DOI: directory ``10.``, registrant code, ``/``, then any suffix without spaces (old Wiley DOIs hold ``<>;``)."""
_URL_COMMAND = re.compile(r"\\url\{([^}]*)\}")
_URL_ESCAPE = re.compile(r"\\([_%&#~$])")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_LEADING_ARTICLE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_LEADING_DIGITS = re.compile(r"^(\d+)")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_HTML_SPECIAL = re.compile(r"[&<>]")
"""What ``html.escape(..., quote=False)`` changes."""


def _requirement_kind(entry: BibEntry) -> str:
    """Which row of ``_REQUIRED_FIELDS`` applies: finer than the formatting kinds, since a
    proceedings paper may lack a publisher and a web page must have its URL."""
    if entry.type in _PROCEEDINGS_TYPES:
        return "proceedings-paper"
    if entry.type in _WEB_TYPES:
        return "web"
    return _KIND_OF_TYPE.get(entry.type, "misc")


def missing_apa_fields(entry: BibEntry) -> list[str]:
    """Fields this entry's APA reference needs but lacks (``publisher/organization/...`` for alternatives).

    Authors are never required: APA moves the title to the author position for anonymous
    works. A missing year is only tolerated where APA expects undated works ("n.d.").
    """
    return [
        "/".join(alternatives)
        for alternatives in _REQUIRED_FIELDS[_requirement_kind(entry)]
        if not any(entry.fields.get(name, "").strip() for name in alternatives)
    ]


def format_locator(locator: str) -> str:
    """A citation's locator with APA dashes: ``pp. 221-222`` -> ``pp. 221–222``; ``p. 33`` unchanged."""
    return _RANGE.sub(_en_dash_range, locator)


def _en_dash_range(match: re.Match[str]) -> str:
    """A function, not a ``\\1–\\2`` template: ``re`` expands templates in slow Python code."""
    return f"{match[1]}\u2013{match[2]}"


@lru_cache(maxsize=4096)
def _page_range(pages: str) -> str:
    """A ``pages`` field with APA dashes (cached per value, like the other field decoding)."""
    return format_locator(decode(pages))


def _pages_label(pages: str) -> str:
    """``pp. 5–21`` for a range or list, ``p. 5`` for a single page (APA chapter page labels)."""
    return f"pp. {pages}" if ("\u2013" in pages or "," in pages) else f"p. {pages}"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@lru_cache(maxsize=256)
def _edition(value: str) -> str | None:
    """``3`` / ``3rd`` / ``Third`` -> ``3rd ed.``; ``Revised`` -> ``Rev. ed.``; a first edition is not shown.

    Cached: a bibliography has a handful of distinct edition values.
    """
    text = decode(value).strip()
    digits = _LEADING_DIGITS.match(text)
    number = int(digits.group(1)) if digits else _ORDINAL_WORDS.get(text.lower().removesuffix(" edition"))
    if number is not None:
        return None if number == 1 else f"{_ordinal(number)} ed."
    if text.lower().startswith("rev"):
        return "Rev. ed."
    return text if text.endswith("ed.") else f"{text} ed."


def bare_doi(doi: str) -> str:
    """The DOI itself (``10.1037/…``) from any spelling: bare, ``doi:…`` or a (dx.)doi.org URL.

    '' when the field holds no DOI (another web address, a ``javascript:`` URL): only a DOI
    may be put behind ``https://doi.org/``.
    """
    bare = _DOI_PREFIX.sub("", doi.strip())
    return bare if _DOI.fullmatch(bare) else ""


def _doi_url(doi: str) -> str | None:
    """APA 7 §9.34 shows DOIs as ``https://doi.org/`` URLs (None when the field holds no DOI)."""
    bare = bare_doi(doi)
    return "https://doi.org/" + bare if bare else None


def _clean_url(url: str) -> str | None:
    """A URL field as a link target: LaTeX escapes removed, a scheme added when missing.

    None for a scheme a reader must not be sent to (``javascript:``, ``data:``): see ``link_problems``.
    """
    url = url.strip()
    if "\\" in url:  # the substitution is far slower than the test, and escapes are rare
        url = _URL_ESCAPE.sub("\\1", url)
    if unsafe_scheme(url):
        return None
    return url if "://" in url else f"https://{url}"


def link_problems(entry: BibEntry) -> list[str]:
    """Why the entry's ``doi``, ``url`` or ``\\url{…}`` in ``howpublished`` cannot become its link.

    Such a value is left out of the reference (and of the RIS and CSL-JSON exports), never
    rendered as a link: a ``javascript:`` or ``data:`` URL would run in the reader's browser.
    """
    problems = []
    doi = entry.fields.get("doi", "").strip()
    if doi and not bare_doi(doi):
        problems.append(f"doi {doi!r} is not a DOI, so it is not linked; write it as 10.xxxx/… or "
                        "https://doi.org/10.xxxx/…, or put a web address in `url`")
    urls = {"url": entry.fields.get("url", ""), "howpublished": _url_in(entry.fields.get("howpublished", "")) or ""}
    for name, url in urls.items():
        if url.strip() and _clean_url(url) is None:
            problems.append(f"{name} {url.strip()!r} is not a web address, so it is not linked; "
                            "write an address starting with https:// or http://")
    return problems


def _url_in(value: str) -> str | None:
    """The URL of a ``howpublished = {\\url{...}}``-style field, or of a field that is just a URL."""
    command = _URL_COMMAND.search(value)
    if command:
        return command.group(1)
    bare = value.strip()
    return bare if bare.startswith(("http://", "https://", "www.")) and " " not in bare else None


def _sort_text(text: str) -> str:
    """Letter-by-letter sort text (APA §9.45): case, accents, spaces and punctuation ignored."""
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)  # "ñ" -> "n" + combining tilde, dropped below
    return _NOT_LETTER_OR_DIGIT.sub("", folded)


def _letters() -> Iterator[str]:
    """a, b, …, z, aa, ab, … — year suffixes for same-author same-year works."""
    for length in count(1):
        for letters in product(ascii_lowercase, repeat=length):
            yield "".join(letters)


def _join_names(formatted: list[str], *, comma_before_ampersand: bool) -> str:
    """APA joins: ``A``; ``A & B`` or ``A, & B``; ``A, B, & C``."""
    if len(formatted) == 1:
        return formatted[0]
    if len(formatted) == 2:
        separator = ", & " if comma_before_ampersand else " & "
        return formatted[0] + separator + formatted[1]
    return ", ".join(formatted[:-1]) + ", & " + formatted[-1]


@dataclass(frozen=True, slots=True)
class _Name:
    """A person (or group) as APA prints and sorts it.

    Built once per distinct name (see ``_name_of``), so every form is computed up front.
    ``surname`` holds the whole name of a group author.
    """

    surname: str
    is_group: bool
    inverted: str
    """Author position: ``Surname, I. I.`` (``, Jr.`` after the initials); group names verbatim."""
    direct: str
    """Editor position in a chapter: ``I. I. Surname``; group names verbatim."""
    sort_key: tuple[str, str]


@lru_cache(maxsize=8192)
def _name_of(parts: names.NameParts) -> _Name:
    """Cached per distinct name: decoding and initials cost far more than the lookup, and
    authors recur across entries and across rebuilds of ``mkdocs serve``."""
    if names.is_group(parts):
        group = names.group_name(parts)
        return _Name(group, True, group, group, (_sort_text(group), ""))
    surname, initials, lineage = names.surname(parts), names.initials(parts), names.lineage(parts)
    inverted = f"{surname}, {initials}" if initials else surname
    if lineage:
        inverted = f"{inverted}, {lineage}"
    direct = " ".join(part for part in (initials, surname, lineage) if part)
    return _Name(surname, False, inverted, direct, (_sort_text(surname), _sort_text(initials)))


def _author_list(persons: Sequence[_Name]) -> str:
    """1-20 authors all listed; 21 or more: the first 19, an ellipsis, then the last (APA §9.8)."""
    formatted = [person.inverted for person in persons]
    if len(formatted) > 20:
        return ", ".join(formatted[:19]) + ", . . . " + formatted[-1]
    return _join_names(formatted, comma_before_ampersand=True)


def _closed(element: Element) -> Element:
    """End an element with a period unless it already ends with ``.``, ``?`` or ``!``.

    Empty pieces (a field the entry lacks) are dropped, and an element left with nothing to
    say becomes empty rather than a lone period: the problem is reported when loading.
    """
    element = [piece for piece in element if piece[1]]
    if element and not element[-1][1].rstrip().endswith((".", "?", "!")):
        element.append(_PERIOD)
    return element


def render(elements: list[Element]) -> tuple[str, str]:
    """HTML (every text escaped, ``<em>`` for italics, ``<a>`` for links) and plain Unicode
    text of a reference: every page needs both forms.

    Each element's text comes first, so that one search of it tells whether any of its
    pieces needs escaping; most elements have no ``&``, ``<`` or ``>`` and go into the HTML as they are.
    """
    html_elements: list[str] = []
    text_elements: list[str] = []
    for element in elements:
        text = "".join([piece for _, piece in element])
        text_elements.append(text)
        plain = _HTML_SPECIAL.search(text) is None
        html_pieces: list[str] = []
        for kind, piece in element:
            escaped = piece if plain else html.escape(piece, quote=False)
            if kind == ITALIC:
                html_pieces.append(f"<em>{escaped}</em>")
            elif kind == LINK:
                html_pieces.append(f'<a href="{html.escape(piece)}">{escaped}</a>')
            else:
                html_pieces.append(escaped)
        html_elements.append("".join(html_pieces))
    return " ".join(html_elements), " ".join(text_elements)


def _styled(runs: tuple[Run, ...], *, italic_title: bool) -> Element:
    """A title's runs as pieces: its ``\\emph`` parts in italics, or, inside a title that is
    itself in italics, in roman (APA 7's reverse italics for a title within a title)."""
    return [(ITALIC if italic != italic_title else TEXT, text) for text, italic in runs]


def _creators(kind: str, persons: Mapping[str, tuple[_Name, ...]]) -> tuple[tuple[_Name, ...], bool]:
    """The names in author position and whether they are editors ("(Eds.)").

    A chapter's editors belong to the book, so an author-less chapter is anonymous.
    """
    authors = persons.get("author")
    if authors:
        return authors, False
    editors = persons.get("editor")
    if editors and kind != "chapter":
        return editors, True
    return (), False


@lru_cache(maxsize=16384)
def _title_key(title: str) -> str:
    """A title as it sorts: leading article dropped, then letter by letter (cached per title)."""
    return _sort_text(_LEADING_ARTICLE.sub("", decode(title)))


def _base_year(fields: Mapping[str, str]) -> str:
    """``2006``, ``n.d.`` or ``in press``, from ``year`` or else an ISO ``date``."""
    year = decode(fields.get("year", "")).strip()
    if not year:
        iso = _ISO_DATE.match(fields.get("date", ""))
        year = iso.group(1) if iso else ""
    if not year:
        return "n.d."
    return "in press" if year.lower() == "in press" else year


@dataclass(slots=True)
class _Work:
    """An entry as the formatter reads it: values stripped (empty ones left out), people as ``_Name``s.

    Not frozen, though never changed: one is built per entry per ``ApaStyle`` (some 10,000 at
    the end of a large build), and a frozen dataclass's ``__init__`` costs several times more.
    """

    type: str
    kind: str
    fields: dict[str, str]
    persons: dict[str, tuple[_Name, ...]]
    creators: tuple[_Name, ...]
    """The names in author position (``are_editors``: they get "(Eds.)")."""
    are_editors: bool
    base_year: str
    """``2006``, ``n.d.``, ``in press``: the date before any 2006a/2006b suffix."""
    creator_key: tuple[tuple[str, str], ...]
    """How the author position sorts: its names, or the title for an anonymous work."""

    @classmethod
    def of(cls, entry: BibEntry) -> _Work:
        kind = _KIND_OF_TYPE.get(entry.type, "misc")
        fields = {name: stripped for name, value in entry.fields.items() if (stripped := value.strip())}
        persons = {role: tuple([_name_of(parts) for parts in people]) for role, people in entry.persons.items()}
        creators, are_editors = _creators(kind, persons)
        creator_key = tuple(name.sort_key for name in creators) if creators else ((_title_key(fields.get("title", "")), ""),)
        return cls(entry.type, kind, fields, persons, creators, are_editors, _base_year(fields), creator_key)

    def title_key(self) -> str:
        """How the title sorts (suffix order; order of works with the same authors and year).

        Not a field: only sorting needs it, and a title that cannot be decoded (unbalanced
        braces) should fail only the calls that need it, not every reference in the list.
        """
        return _title_key(self.fields.get("title", ""))


class ApaStyle:
    """APA 7 references for one set of listed works.

    The set matters: year suffixes (2006a, 2006b) are assigned among works *listed
    together* that share their author list and year, in title order (APA §9.47).
    """

    def __init__(self, entries: Mapping[str, BibEntry]) -> None:
        self._works = {key: _Work.of(entry) for key, entry in entries.items()}
        self._rendered: dict[str, tuple[str, str]] = {}
        self._suffixes: dict[str, str] = {}
        works_by_creators_and_year: dict[tuple, list[str]] = defaultdict(list)
        for key, work in self._works.items():
            works_by_creators_and_year[(work.creator_key, work.base_year)].append(key)
        for keys in works_by_creators_and_year.values():
            if len(keys) > 1:
                ordered = sorted(keys, key=lambda k: (self._works[k].title_key(), k))
                self._suffixes.update(zip(ordered, _letters()))

    # ----- public API ---------------------------------------------------------------

    def __contains__(self, key: object) -> bool:
        """Whether ``key`` is one of the works this style formats."""
        return key in self._works

    def reference_html(self, key: str) -> str:
        """The full APA 7 reference as HTML (escaped text, ``<em>``, ``<a href>``)."""
        return self._render(key)[0]

    def reference_text(self, key: str) -> str:
        """The full APA 7 reference as plain text, for "copy" buttons."""
        return self._render(key)[1]

    def year_label(self, key: str) -> str:
        """``2006``, ``2006a``, ``n.d.``, ``n.d.-a``: the date as references and citations show it."""
        base = self._works[key].base_year
        suffix = self._suffixes.get(key, "")
        if suffix and not base[-1:].isdigit():
            return f"{base}-{suffix}"
        return base + suffix

    def sort_key(self, key: str) -> tuple:
        """APA order (§9.44-9.47): authors letter by letter (nothing precedes something,
        one-author works before multi-author ones), then n.d., years ascending, in press,
        then title. Anonymous works sort by title in the author position."""
        work = self._works[key]
        base = work.base_year
        if base == "n.d.":
            year_rank: tuple[int, int] = (0, 0)
        elif base == "in press":
            year_rank = (2, 0)
        else:
            digits = _LEADING_DIGITS.match(base)
            year_rank = (1, int(digits.group(1)) if digits else 0)
        return (work.creator_key, year_rank, work.title_key(), key)

    def _render(self, key: str) -> tuple[str, str]:
        """HTML and text of the reference, rendered together once per key."""
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = self._rendered[key] = render(self.elements(key))
        return rendered

    # ----- when ---------------------------------------------------------------------------

    def _date_detail(self, work: _Work) -> str:
        """``, January 23`` for web pages and other undated-series works; journals and books show the year only."""
        if work.kind != "misc":
            return ""
        fields = work.fields
        month, day = fields.get("month", ""), fields.get("day", "")
        iso = _ISO_DATE.match(fields.get("date", ""))
        if iso and not month:
            month, day = iso.group(2) or "", iso.group(3) or ""
        if month.isdigit() and 1 <= int(month) <= 12:
            month = _MONTHS[int(month) - 1]
        if not month:
            return ""
        return f", {decode(month)} {int(day) if day.isdigit() else day}".rstrip()

    # ----- building ----------------------------------------------------------------------

    def elements(self, key: str) -> list[Element]:
        """The reference as elements of pieces, built afresh on each call.

        Not kept: pages want the HTML and text, which ``_render`` keeps, and keeping both
        forms would only add to what the garbage collector scans on every pass.
        """
        work = self._works[key]
        creators, are_editors = work.creators, work.are_editors
        title = self._title_element(work)
        date: Element = [(TEXT, f"({self.year_label(key)}{self._date_detail(work)})")]
        if creators:
            who = _author_list(creators)
            if are_editors:
                who += " (Eds.)" if len(creators) > 1 else " (Ed.)"
            elements = [_closed([(TEXT, who)]), _closed(date), _closed(title)]
        else:
            elements = [_closed(title), _closed(date)]
        elements.extend(_closed(source) for source in self._source_elements(work, creators))
        link = self._link(work)
        if link:
            elements.append([(LINK, link)])
        return [element for element in elements if element]

    def _field(self, work: _Work, *field_names: str) -> str:
        """The first present field among ``field_names``, decoded to plain text ('' when none)."""
        for name in field_names:
            value = work.fields.get(name, "")
            if value:
                return decode(value)
        return ""

    def _title_element(self, work: _Work) -> Element:
        """The work's title: plain for parts of a whole (articles, chapters), italic for whole works,
        followed by the parenthetical (edition, volume, report number) and bracketed description."""
        kind = work.kind
        title = sentence_case_runs(work.fields.get("title", ""))
        if kind in ("article", "chapter"):
            return _styled(title, italic_title=False)
        element: Element = _styled(title, italic_title=True)
        parenthetical: list[str] = []
        if kind == "book":
            parenthetical += self._edition_and_volume(work)
        number = self._field(work, "number")
        description = self._field(work, "type")
        if kind == "report" and number:
            parenthetical.append(f"{description or 'Report'} No. {number}")
            description = ""
        if kind == "thesis":
            parenthetical += [f"Publication No. {number}"] if number else []
            description = self._thesis_description(work, description)
        if parenthetical:
            element.append((TEXT, f" ({', '.join(parenthetical)})"))
        if description:
            element.append((TEXT, f" [{description}]"))
        return element

    def _edition_and_volume(self, work: _Work) -> list[str]:
        """The book's ``3rd ed.`` and ``Vol. 2``, which APA puts in one parenthetical after its title."""
        edition = _edition(work.fields["edition"]) if work.fields.get("edition", "") else None
        volume = self._field(work, "volume")
        return [part for part in (edition, f"Vol. {volume}" if volume else None) if part]

    def _thesis_description(self, work: _Work, description: str) -> str:
        """``Doctoral dissertation, School`` when published (in a database or online), else
        ``Unpublished doctoral dissertation`` (the school then becomes the source)."""
        description = description or _THESIS_DESCRIPTIONS.get(work.type, "Thesis")
        if self._is_published_thesis(work):
            school = self._field(work, "school", "institution")
            return f"{description}, {school}" if school else description
        return f"Unpublished {description[:1].lower()}{description[1:]}"

    def _is_published_thesis(self, work: _Work) -> bool:
        return bool(self._field(work, "publisher", "doi", "url") or self._publisher_text(work, ("howpublished",)))

    def _publisher_text(self, work: _Work, field_names: tuple[str, ...]) -> str:
        """The first publisher-like field that is not just a URL (``howpublished`` often is)."""
        for name in field_names:
            value = work.fields.get(name, "")
            if value and not _url_in(value):
                return decode(value)
        return ""

    def _source_elements(self, work: _Work, creators: Sequence[_Name]) -> list[Element]:
        """What the work is part of / who published it, as the elements after the title."""
        kind = work.kind
        if kind == "article":
            return [self._journal_element(work)]
        if kind == "thesis":
            if self._is_published_thesis(work):
                return [[(TEXT, self._publisher_text(work, ("publisher", "howpublished")))]]
            return [[(TEXT, self._field(work, "school", "institution"))]]
        publisher_fields = ("institution", "publisher", "organization") if kind == "report" else (
            (*_PUBLISHER_FIELDS, "howpublished") if kind == "misc" else _PUBLISHER_FIELDS)
        publisher = self._publisher_text(work, publisher_fields)
        if len(creators) == 1 and creators[0].is_group and publisher == creators[0].surname:
            publisher = ""  # APA §9.29: a publisher that is also the group author is not repeated
        publisher_element: Element = [(TEXT, publisher)] if publisher else []
        if kind == "chapter":
            return [self._container_element(work), publisher_element]
        return [publisher_element]

    def _journal_element(self, work: _Work) -> Element:
        """``*Journal*, *22*(4), 7–66`` or ``…, Article e123``."""
        element: Element = [(ITALIC, self._field(work, "journal", "journaltitle"))]
        volume, issue = self._field(work, "volume"), self._field(work, "number", "issue")
        if volume:
            element += [(TEXT, ", "), (ITALIC, volume)]
            if issue:
                element.append((TEXT, f"({issue})"))
        pages = work.fields.get("pages", "")
        article_number = self._field(work, "eid")
        if pages:
            element.append((TEXT, f", {_page_range(pages)}"))
        elif article_number:
            element.append((TEXT, f", Article {article_number}"))
        return element

    def _container_element(self, work: _Work) -> Element:
        """``In A. Editor & B. Editor (Eds.), *Book title* (3rd ed., Vol. 2, pp. 5–21)``; nothing
        without a book title (reported as missing when loading)."""
        book_title = sentence_case_runs(work.fields.get("booktitle", ""))
        if not book_title:
            return []
        element: Element = [(TEXT, "In ")]
        editors = work.persons.get("editor", [])
        if editors:
            joined = _join_names([editor.direct for editor in editors], comma_before_ampersand=False)
            element.append((TEXT, f"{joined} ({'Eds.' if len(editors) > 1 else 'Ed.'}), "))
        element += _styled(book_title, italic_title=True)
        parenthetical = self._edition_and_volume(work)
        pages = work.fields.get("pages", "")
        parenthetical += [_pages_label(_page_range(pages))] if pages else []
        if parenthetical:
            element.append((TEXT, f" ({', '.join(parenthetical)})"))
        return element

    def _link(self, work: _Work) -> str | None:
        """The DOI as an https://doi.org/ URL, else the URL (APA §9.34: DOI wins when both exist)."""
        doi_url = _doi_url(work.fields.get("doi", ""))
        if doi_url:
            return doi_url
        url = work.fields.get("url", "") or _url_in(work.fields.get("howpublished", "")) or ""
        return _clean_url(url) if url else None
