"""The fast BibTeX reader gives exactly what pybtex gives: differential tests against pybtex itself.

``fast_bibtex`` replaces pybtex's scanner and name splitting for speed, and the loader
falls back to pybtex for any file the fast reader does not understand. So the proof is a
comparison, never an example of our own: for real and synthetic databases, every BibTeX
snippet of the other test files, and generated entries and noise, the loader's fast reading
and its pybtex-only reading (``fast=False``: pybtex's own entries, converted to the same records
by ``BibEntry.from_pybtex``) give the same entries (type, key, fields, people and their name parts,
names as written, in order), locations, problems and broken keys. For valid files the
fast reader must also really be the one that read them (else the comparison proves nothing,
and a 10,000-work database would silently take seconds again).
"""

from __future__ import annotations

import string
import sys
import textwrap
from pathlib import Path

import pybtex.errors
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pybtex.bibtex.utils import split_name_list
from pybtex.database import Person
from pybtex.database.input.bibtex import LowLevelParser, month_names
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from benchmarks.corpus import synthetic_bibliography
from mkdocs_knowledge_base.bibliography import database, fast_bibtex
from mkdocs_knowledge_base.bibliography.fast_bibtex import ScannedEntry, name_parts, person_parts, scan, split_names
from mkdocs_knowledge_base.bibliography.names import NameParts, bibtex_name
from tests import test_bad_input, test_bibliography_load
from tests.conftest import BOWLBY_BIB, REPO
from tests.hostile import HOSTILE_BIB

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- helpers -------------------------------------------------------------------------------------

def bibliography_record(bibliography: database.Bibliography) -> tuple:
    """Everything a reading holds, as comparable values, in order (a ``BibEntry`` compares as a tuple,
    its dictionaries item by item: ``list`` also compares their order)."""
    return ([(key, entry, list(entry.fields.items()), list(entry.persons.items()))
             for key, entry in bibliography.entries.items()],
            bibliography.locations, bibliography.problems, bibliography.broken_keys)


def assert_same_reading(paths: list[Path]) -> database.Bibliography:
    """The loader reads ``paths`` alike with the fast reader and with pybtex alone; returns the reading."""
    fast = database._read_bibliography(paths, fast=True)
    assert bibliography_record(fast) == bibliography_record(database._read_bibliography(paths, fast=False))
    return fast


def write_files(tmp_path: Path, texts: list[str | bytes]) -> list[Path]:
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f"{number}.bib"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def month_macros() -> CaseInsensitiveDict:
    return CaseInsensitiveDict(month_names)


def pybtex_scan(text: str) -> tuple[list[ScannedEntry], dict[str, str]]:
    """What pybtex's scanner reads in ``text`` (which must be valid), in ``scan``'s terms: its
    entries, and all macros afterwards (month names included), by lower-cased name."""
    macros = month_macros()
    scanner = LowLevelParser(text, macros=macros)
    entries = []
    for command, arguments in scanner:
        if command.lower() not in ("string", "preamble"):
            key, fields = arguments
            entries.append(ScannedEntry(command, key, [(name, "".join(parts)) for name, parts in fields],
                                        scanner.command_start, scanner.pos))
    return entries, {name.lower(): macros[name] for name in macros}


def fast_scan(text: str) -> tuple[list[ScannedEntry], dict[str, str]] | None:
    """``scan``'s reading in the same terms as ``pybtex_scan``: the file's macros added to the month names."""
    scanned = scan(text, month_macros())
    if scanned is None:
        return None
    entries, defined = scanned
    macros = month_macros()
    macros.update(defined)
    return entries, {name.lower(): macros[name] for name in macros}


def assert_fast_scan_matches_pybtex(text: str) -> None:
    scanned = fast_scan(text)
    assert scanned is not None, "the fast reader gave up on a valid file"
    assert scanned == pybtex_scan(text)


def brace_depth(text: str) -> int:
    """How deeply braces nest in ``text``."""
    depth = deepest = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        deepest = max(deepest, depth)
    return deepest


# --- real and synthetic databases ------------------------------------------------------------------

def test_bundled_database_is_read_fast_and_alike() -> None:
    path = REPO / "references" / "references.bib"
    assert_fast_scan_matches_pybtex(path.read_text(encoding="utf-8"))
    assert len(assert_same_reading([path]).entries) == 38


