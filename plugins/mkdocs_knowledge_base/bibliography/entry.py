"""One BibTeX entry as the bibliography keeps it: a lean, immutable record.

Why not pybtex's ``Entry``: each holds two case-insensitive ordered dictionaries (an object,
its attribute dict, a dict of values and an ``OrderedDict`` of spellings each) and, per author,
a ``Person`` of five lists. A 10,000-work bibliography kept that way took some 40 MiB and
240,000 objects that every full garbage collection of a build walked again. Here an entry is a
named tuple: its fields one dict of strings (which the collector does not track), its people
tuples of ``NameParts`` shared by all the works of the same author: the whole bibliography
takes 10.5 MiB, about three tracked objects per entry, and reading a field is one dict lookup.

The fast reader builds these directly; entries pybtex read (a file with a mistake in it, the
registered pybtex style, entries built with pybtex in code) are converted by ``from_pybtex``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import NamedTuple, TypeVar

from pybtex.database import Entry

from mkdocs_knowledge_base.bibliography.names import NameParts

_Value = TypeVar("_Value")


class BibEntry(NamedTuple):
    """An entry's type, fields and people, with field names as BibTeX compares them (lower case).

    ``fields`` and ``persons`` are never changed once built (a ``MappingProxyType`` would be one
    more object per entry for the collector, and slower to read). There is no key: the
    bibliography maps keys to entries, and the style and exporters take the mapping's.
    """

    type: str
    """Lower-cased, as pybtex gives it (``book`` for ``@Book``)."""
    fields: dict[str, str]
    """Lower-cased field name -> value (whitespace squeezed), in the order of the source; people
    (``author``, ``editor``) are in ``persons`` instead."""
    persons: dict[str, tuple[NameParts, ...]]
    """Lower-cased role (``author``, ``editor``) -> its people, in the order of the source."""
    spellings: dict[str, str] | None = None
    """Lower-cased name -> name as written, for the field names and roles not written in lower
    case (``Title``), which the BibTeX export writes back; None when all are (nearly always)."""

    @classmethod
    def build(cls, entry_type: str, fields: Iterable[tuple[str, str]],
              persons: Iterable[tuple[str, tuple[NameParts, ...]]]) -> BibEntry:
        """The entry of these fields and roles, each a (name as written, value) pair.

        Names are compared in lower case, as BibTeX does: each must occur once (the reader keeps
        the first of a repeated field). They are interned, so 10,000 entries share one ``title``.
        """
        spellings: dict[str, str] = {}
        return cls(sys.intern(entry_type.lower()), _folded(fields, spellings), _folded(persons, spellings),
                   spellings or None)

    @classmethod
    def from_pybtex(cls, entry: Entry) -> BibEntry:
        """The record of an entry pybtex read or that was built with pybtex."""
        return cls.build(entry.type, entry.fields.items(),
                         [(role, tuple([NameParts.of(person) for person in people]))
                          for role, people in entry.persons.items()])

    def written_name(self, name: str) -> str:
        """A lower-cased field name or role as the source wrote it."""
        return self.spellings.get(name, name) if self.spellings else name

    def written_fields(self) -> list[tuple[str, str]]:
        """(Field name as written, value), in order: what the BibTeX export writes back."""
        if self.spellings is None:
            return list(self.fields.items())
        return [(self.written_name(name), value) for name, value in self.fields.items()]

    def written_persons(self) -> Iterator[tuple[str, tuple[NameParts, ...]]]:
        """(Role as written, its people), in order."""
        for role, people in self.persons.items():
            yield self.written_name(role), people


def _folded(named: Iterable[tuple[str, _Value]], spellings: dict[str, str]) -> dict[str, _Value]:
    """``named`` by lower-cased (interned) name; names not written in lower case go into ``spellings``."""
    folded: dict[str, _Value] = {}
    for name, value in named:
        lower = sys.intern(name.lower())
        folded[lower] = value
        if lower != name:
            spellings[lower] = name
    return folded
