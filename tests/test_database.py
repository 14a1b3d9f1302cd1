"""Checks of the bundled BibTeX database (``references/references.bib``) against the paper.

The database is hand-written from the paper's reference list, where the same work is listed
once per note, with typos and small variations. These tests keep it to one entry per work
with the keys the Markdown cites, give every entry what an APA 7 reference needs, keep the
conventions the formatter relies on (``--`` page ranges, spaced initials, braced proper
nouns) and make every departure from the source traceable in the entry itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pybtex.errors
import pytest
from pybtex.database import BibliographyData, Entry, Person, parse_file

REPO = Path(__file__).resolve().parent.parent
DATABASE = REPO / "references" / "references.bib"
DOCS = REPO / "docs"

# The paper's notes, by the key of the work each one cites (the project's fixed mapping).
NOTES_BY_KEY: dict[str, tuple[int, ...]] = {
    "california2009": (1, 2, 5, 37, 54, 55, 56, 57),
    "newmexico2008": (3, 52),
    "zerotothree2002": (4,),
    "nmaimh2004": (6, 19, 26, 27, 58),
    "zeanah2009": (7,),
    "greenspan2006": (8,),
    "schore2001": (9, 18),
    "fonagy2002": (10, 30),
    "pawl2006": (11, 33, 34, 70),
    "wellbaby2013": (12, 13, 17),
    "tronick2007": (14,),
    "tronick2015": (15,),
    "beeghly2011": (16, 48),
    "perry2006": (20, 22),
    "siegel1999": (21,),
    "felitti1998": (23,),
    "nscdc2010": (24,),
    "cdc2007": (25,),
    "sander2000": (28,),
    "seligman2014": (29,),
    "stroud2014": (31, 32, 41, 49),
    "ghoshippen2014": (35, 64),
    "brazelton2006": (36,),
    "lieberman2004": (38,),
    "brandt2014": (39, 46, 67, 71),
    "fulton2012": (40,),
    "lieberman1998": (42, 47, 50),
    "weatherston2002": (43,),
    "kalmanson2006": (44, 63),
    "lieberman1997": (45,),
    "boukydis2004": (51,),
    "weatherston2000": (53, 62, 68, 69),
    "dunst1994": (59,),
    "lane2012": (60,),
    "stern2004": (61,),
    "heffron2000": (65,),
    "heffron2005": (66,),
    "cdc2015": (72,),
}
PAPER_NOTE_COUNT = 72

# What an APA 7 reference of each entry type cannot do without. A tuple means "one of these".
REQUIRED_FIELDS: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "article": ("author", "title", "year", "journal", "volume", "pages"),
    "incollection": ("author", "title", "year", "editor", "booktitle", "pages", "publisher"),
    "book": (("author", "editor"), "title", "year", "publisher"),
    "techreport": ("author", "title", "year", ("url", "institution")),
    "misc": ("title", "year", ("url", "institution", "organization")),
}

# Group authors, kept verbatim (double-braced) so they are never split into surname and initials.
GROUP_AUTHORS: dict[str, str] = {
    "california2009": "California Infant-Family and Early Childhood Mental Health Training Guidelines Workgroup",
    "newmexico2008": "New Mexico Family Infant Toddler Program",
    "zerotothree2002": "Zero to Three Infant Mental Health Task Force",
    "nscdc2010": "National Scientific Council on the Developing Child",
    "cdc2007": "Center on the Developing Child at Harvard University",
    "cdc2015": "Center on the Developing Child at Harvard University",
}

# Capitals APA 7 sentence case must keep: each must sit inside a brace group of the title.
PROTECTED_IN_TITLE: list[tuple[str, str]] = [
    ("felitti1998", "Adverse Childhood Experiences"),
    ("felitti1998", "ACE"),
    ("felitti1998", "Study"),
    ("lieberman2004", "DC:0-3"),
    ("lieberman1997", "DC:0-3"),
    ("lieberman1997", "Zero to Three's"),
    ("brazelton2006", "Touchpoints"),
    ("nmaimh2004", "Promoting"),  # first word after "!"
    ("heffron2000", "Promotion"),  # first word after a dash
    ("heffron2005", "Use"),  # first word after a dash
]

# Every departure from the source list: (key, field, what the source printed, what is stored).
# The note of the entry must quote what the source printed.
SOURCE_CORRECTIONS: list[tuple[str, str, str, str]] = [
    ("nmaimh2004", "url", "www.nmimh.org", "www.nmaimh.org"),
    ("tronick2007", "publisher", "Norton", "W.W. Norton"),
    ("tronick2015", "author", "DiCordia", "DiCorcia, J. A."),
    ("beeghly2011", "title", "Asocial", "A social developmental perspective"),
    ("perry2006", "title", "neurosequential Model", "neurosequential model"),
    ("perry2006", "publisher", "The Guilford Press", "Guilford Press"),
    ("seligman2014", "editor", "B.P. Perry", "Perry, B. D."),
    ("stroud2014", "editor", "B.P. Perry", "Perry, B. D."),
    ("brandt2014", "editor", "B.P. Perry", "Perry, B. D."),
    ("lieberman2004", "publisher", "The Guilford Press", "Guilford Press"),
    ("fulton2012", "author", "Fulton J.M.", "Fulton, J. M."),
    ("weatherston2002", "author", "Ribaud, J.", "Ribaudo, J."),
    ("lieberman1997", "title", "DC: 0-3", "{DC:0-3}"),
    ("lane2012", "title", "Kids Can Be kids", "Kids can be kids"),
    ("heffron2000", "title", "relationship- based", "relationship-based"),
    ("heffron2000", "title", "treatment.”", "and treatment"),
    ("heffron2000", "journal", "Infants and Young Children", "Infants & Young Children"),
    ("heffron2005", "journal", "Infants and Young Children", "Infants & Young Children"),
    ("cdc2015", "author", "Center on the Developing Child", "Center on the Developing Child at Harvard University"),
]

# A pandoc citation key: starts with a letter, digit or "_"; inner punctuation allowed, trailing not.
CITATION_KEY = re.compile(r"(?<![\w@])-?@([\w](?:[\w:.#$%&+?<>~/-]*[\w])?)")
BRACKETED_CITATION = re.compile(r"\[[^\[\]]*@[^\[\]]*\]")
FENCED_CODE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
PAGE_RANGE = re.compile(r"(\d+)(?:--(\d+))?")
INITIAL = re.compile(r"[A-Z]\.")


def load_database() -> BibliographyData:
    """Parse the database, failing on any error pybtex reports (even when not in strict mode)."""
    with pybtex.errors.capture() as errors:
        database = parse_file(str(DATABASE), "bibtex")
    assert not errors, "\n".join(pybtex.errors.format_error(error) for error in errors)
    return database


DATABASE_ENTRIES = load_database().entries
KEYS = list(DATABASE_ENTRIES)


def field_text(entry: Entry, field: str) -> str:
    """A field as stored; name lists (author, editor) as ``Surname, I. I. and ...``."""
    if field in entry.persons:
        return " and ".join(str(person) for person in entry.persons[field])
    return entry.fields.get(field, "")


def has_field(entry: Entry, field: str) -> bool:
    """True when the entry gives the field (names count as fields)."""
    return bool(field_text(entry, field).strip())


def comment_above(key: str) -> str:
    """The ``%`` comment lines directly above the entry, where its provenance is explained."""
    lines = DATABASE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"@\w+\{{{re.escape(key)},", line))
    block: list[str] = []
    for line in reversed(lines[:start]):
        if not line.startswith("%"):
            break
        block.insert(0, line)
    return "\n".join(block)


def markdown_outside_code(text: str) -> str:
    """Markdown with code blocks, code spans and HTML comments removed: citations there do not count."""
    for pattern in (FENCED_CODE, HTML_COMMENT, INLINE_CODE):
        text = pattern.sub("", text)
    return text


def cited_keys(text: str) -> list[str]:
    """Every key cited in pandoc syntax (``[@a, p. 3; see @b]``), once per citation."""
    return [key for bracket in BRACKETED_CITATION.findall(markdown_outside_code(text))
            for key in CITATION_KEY.findall(bracket)]


@cache
def docs_citations() -> Counter[str]:
    """How many times each key is cited across the Markdown pages of ``docs/``."""
    counts: Counter[str] = Counter()
    for page in sorted(DOCS.rglob("*.md")):
        counts.update(cited_keys(page.read_text(encoding="utf-8")))
    return counts


def is_group_author(person: Person) -> bool:
    """A double-braced name: pybtex keeps it as one surname token with no given names."""
    return not person.first_names and len(person.last_names) == 1 and person.last_names[0].startswith("{")


def identity_of_work(entry: Entry) -> tuple[str, str, str]:
    """(title, year, first surname) with case, braces, accents and punctuation ignored."""

    def normalized(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]", "", ascii_text.lower())

    names = entry.persons.get("author") or entry.persons.get("editor") or []
    first_surname = " ".join(names[0].last_names) if names else ""
    return normalized(entry.fields["title"]), entry.fields["year"], normalized(first_surname)


def test_database_parses_without_errors() -> None:
    """Syntax errors and repeated keys are reported by pybtex; one entry per work of the paper."""
    assert len(load_database().entries) == len(NOTES_BY_KEY)


def test_note_table_covers_each_note_of_the_paper_once() -> None:
    """Guards the mapping these tests rely on: notes 1-72, each citing exactly one work."""
    notes = sorted(note for numbers in NOTES_BY_KEY.values() for note in numbers)
    assert notes == list(range(1, PAPER_NOTE_COUNT + 1))


@pytest.mark.parametrize("key", NOTES_BY_KEY)
def test_every_work_of_the_paper_has_its_entry(key: str) -> None:
    assert key in DATABASE_ENTRIES


def test_keys_are_exactly_the_papers_works_in_lower_case() -> None:
    assert KEYS == [key.lower() for key in KEYS]
    assert set(KEYS) == set(NOTES_BY_KEY)


def test_no_two_entries_describe_the_same_work() -> None:
    """The source repeats a work once per note; two keys for one work would split its citations."""
    identities = Counter(identity_of_work(entry) for entry in DATABASE_ENTRIES.values())
    assert [identity for identity, count in identities.items() if count > 1] == []


def test_docs_cite_only_keys_of_the_database() -> None:
    """A key the database lacks would be a broken note on the site."""
    assert sorted(set(docs_citations()) - set(KEYS)) == []


@pytest.mark.parametrize("key", KEYS)
def test_every_entry_is_cited_by_the_docs(key: str) -> None:
    """An uncited entry is a work the paper does not use (and a warning with ``warn_uncited``)."""
    assert docs_citations()[key] > 0, f"no page in docs/ cites [@{key}]"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Text.[@a] More.[@b, pp. 221-222]", ["a", "b"]),
        ("[see @a, ch. 2; @b.c]", ["a", "b.c"]),
        ("[-@a] and mail me at [x@example.org]", ["a"]),
        ("`[@code]`\n\n```\n[@fenced]\n```\n<!-- [@hidden] -->\n[@shown]", ["shown"]),
        ("No citation: @a outside brackets, [a link](x.md).", []),
    ],
)
def test_citation_collector_reads_pandoc_syntax_outside_code(markdown: str, expected: list[str]) -> None:
    assert cited_keys(markdown) == expected


@pytest.mark.parametrize("key", KEYS)
def test_entry_has_what_its_apa_reference_needs(key: str) -> None:
    """Each entry type is one the APA rules here know, with the parts its reference prints."""
    entry = DATABASE_ENTRIES[key]
    assert entry.type in REQUIRED_FIELDS, f"{key}: type @{entry.type} has no APA rule here"
    missing = [
        requirement
        for requirement in REQUIRED_FIELDS[entry.type]
        if not any(has_field(entry, field) for field in
                   (requirement if isinstance(requirement, tuple) else (requirement,)))
    ]
    assert missing == []


@pytest.mark.parametrize("key", KEYS)
def test_year_is_four_digits(key: str) -> None:
    assert re.fullmatch(r"\d{4}", DATABASE_ENTRIES[key].fields["year"])


@pytest.mark.parametrize(
    ("key", "field"),
    [(key, field) for key in KEYS for field in ("pages", "number") if field in DATABASE_ENTRIES[key].fields],
)
def test_pages_and_issues_are_a_number_or_an_ascending_double_dash_range(key: str, field: str) -> None:
    """``--`` is what the formatter turns into APA's en dash (``7–66``, ``22(1–2)``)."""
    match = PAGE_RANGE.fullmatch(DATABASE_ENTRIES[key].fields[field])
    assert match, f"{key}: {field} must look like 12 or 12--34"
    first, last = match.groups()
    assert last is None or int(first) < int(last)