@pytest.mark.parametrize(("count", "seed"), [(40, 1), (500, 2), (3000, 3)])
def test_synthetic_databases_are_read_fast_and_alike(tmp_path: Path, count: int, seed: int) -> None:
    """The benchmark's generator: mixed types, particles, hyphens, braces and LaTeX accents in names."""
    keys, text, _ = synthetic_bibliography(count, seed)
    assert_fast_scan_matches_pybtex(text)
    bibliography = assert_same_reading(write_files(tmp_path, [text]))
    assert list(bibliography.entries) == keys


@pytest.mark.parametrize("text", [textwrap.dedent(BOWLBY_BIB), HOSTILE_BIB, test_bibliography_load.GOOD],
                         ids=["bowlby", "hostile", "good"])
def test_test_databases_are_read_fast_and_alike(tmp_path: Path, text: str) -> None:
    assert_fast_scan_matches_pybtex(text)
    assert_same_reading(write_files(tmp_path, [text]))


# --- every BibTeX snippet of the other tests: mistakes included ---------------------------------

SYNTAX_ERROR_TABLE = test_bibliography_load.test_syntax_error_is_located_and_later_entries_survive.pytestmark[0].args[1]
"""(broken entry, line, message) rows of the loader's syntax-error test, read from its parametrize mark."""
LOAD_SNIPPETS = {
    **{f"syntax error {number}": "% header\n\n" + row[0] + "\n@misc{after, title = {Still here}}\n"
       for number, row in enumerate(SYNTAX_ERROR_TABLE)},
    "premature end": test_bibliography_load.GOOD + "\n@book{cut,\n  title = {T",
    "duplicate key": test_bibliography_load.GOOD
    + "\n@book{Fonagy2002, title = {Other}, publisher = {P}, year = 1999}\n",
    "duplicate field": "\n@misc{k,\n  title = {A},\n  title = {B},\n}\n",
    "names joined by commas":
        "\n@book{k, author = {Smith, A., Jones, B.}, title = {T}, year = 2000, publisher = {P}}\n",
    "undefined macro": "@misc{k, title = {T}, publisher = nosuchmacro}\n",
    "missing APA fields": test_bibliography_load.GOOD
    + "\n@article{thin,\n  title = {T},\n}\n@misc{fine, title = {Web}}\n",
    "latin-1": "@misc{k, title = {Ok}}\n\n@misc{j,\n  title = {Caf\xe9 cr\xe8me}}".encode("latin-1"),
    **{f"bad input: {name}": mistake.bib for name, mistake in test_bad_input.MISTAKES.items()},
}


@pytest.mark.parametrize("text", LOAD_SNIPPETS.values(), ids=LOAD_SNIPPETS.keys())
def test_snippets_of_the_loader_tests_are_read_alike(tmp_path: Path, text: str | bytes) -> None:
    assert_same_reading(write_files(tmp_path, [text]))


@pytest.mark.parametrize("row", SYNTAX_ERROR_TABLE, ids=range(len(SYNTAX_ERROR_TABLE)))
def test_the_fast_reader_gives_up_on_syntax_errors(row: tuple[str, int, str]) -> None:
    """Each of these is pybtex's to report (its messages are explained from its errors), except an
    entry closed early by a '}' too many: that is valid BibTeX, and reported by the loader."""
    broken_entry = row[0]
    if "closed on this line by a '}' too many" in row[2]:
        assert_fast_scan_matches_pybtex(broken_entry)
    else:
        assert scan(broken_entry, month_macros()) is None


def test_macros_are_shared_across_files_whichever_reader_reads_each(tmp_path: Path) -> None:
    """A file pybtex must read (a syntax error) uses the macros of the fast-read file before it, and
    the other way round; a file given up on defines its macros only through pybtex's reading."""
    defines = '@string{apa = "American Psychological" # " Association"}\n@STRING(Ed = {2nd})\n'
    broken_defines = '@string{later = {Later Press}}\n@book{broken, title = {T}\n'
    uses = "@book{k, title = {T}, publisher = apa, edition = ed, year = 2020, month = jan}\n"
    uses_later = "@book{j, title = {T}, publisher = Later, year = 2021}\n"
    broken_uses = "@book{b, title = {T}, publisher = APA, year = 2020\n@book{after, title = {A}}\n"
    paths = write_files(tmp_path, [defines, broken_uses, uses, broken_defines, uses_later])
    bibliography = assert_same_reading(paths)
    assert bibliography.entries["k"].fields["publisher"] == "American Psychological Association"
    assert bibliography.entries["j"].fields["publisher"] == "Later Press"


