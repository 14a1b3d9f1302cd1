"""``BibEntry.from_pybtex`` keeps everything of pybtex's ``Entry`` that the site reads.

The loader's differential tests compare two readings that both end in ``BibEntry.build``; these
compare the record with pybtex's own entry, so a name folded or a spelling lost in the
conversion cannot hide behind that.
"""

from __future__ import annotations

import pybtex.errors
from hypothesis import example, given
from pybtex.database import parse_string

from mkdocs_knowledge_base.bibliography.entry import BibEntry
from mkdocs_knowledge_base.bibliography.names import NameParts
from tests.test_bibliography_fast_parse import PROPERTY_SETTINGS, bibtex_files


@PROPERTY_SETTINGS
@given(bibtex_files())
@example("@Book{k, AUTHOR = {Smith, Ann and {Zero to Three}}, Title = {T}, year = 2000, editor = {}}")
def test_a_record_holds_what_pybtexs_entry_holds(text: str) -> None:
    with pybtex.errors.capture():  # repeated keys and fields: pybtex's own handling, as in the loader
        entries = parse_string(text, "bibtex").entries
    for entry in entries.values():
        record = BibEntry.from_pybtex(entry)
        assert record.type == entry.type
        assert record.written_fields() == list(entry.fields.items())
        assert list(record.written_persons()) == [
            (role, tuple(NameParts.of(person) for person in people)) for role, people in entry.persons.items()]
        assert [(name, record.fields[name.lower()]) for name in entry.fields] == list(entry.fields.items())
        assert list(record.persons) == [role.lower() for role in entry.persons]


def test_names_written_in_lower_case_need_no_spellings() -> None:
    """The usual entry keeps no second copy of its names (one ``None`` instead of a dict)."""
    (entry,) = parse_string("@book{k, author = {Smith, Ann}, title = {T}}", "bibtex").entries.values()
    assert BibEntry.from_pybtex(entry).spellings is None