@pytest.mark.parametrize("key", [key for key in KEYS if "url" in DATABASE_ENTRIES[key].fields])
def test_url_is_absolute(key: str) -> None:
    """The source gives bare ``www.`` addresses; a link without a scheme would be relative on the site."""
    assert re.fullmatch(r"https?://[^\s/]+\.[a-z]{2,}(/\S*)?", DATABASE_ENTRIES[key].fields["url"])


@pytest.mark.parametrize("key", KEYS)
def test_no_field_keeps_a_retrieval_statement(key: str) -> None:
    assert not [field for field, value in DATABASE_ENTRIES[key].fields.items() if "retrieved" in value.lower()]


@pytest.mark.parametrize("key", KEYS)
def test_personal_names_are_surname_and_spaced_initials(key: str) -> None:
    """The source gives initials only; "J.H." unspaced would read as one given name "J.H."."""
    people = [person for persons in DATABASE_ENTRIES[key].persons.values() for person in persons]
    for person in (person for person in people if not is_group_author(person)):
        given = person.first_names + person.middle_names
        assert given and all(INITIAL.fullmatch(name) for name in given), f"{key}: {person}"


def test_group_authors_are_exactly_the_known_ones() -> None:
    """A double-braced name by mistake (or a group split into surname and initials) shows here."""
    groups = {key: [str(person) for person in entry.persons.get("author", []) if is_group_author(person)]
              for key, entry in DATABASE_ENTRIES.items()}
    assert {key: names for key, names in groups.items() if names} == {
        key: ["{" + name + "}"] for key, name in GROUP_AUTHORS.items()
    }