@pytest.mark.parametrize("text", ["@string{m = {X}}\n@book{k, title = m}\n", "@string{m = {X}}\n@book{k, title = m\n"])
def test_scan_only_reads_the_macros_it_is_given(text: str) -> None:
    """A file's macros are returned for the loader to add once it keeps the fast reading: a file
    given up on halfway must not leave the macros it defined before its mistake behind."""
    macros = month_macros()
    scan(text, macros)
    assert dict(macros.items()) == dict(month_macros().items())


# --- generated BibTeX -------------------------------------------------------------------------------

WHITESPACE = st.text(alphabet=" \t\n\r\x0b\x0c\xa0\u2003\u2028\x1c", max_size=3)
"""Whitespace pybtex's scanner and its whitespace squeezing see (Unicode spaces included)."""
LOOSE_TEXT = st.text(alphabet=string.ascii_letters + string.digits + " \t\n.,;:!?'`-/@#=()\\~^&%$éüßøñ‐–—",
                     max_size=12)
"""Text inside a value: anything but braces and quotes (those are placed by the strategies)."""
NAME_CHARACTERS = string.ascii_letters + "@!$&*+-./:;<>?[\\]^_`|~"
bibtex_names = st.text(alphabet=NAME_CHARACTERS, min_size=1, max_size=8).filter(
    lambda name: name[0] not in string.digits)
"""pybtex's NAME token: field and macro names."""


@st.composite
def braced_text(draw: st.DrawFn, depth: int = 0) -> str:
    """Text with balanced braces, nested up to deeper than the fast reader spells out."""
    pieces = draw(st.lists(st.one_of(LOOSE_TEXT, st.just('"'), st.just("")) if depth < 8 else LOOSE_TEXT,
                           max_size=3))
    if depth < 8 and draw(st.booleans()):
        pieces.insert(draw(st.integers(0, len(pieces))), "{" + draw(braced_text(depth + 1)) + "}")
    return "".join(pieces)


quoted_text = st.lists(st.one_of(LOOSE_TEXT, braced_text().map(lambda text: "{" + text + "}")), max_size=3).map("".join)
"""Text between quotes: a quote only inside braces."""

PEOPLE_WORDS = ("Smith", "van", "der", "Berg", "de", "la", "Fontaine", "Ann", "B.", "Jr", "III", "{Zero to Three}",
                "M{\\\"u}ller", "{\\'E}mile", "Garc{\\'\\i}a", "{von}", "J.-P.", "d'Arcy", "ÉLodie", "ñu", "o'Neil",
                "{\\relax Ch}ristopher", "{\\\"{u}}ber", "AND", "and", ",", "~", "\\ ", "{", "}")


@st.composite
def name_lists(draw: st.DrawFn, *, balanced: bool = False) -> str:
    """People as authors write them (``von Last, Jr, First and ...``), with particles, braces and
    accents, and sometimes broken (too many commas; unbalanced braces unless ``balanced``)."""
    words = [word for word in PEOPLE_WORDS if word not in ("{", "}")] if balanced else PEOPLE_WORDS
    people = draw(st.lists(st.lists(st.sampled_from(words), min_size=1, max_size=5), min_size=1, max_size=3))
    separators = draw(st.lists(st.sampled_from([" ", " ", ", ", "~", "  ", "\n", ","]), min_size=15, max_size=15))
    written = [" ".join(words) if draw(st.booleans()) else "".join(word + separators[index % 15]
                                                                     for index, word in enumerate(words))
               for words in people]
    return draw(st.sampled_from([" and ", " AND ", " and\n", " And "])).join(written)


def value_part(macro_names: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        braced_text().map(lambda text: "{" + text + "}"),
        quoted_text.map(lambda text: '"' + text + '"'),
        st.integers(0, 3000).map(str),
        st.sampled_from([*month_names, "JAN", "Dec", *macro_names]),
    )


@st.composite
def bibtex_files(draw: st.DrawFn) -> str:
    """Valid BibTeX files: entries in braces or parentheses, value chains, @string/@preamble/@comment,
    comments between entries, odd but valid spacing and commas, and repeated keys and fields."""
    macro_names: list[str] = []
    chunks = [draw(st.sampled_from(["", "% a comment\n", "Text without at signs.\n\n"]))]
    for _ in range(draw(st.integers(1, 5))):
        space = draw(WHITESPACE)
        opening, closing = draw(st.sampled_from([("{", "}"), ("(", ")")]))
        kind = draw(st.sampled_from(["entry", "entry", "entry", "string", "preamble", "comment"]))

        def chain() -> str:
            parts = draw(st.lists(value_part(macro_names), min_size=1, max_size=3))
            return "".join(part + (draw(WHITESPACE) + "#" + draw(WHITESPACE) if index < len(parts) - 1 else "")
                           for index, part in enumerate(parts))

        if kind == "string":
            name = draw(bibtex_names)
            chunks.append(f"@{draw(st.sampled_from(['string', 'STRING', 'String']))}{space}{opening}{space}"
                          f"{name}{space}={space}{chain()}{space}{closing}")
            macro_names.append(name)
        elif kind == "preamble":
            chunks.append(f"@preamble{opening}{space}{chain()}{space}{closing}")
        elif kind == "comment":
            chunks.append(f"@comment{opening} {draw(LOOSE_TEXT).replace('@', '')}")
        else:
            fields = []
            for _ in range(draw(st.integers(0, 5))):
                name = draw(st.sampled_from(["author", "Editor", "title", "TITLE", "year", "journal", "url",
                                             "doi", "note"]) | bibtex_names)
                value = ("{" + draw(name_lists(balanced=True)) + "}"
                         if name.lower() in ("author", "editor") and draw(st.booleans()) else chain())
                fields.append(f"{draw(WHITESPACE)}{name}{draw(WHITESPACE)}={draw(WHITESPACE)}{value}")
            separator = draw(st.sampled_from([",", ", ", ",\n  ", " ,,", ",\n"]))
            key = draw(st.text(alphabet=string.ascii_letters + string.digits + ":-_./+'", min_size=1, max_size=8))
            entry_type = draw(st.sampled_from(["article", "Book", "MISC", "incollection", "online", "bok"]))
            trailing = draw(st.sampled_from(["", ",", ",\n", " ,"]))
            after_key = " " if opening == "(" else ""  # in parentheses a key runs up to a space or comma
            chunks.append(f"@{entry_type}{space}{opening}{key}{after_key}{separator if fields else trailing}"
                          f"{separator.join(fields)}{trailing if fields else ''}{space}{closing}")
        chunks.append(draw(st.sampled_from(["\n", "\n\n", " ", "\n% between\n"])))
    return "".join(chunks)


@PROPERTY_SETTINGS
@given(bibtex_files())
@example("@article{k,\n  author = {van der Berg, T. and {Zero to Three} and M{\\\"u}ller, Bj{\\\"o}rn},\n"
         "  title = \"A {\"quoted\"} title\" # { and more} # 12 # jan,\n}\n")
@example("@misc(k, title = {x}) text between @STRING(x = \"y\") @misc{j, title = x # X # {}}")
@example("@misc{k, title = {" + "{" * 7 + "deep" + "}" * 7 + "}}")  # deeper than the fast reader spells out
def test_generated_valid_files_are_scanned_as_pybtex_scans_them(text: str) -> None:
    scanned = fast_scan(text)
    if scanned is None:  # only for values nested deeper than it spells out: pybtex reads those files
        assert brace_depth(text) > fast_bibtex._BRACE_DEPTH + 1
    else:
        assert scanned == pybtex_scan(text)


@PROPERTY_SETTINGS
@given(bibtex_files())
def test_generated_valid_files_are_loaded_alike(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    assert_same_reading(write_files(tmp_path_factory.mktemp("generated"), [text]))


@PROPERTY_SETTINGS
@given(bibtex_files(), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(
    ["{", "}", '"', "@", ",", "=", "#", "(", ")", "\n", "", "x", "@misc{", "% "])), min_size=1, max_size=3))