@pytest.mark.parametrize(("key", "words"), PROTECTED_IN_TITLE)
def test_proper_nouns_in_titles_are_braced(key: str, words: str) -> None:
    groups = re.findall(r"\{([^{}]*)\}", DATABASE_ENTRIES[key].fields["title"])
    assert any(words in group for group in groups), f"{key}: brace {words!r} in the title"


@pytest.mark.parametrize("key", KEYS)
def test_no_acronym_is_left_to_sentence_casing(key: str) -> None:
    """The formatter lower-cases unbraced words of titles and book titles: "ACE" would become "ace"."""
    fields = DATABASE_ENTRIES[key].fields
    for title in (fields.get("title", ""), fields.get("booktitle", "")):
        unbraced = re.sub(r"\{[^{}]*\}", "", title)
        assert re.findall(r"\b[A-Z]{2,}\b", unbraced) == [], f"{key}: brace acronyms in {title!r}"


@pytest.mark.parametrize(("key", "field", "printed", "stored"), SOURCE_CORRECTIONS)
def test_correction_of_the_source_is_applied_and_recorded(key: str, field: str, printed: str, stored: str) -> None:
    """Every departure from the paper's list is traceable in the entry: its note and its comment."""
    entry = DATABASE_ENTRIES[key]
    value = field_text(entry, field)
    assert stored in value
    assert printed not in value.replace(stored, "")
    assert printed in entry.fields.get("note", ""), f"{key}: the note must quote the source's {printed!r}"
    assert "Corrected:" in comment_above(key)