def test_damaged_files_are_loaded_alike(tmp_path_factory: pytest.TempPathFactory, text: str,
                                        damage: list[tuple[int, str]]) -> None:
    """Valid files with characters replaced or inserted: whatever the fast reader makes of them
    (mostly it gives up), the loader's result is pybtex's, mistakes and their lines included."""
    for position, replacement in damage:
        position %= len(text) + 1
        replaced = 1 if len(replacement) == 1 else 0  # a character is replaced, longer text inserted
        text = text[:position] + replacement + text[position + replaced:]
    assert_same_reading(write_files(tmp_path_factory.mktemp("damaged"), [text]))


# --- names ---------------------------------------------------------------------------------------------

def pybtex_person(name: str) -> tuple[NameParts, str, list[str]]:
    """``Person(name)``: its parts, how it prints as BibTeX, what pybtex reported about it."""
    with pybtex.errors.capture() as errors:
        parsed = Person(name)
    return NameParts.of(parsed), str(parsed), [str(error) for error in errors]


def fast_person(name: str) -> tuple[NameParts, str, list[str]]:
    """The same for ``fast_bibtex.person_parts(name)``, printed by ``names.bibtex_name``."""
    with pybtex.errors.capture() as errors:
        parsed = person_parts(name)
    return parsed, bibtex_name(parsed), [str(error) for error in errors]


plain_names = st.text(alphabet=string.ascii_letters + "  ,.-'`éÉßǅ1\t\u2003\xaf}", max_size=30)
"""Names without braces or backslashes; a ``}`` alone is a plain character to pybtex."""
latex_names = st.text(alphabet="aBé ,.~\\{}\"'", max_size=20)
"""Names made of what LaTeX accents, ties and groups are made of (braces may not pair up)."""
any_names = st.one_of(plain_names, latex_names, name_lists(), st.text(max_size=20))


def braces_pair_up(text: str) -> bool:
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


@PROPERTY_SETTINGS
@given(st.one_of(plain_names, latex_names, name_lists(balanced=True)).filter(
    lambda name: name.count(",") <= 2 and braces_pair_up(name) and brace_depth(name) <= fast_bibtex._BRACE_DEPTH))
@example("Jean de la Fontaine")
@example("de la Fontaine, Jr, Jean")
@example("van der Berg, T. Berry")
@example("ǅemal Bijedić")  # title case: neither upper nor lower
@example("Ann ,")
@example(" , , ")
@example('{\\"u}ber Berg, Ann')  # an accent group: its letter decides (lower: a von part)
@example('{\\"U}ber Berg, Ann')
@example("{\\relax Ch}ristopher de Smith")
@example("Jean {de la} Fontaine")
@example("de~la Fontaine")
@example("Qui\\~nonero-Candela, J.")
@example("{a\\b} C d")  # a command in braces that are no accent
@example("{Zero to Three}")
@example("Smith, {Ann, B.}")
def test_names_whose_braces_pair_up_are_split_as_pybtex_splits_them(name: str) -> None:
    assert name_parts(name) == pybtex_person(name)[0]


@PROPERTY_SETTINGS
@given(any_names)
@example("Smith, A., Jones, B.")
@example("{Barnes and Noble}")
@example("M{\\\"u}ller, Bj{\\\"o}rn")
def test_every_name_is_the_person_pybtex_makes(name: str) -> None:
    """Parts, BibTeX text and "Too many commas" reports alike, for the second use of a name (remembered) too."""
    fast_bibtex._name_parts.cache_clear()
    expected = pybtex_person(name)
    assert fast_person(name) == expected
    assert fast_person(name) == expected


@PROPERTY_SETTINGS
@given(st.one_of(name_lists(), st.text(alphabet="ab {}AaNnDd\\", max_size=25)))
@example("{Barnes and Noble} and Smith")
@example("A}{ and B")
@example("{A} and {B and C}")
@example("")
def test_name_lists_are_split_as_pybtex_splits_them(value: str) -> None:
    value = normalize_whitespace(value)
    assert split_names(value) == split_name_list(value)


def test_whitespace_squeezing_agrees_with_pybtex_for_every_character() -> None:
    """``build_entry`` squeezes with ``" ".join(value.split())``; pybtex with a ``\\s+`` regex and strip."""
    every_character = "".join(f"{chr(code)}{chr(code)}a" for code in range(sys.maxunicode + 1))
    assert " ".join(every_character.split()) == normalize_whitespace(every_character)
